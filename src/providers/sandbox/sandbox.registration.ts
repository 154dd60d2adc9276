import { registerAs } from '@nestjs/config';
import { pass } from '../../doctor/check.js';
import { defineProvider } from '../provider-registration.js';
import { InboundModule } from '../../inbound/inbound.module.js';
import { SandboxController } from './sandbox.controller.js';
import { SandboxRepliesController } from './sandbox-replies.controller.js';
import { SandboxOutboxService } from './sandbox-outbox.service.js';
import { SandboxProvider } from './sandbox.provider.js';

/** The sandbox has no settings of its own. */
export const sandboxConfig = registerAs('sandbox', () => ({}));

export const sandboxProvider = defineProvider({
  name: 'sandbox',
  config: sandboxConfig,
  credentials: [],
  developmentOnly: true,
  isConfigured: () => true,
  create: () => new SandboxProvider(),
  // The outbox answers [] while another provider sends: the route stays, documented.
  mounts: {
    imports: [InboundModule],
    controllers: [SandboxController, SandboxRepliesController],
    providers: [SandboxOutboxService],
  },
  // It answers at once: no retry needs time set aside.
  attemptBudgetMs: () => 0,
  describe: () => 'sandbox: nothing leaves this machine (GET /api/sandbox/outbox)',
  doctor: {
    checks: () =>
      Promise.resolve([
        pass(
          'Provider',
          'sandbox: nothing leaves this machine; texts show at GET /api/sandbox/outbox',
          'To send real texts set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER (or TWILIO_MESSAGING_SERVICE_SID), then run the doctor again.',
        ),
      ]),
    publicUrl: { needed: false, unsetDetail: 'not needed in the sandbox' },
  },
});
