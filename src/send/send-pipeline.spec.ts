import { jest } from '@jest/globals';
import type { Type } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { RefusalAuditor } from '../audit/refusal-auditor.js';
import { isAudited, markAudited } from '../common/errors/audited.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import type { appConfig } from '../config/app.config.js';
import type { sendingConfig } from '../config/sending.config.js';
import type { ConsentService } from '../consent/consent.service.js';
import { rateLimited } from '../limits/edge/rate-limited.error.js';
import { ProviderError } from '../providers/provider-error.js';
import type { ResilientProvider } from '../providers/resilient-provider.js';
import type { OutboundSms, ProviderReceipt } from '../providers/sms-provider.js';
import type { MessageEntity } from '../messages/message.entity.js';
import type { MessageStore, NewMessage } from '../messages/message.store.js';
import { PhoneNumberService, type NormalizedPhone } from '../policy/phone-number.service.js';
import type { TextPolicy } from '../policy/text-policy.js';
import type { RecipientPolicy } from '../policy/recipient-policy.js';
import type { Schedule, SendScheduler } from '../scheduling/send-scheduler.js';
import type { MessageRenderer } from '../tools/templates/message-renderer.js';
import { sendSmsTool } from '../tools/default-tools.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { ReminderStage } from '../scheduling/reminder.stage.js';
import { ScheduleStage } from '../scheduling/schedule.stage.js';
import { AnswerStage } from './answer.stage.js';
import { ClaimStage, type Claim } from './claim.stage.js';
import { DeliverStage } from './deliver.stage.js';
import { LineTypeStage } from './line-type.stage.js';
import { MessageRowStage } from './message-row.stage.js';
import { ConsentStage, RecipientNumberStage, RecipientPolicyStage } from './recipient.stages.js';
import { SendPipeline } from './send-pipeline.js';
import type { SendStage } from './send-stage.js';
import { SEND_STAGES } from './send-stages.js';
import { SettleStage } from './settle.stage.js';
import { RenderStage, TextPolicyStage } from './text.stages.js';
import { OptOutStage } from './opt-out.stage.js';
import { TextStatusStage } from './text-status.stage.js';
import { ToolInputStage } from './tool-input.stage.js';
import type { SendResult, ToolCall } from './tool-call.js';

const PATIENT = '+12025550143';

function refusal(code: string, status = 422): DomainError {
  return new DomainError(code, `Refused: ${code}.`, { status, agentMessage: 'No.' });
}

/**
 * The stages of SEND_STAGES, in its order, with their collaborators faked, each writing what
 * it was asked into one log so the order of the stages can be read back. Set a field to make
 * that stage refuse or fail.
 */
class Stages {
  readonly log: string[] = [];
  readonly audited: { recipient: string | null; error: DomainError }[] = [];
  readonly settledFailures: unknown[] = [];

  policyRefusal?: DomainError;
  isOptedOut = false;
  linkRefusal?: DomainError;
  schedule?: Schedule;
  lineTypeRefusal?: DomainError;
  claimAnswer?: DomainError | { replay: SendResult };
  providerFailure?: Error;

  private readonly realPhones = new PhoneNumberService({ defaultCountry: 'US' } as ConfigType<
    typeof appConfig
  >);

