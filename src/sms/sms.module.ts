import { Module, type DynamicModule } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { twilioConfig } from '../config/twilio.config.js';
import { MessageEntity } from './message.entity.js';
import { MessageStore } from './message.store.js';
import { MessagesController } from './messages.controller.js';
import { PhoneNumberService } from './phone/phone-number.service.js';
import { LinkPolicy } from './policy/link-policy.js';
import { RecipientPolicy } from './policy/recipient-policy.js';
import { SandboxController } from './sandbox.controller.js';
import { SandboxOutboxService } from './sandbox-outbox.service.js';
import { SmsService } from './sms.service.js';
import { DEFAULT_TOOLS } from './tools/default-tools.js';
import { createToolController } from './tools/tool-controller.factory.js';
import type { ToolDefinition } from './tools/tool-definition.js';
import { TOOL_DEFINITIONS, ToolRegistry } from './tools/tool-registry.js';
import { SandboxTransport } from './transport/sandbox.transport.js';
import { SMS_TRANSPORT } from './transport/sms-transport.js';
import { TwilioService } from './transport/twilio.service.js';
import { ResilientTransport } from './transport/resilient-transport.js';
import { SendScheduler } from './scheduling/send-scheduler.js';
import { ReconciliationService } from './reconciliation.service.js';
import { MessageRenderer } from './templates/message-renderer.js';
import { createPreviewController } from './preview.controller.js';
import { PreviewService } from './preview.service.js';
import { AuditLogModule } from '../audit/audit-log.module.js';

export interface SmsModuleOptions {
  /** The tools to serve; the five defaults unless a deployment or a test says otherwise. */
  tools?: readonly ToolDefinition[];
}

@Module({})
export class SmsModule {
  static forRoot({ tools = DEFAULT_TOOLS }: SmsModuleOptions = {}): DynamicModule {
    ToolRegistry.check(tools);
    return {
      module: SmsModule,
      // Its transport, store and registry are shared by health, webhooks and the ElevenLabs export.
      global: true,
      imports: [TypeOrmModule.forFeature([MessageEntity]), AuditLogModule],
      controllers: [
        ...tools.map(createToolController),
        MessagesController,
        SandboxController,
        createPreviewController(tools),
      ],
      providers: [
        { provide: TOOL_DEFINITIONS, useValue: tools },
        ToolRegistry,
        SmsService,
        MessageStore,
        PhoneNumberService,
        RecipientPolicy,
        LinkPolicy,
        ResilientTransport,
        MessageRenderer,
        SendScheduler,
        ReconciliationService,
        PreviewService,
        SandboxOutboxService,
        {
          provide: SMS_TRANSPORT,
          inject: [twilioConfig.KEY],
          useFactory: (config: ConfigType<typeof twilioConfig>) =>
            config.enabled ? new TwilioService(config) : new SandboxTransport(),
        },
      ],
      exports: [
        ToolRegistry,
        SmsService,
        MessageStore,
        PhoneNumberService,
        SMS_TRANSPORT,
        ResilientTransport,
      ],
    };
  }
}
