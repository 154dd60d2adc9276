import { Injectable, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { RefusalAuditor } from '../audit/refusal-auditor.js';
import { DomainError } from '../common/errors/domain-error.js';
import { appConfig } from '../config/app.config.js';
import type { MessageEntity } from '../messages/message.entity.js';
import { SendPipeline } from './send-pipeline.js';
import type { SendContext, SendStage } from './send-stage.js';
import { sendStageProviders } from './send-stages.js';
import { SettleStage } from './settle.stage.js';
import type { SendResult, ToolCall } from './tool-call.js';

/** What the stages did, in the order they did it: shared through Nest like any dependency. */
@Injectable()
class Trace {
  readonly steps: string[] = [];
  readonly settledFailures: string[] = [];
  readonly refusals: string[] = [];
}

const ANSWER: SendResult = { kind: 'sent', status: 201, body: { success: true }, headers: {} };

@Injectable()
class ReadNumber implements SendStage {
  constructor(private readonly trace: Trace) {}
  run(send: SendContext): void {
    this.trace.steps.push('number');
    send.set('recipientHash', 'hash-of-the-number');
  }
}

@Injectable()
class Consent implements SendStage {
  constructor(private readonly trace: Trace) {}
  run(send: SendContext): void {
    // Needs the number: a list that puts it first must fail, not skip the check.
    this.trace.steps.push(`consent for ${send.get('recipientHash')}`);
  }
}

@Injectable()
class Claim implements SendStage {
  constructor(private readonly trace: Trace) {}
  run(send: SendContext): Promise<void> {
    this.trace.steps.push('claim');
    send.set('message', { id: 'message-1' } as MessageEntity);
    return Promise.resolve();
  }
}

@Injectable()
class Answer implements SendStage {
  constructor(private readonly trace: Trace) {}
  run(): Promise<SendResult> {
    this.trace.steps.push('answer');
    return Promise.resolve(ANSWER);
  }
}

@Injectable()
class Refuse implements SendStage {
  constructor(private readonly trace: Trace) {}
  run(): void {
    this.trace.steps.push('refuse');
    throw new DomainError('RECIPIENT_NOT_ALLOWED', 'Refused.', {
      status: 422,
      agentMessage: 'No.',
    });
  }
}

/** A pipeline built the way SendModule builds it, from the list given. */
async function pipelineOf(
  stages: Type<SendStage>[],
): Promise<{ pipeline: SendPipeline; trace: Trace }> {
  const module = await Test.createTestingModule({
    providers: [
      Trace,
      SendPipeline,
      ...sendStageProviders(stages),
      { provide: appConfig.KEY, useValue: { requestDeadlineMs: 10_000 } },
      {
        provide: RefusalAuditor,
        inject: [Trace],
        useFactory: (trace: Trace) => ({
          recordToolRefusal: (_call: ToolCall, _recipient: string | null, error: DomainError) => {
            trace.refusals.push(error.code);
            return Promise.resolve();
          },
        }),
      },
      {
        provide: SettleStage,
        inject: [Trace],
        useFactory: (trace: Trace) => ({
          settleFailure: (message: MessageEntity) => {
            trace.settledFailures.push(message.id);
            return Promise.resolve();
          },
        }),
      },
    ],
  }).compile();
  return { pipeline: module.get(SendPipeline), trace: module.get(Trace) };
}

const call: ToolCall = {
  tool: 'send_sms',
  input: {},
  caller: { apiKeyName: 'voice-agent', platform: 'rest' },
  requestId: 'req-stages',
};

describe('the list of send stages', () => {
  it('runs the stages in the order of the list and answers with the first result', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Consent, Claim, Answer]);

    await expect(pipeline.run(call)).resolves.toBe(ANSWER);
    expect(trace.steps).toEqual(['number', 'consent for hash-of-the-number', 'claim', 'answer']);
  });

  it('runs a stage added to the list where it was added, and stops at a refusal', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Refuse, Consent, Claim, Answer]);

    await expect(pipeline.run(call)).rejects.toMatchObject({ code: 'RECIPIENT_NOT_ALLOWED' });
    expect(trace.steps).toEqual(['number', 'refuse']);
    expect(trace.refusals).toEqual(['RECIPIENT_NOT_ALLOWED']);
  });

  it('skips a stage removed from the list', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Claim, Answer]);

    await expect(pipeline.run(call)).resolves.toBe(ANSWER);
    expect(trace.steps).toEqual(['number', 'claim', 'answer']);
  });

  it('runs a reordered list in its new order', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Answer, Consent, Claim]);

    await expect(pipeline.run(call)).resolves.toBe(ANSWER);
    expect(trace.steps).toEqual(['number', 'answer']);
  });

  it('fails loudly when a stage runs before the one it needs, and audits no refusal', async () => {
    const { pipeline, trace } = await pipelineOf([Consent, ReadNumber, Claim, Answer]);

    await expect(pipeline.run(call)).rejects.toThrow(
      'No send stage before this one sets "recipientHash"',
    );
    expect(trace.steps).toEqual([]);
    expect(trace.refusals).toEqual([]);
  });

  it('settles a claimed message when a later stage fails, instead of auditing a refusal', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Claim, Refuse, Answer]);

    await expect(pipeline.run(call)).rejects.toMatchObject({ code: 'RECIPIENT_NOT_ALLOWED' });
    expect(trace.steps).toEqual(['number', 'claim', 'refuse']);
    expect(trace.settledFailures).toEqual(['message-1']);
    expect(trace.refusals).toEqual([]);
  });

  it('refuses to end a send that no stage answered', async () => {
    const { pipeline, trace } = await pipelineOf([ReadNumber, Consent]);

    await expect(pipeline.run(call)).rejects.toThrow('No send stage answered');
    expect(trace.steps).toEqual(['number', 'consent for hash-of-the-number']);
  });
});