  pipeline(): SendPipeline {
    const log = this.log;
    const phones = {
      normalize: (raw: string, options: { requireValid: boolean }): NormalizedPhone => {
        log.push('number');
        return this.realPhones.normalize(raw, options);
      },
    };
    const recipientPolicy = {
      check: () => {
        log.push('policy');
        if (this.policyRefusal) throw this.policyRefusal;
      },
    };
    const consent = {
      isOptedOut: (e164: string) => {
        log.push('consent');
        expect(e164).toBe(PATIENT);
        return Promise.resolve(this.isOptedOut);
      },
    };
    const renderer = {
      render: () => {
        log.push('render');
        return { text: 'Your refill is ready at the pharmacy.', language: 'en' };
      },
    };
    const textPolicy = {
      check: () => {
        log.push('links');
        if (this.linkRefusal) throw this.linkRefusal;
      },
      checkMediaUrl: (url: string) => url,
    };
    const scheduler = {
      plan: () => {
        log.push('schedule');
        return this.schedule;
      },
    };
    const store = { hasTexted: () => Promise.resolve(true) };
    const transport = {
      name: 'sandbox',
      capabilities: { requiresValidNumbers: false, mms: true, simulated: true },
      send: (sms: OutboundSms): Promise<ProviderReceipt> => {
        log.push('provider');
        if (this.providerFailure) return Promise.reject(this.providerFailure);
        return Promise.resolve({
          providerSid: `SM-${sms.messageId}`,
          status: 'queued',
        });
      },
    } as unknown as ResilientProvider;
    const sending = { firstTextFooter: '', dedupeWindowMs: 600_000 } as ConfigType<
      typeof sendingConfig
    >;
    const tools = new ToolRegistry([sendSmsTool]);

    // The stages that touch a database: real run(), their I/O faked.
    const lineTypes = bare(LineTypeStage);
    jest.spyOn(lineTypes, 'check').mockImplementation(() => {
      log.push('line type');
      return this.lineTypeRefusal ? Promise.reject(this.lineTypeRefusal) : Promise.resolve();
    });
    const claims = bare(ClaimStage);
    jest.spyOn(claims, 'claim').mockImplementation((row: NewMessage): Promise<Claim> => {
      log.push('claim');
      if (this.claimAnswer instanceof DomainError) return Promise.reject(this.claimAnswer);
      if (this.claimAnswer) return Promise.resolve(this.claimAnswer);
      return Promise.resolve({ message: { ...row, status: 'accepted' } as MessageEntity });
    });
    const settlement = bare(SettleStage);
    jest.spyOn(settlement, 'settle').mockImplementation(() => {
      log.push('settle');
      return Promise.resolve();
    });
    jest
      .spyOn(settlement, 'settleFailure')
      .mockImplementation((_message: MessageEntity, _requestId: string, error: unknown) => {
        log.push('settleFailure');
        this.settledFailures.push(error);
        return Promise.resolve();
      });
    const schedules = new ScheduleStage(scheduler as unknown as SendScheduler, UNUSED, UNUSED);
    jest.spyOn(schedules, 'hold').mockImplementation(() => {
      log.push('hold');
      return Promise.resolve({ providerSid: null, status: 'scheduled' });
    });

    const stages = new Map<Type<SendStage>, SendStage>([
      [ToolInputStage, new ToolInputStage(tools)],
      [TextStatusStage, new TextStatusStage(UNUSED, tools, UNUSED, UNUSED, UNUSED)],
      [
        RecipientNumberStage,
        new RecipientNumberStage(
          phones as unknown as PhoneNumberService,
          new RecipientHasher({ hashKey: 'send-pipeline-spec-key', retentionDays: 30 }),
          transport,
        ),
      ],
      [
        RecipientPolicyStage,
        new RecipientPolicyStage(recipientPolicy as unknown as RecipientPolicy),
      ],
      // Only record_text_opt_out reaches its collaborators; these texts never do.
      [OptOutStage, new OptOutStage(UNUSED, UNUSED)],
      [ConsentStage, new ConsentStage(consent as unknown as ConsentService)],
      [LineTypeStage, lineTypes],
      [
        RenderStage,
        new RenderStage(
          renderer as unknown as MessageRenderer,
          sending,
          store as unknown as MessageStore,
        ),
      ],
      [TextPolicyStage, new TextPolicyStage(textPolicy as unknown as TextPolicy, transport)],
      [ScheduleStage, schedules],
      [MessageRowStage, new MessageRowStage(sending, transport)],
      [ClaimStage, claims],
      [DeliverStage, new DeliverStage(transport, schedules)],
      [ReminderStage, bare(ReminderStage)],
      [AnswerStage, new AnswerStage(transport)],
      [SettleStage, settlement],
    ]);
    const refusals = {
      recordToolRefusal: (_call: ToolCall, recipient: string | null, error: DomainError) => {
        this.audited.push({ recipient, error });
        return Promise.resolve();
      },
    };
    return new SendPipeline(
      // The order under test is the module's own.
      SEND_STAGES.map((type) => {
        const stage = stages.get(type);
        if (!stage) throw new Error(`No stage for ${type.name} in this spec`);
        return stage;
      }),
      { requestDeadlineMs: 10_000 } as ConfigType<typeof appConfig>,
      refusals as unknown as RefusalAuditor,
      settlement,
    );
  }
}

/** A collaborator a stage holds but no case reaches. */
const UNUSED = {} as never;

/** A stage without its collaborators: the cases fake the one method that would use them. */
function bare<T>(type: Type<T>): T {
  return Reflect.construct<[], T>(type, []);
}

const call = (input: Record<string, unknown> = {}, tool = 'send_sms'): ToolCall => ({
  tool,
  input: { phone_number: PATIENT, message: 'Your refill is ready.', ...input },
  // Not REST: the pipeline decides alone, whatever the way in.
  caller: { apiKeyName: 'voice-agent', platform: 'scheduler' },
  requestId: 'req-pipeline',
});

async function refusedBy(stages: Stages, toolCall: ToolCall): Promise<DomainError> {
  const error = await stages
    .pipeline()
    .run(toolCall)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(error instanceof DomainError)) throw new Error('expected a refusal');
  return error;
}

const CHECKS = ['number', 'policy', 'consent', 'line type', 'render', 'links', 'schedule'];

describe('SendPipeline', () => {
  let stages: Stages;

  beforeEach(() => {
    stages = new Stages();
  });

  describe('a text that passes every check', () => {
    it('runs the checks, then claims, sends and settles, in that order', async () => {
      const result = await stages.pipeline().run(call());

      expect(stages.log).toEqual([...CHECKS, 'claim', 'provider', 'settle']);
      expect(result).toMatchObject({
        kind: 'sent',
        status: 201,
        body: {
          success: true,
          status: 'queued',
          to: '***-***-0143',
          agent_message: "I've texted the message to the number ending in 0143.",
        },
      });
      expect(stages.audited).toEqual([]);
    });

    it('holds a scheduled text for the dispatcher, without calling the provider', async () => {
      stages.schedule = {
        sendAt: new Date('2030-01-16T13:00:00Z'),
        timeZone: 'America/New_York',
        reason: 'quiet_hours',
      };

      const result = await stages.pipeline().run(call());

      expect(stages.log).toEqual([...CHECKS, 'claim', 'hold', 'settle']);
      expect(result).toMatchObject({
        kind: 'scheduled',
        body: {
          status: 'scheduled',
          provider_sid: null,
          scheduled_for: '2030-01-16T13:00:00.000Z',
        },
      });
    });

    it('answers a replay from the claim without sending again', async () => {
      const replay: SendResult = { kind: 'replayed', status: 201, body: {}, headers: {} };
      stages.claimAnswer = { replay };

      await expect(stages.pipeline().run(call())).resolves.toBe(replay);
      expect(stages.log).toEqual([...CHECKS, 'claim']);
    });
  });

  describe('refusals, in order, each before any claim', () => {
    it('refuses an unknown tool: 404 NOT_FOUND', async () => {
      const error = await refusedBy(stages, call({}, 'send_fax'));

      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      expect(stages.log).toEqual([]);
    });

    it('validates the input before reading the number', async () => {
      const error = await refusedBy(stages, call({ phone_number: '12', fax: 'yes' }));

      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      expect(stages.log).toEqual([]);
    });

    it('reads the number before the recipient policy', async () => {
      stages.policyRefusal = refusal('RECIPIENT_NOT_ALLOWED');

      const error = await refusedBy(stages, call({ phone_number: '12' }));

      expect(error).toMatchObject({ code: 'INVALID_PHONE_NUMBER', status: 400 });
      expect(stages.log).toEqual(['number']);
    });

    it('applies the recipient policy before consent', async () => {
      stages.policyRefusal = refusal('RECIPIENT_NOT_ALLOWED');
      stages.isOptedOut = true;

      const error = await refusedBy(stages, call());

      expect(error.code).toBe('RECIPIENT_NOT_ALLOWED');
      expect(stages.log).toEqual(['number', 'policy']);
    });

    it('checks consent before rendering the text and its links', async () => {
      stages.isOptedOut = true;
      stages.linkRefusal = refusal('LINK_NOT_ALLOWED');

      const error = await refusedBy(stages, call());

      expect(error).toMatchObject({ code: 'RECIPIENT_OPTED_OUT', status: 422 });
      expect(stages.log).toEqual(['number', 'policy', 'consent']);
    });

    it('checks the links of the final text before scheduling it', async () => {
      stages.linkRefusal = refusal('LINK_NOT_ALLOWED');

      const error = await refusedBy(stages, call());

      expect(error.code).toBe('LINK_NOT_ALLOWED');
      expect(stages.log).toEqual(['number', 'policy', 'consent', 'line type', 'render', 'links']);
    });

    it('checks the line type after consent, before rendering, and records the refusal', async () => {
      stages.lineTypeRefusal = refusal('RECIPIENT_NOT_MOBILE');

      const error = await refusedBy(stages, call());

      expect(error.code).toBe('RECIPIENT_NOT_MOBILE');
      expect(stages.log).toEqual(['number', 'policy', 'consent', 'line type']);
      expect(stages.audited).toEqual([{ recipient: PATIENT, error }]);
    });
  });

  describe('the refusal audit', () => {
    it.each([
      ['an unknown tool', call({}, 'send_fax'), {}, null],
      ['invalid input', call({ fax: 'yes' }), {}, null],
      ['an unreadable number', call({ phone_number: '12' }), {}, null],
      [
        'the recipient policy',
        call(),
        { policyRefusal: refusal('RECIPIENT_NOT_ALLOWED') },
        PATIENT,
      ],
      ['consent', call(), { isOptedOut: true }, PATIENT],
      [
        'a limit at the claim',
        call(),
        { claimAnswer: rateLimited('per-recipient-10min', 60) },
        PATIENT,
      ],
    ] as [string, ToolCall, Partial<Stages>, string | null][])(
      'records a refusal by %s once, and marks it audited',
      async (_by, toolCall, setup, recipient) => {
        Object.assign(stages, setup);

        const error = await refusedBy(stages, toolCall);

        expect(stages.audited).toEqual([{ recipient, error }]);
        expect(isAudited(error)).toBe(true);
        expect(stages.log).not.toContain('provider');
      },
    );

    it('does not record again an error already in the audit log', async () => {
      stages.claimAnswer = markAudited(refusal('IDEMPOTENCY_KEY_REUSED'));

      await refusedBy(stages, call());

      expect(stages.audited).toEqual([]);
    });
  });

  describe('a provider failure', () => {
    it('settles the claimed message as a failure and is not audited as a refusal', async () => {
      const failure = new ProviderError('PROVIDER_REJECTED', 'Refused by the carrier.', 'failed', {
        status: 422,
        agentMessage: "I couldn't send the text.",
      });
      stages.providerFailure = failure;

      const error = await refusedBy(stages, call());

      expect(error).toBe(failure);
      expect(stages.log).toEqual([...CHECKS, 'claim', 'provider', 'settleFailure']);
      expect(stages.settledFailures).toEqual([failure]);
      expect(stages.audited).toEqual([]);
      expect(isAudited(error)).toBe(true);
    });
  });
});
