import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DomainError } from '../src/common/errors/domain-error.js';
import { SendPipeline } from '../src/send/send-pipeline.js';
import type { SendResult } from '../src/send/tool-call.js';
import {
  arrangeRefusal,
  expectAuditedOnce,
  REFUSAL_ENV,
  refusalCasesFor,
  refusalInput,
  restRefusal,
} from './support/refusal-cases.js';
import { createTestApp, TEST_API_KEY } from './support/test-app.js';

/** What either way in answered: a result, or a refusal's code and sentence. */
type Answer =
  | { status: number; code?: undefined; agentMessage: string }
  | { status: number; code: string; agentMessage: string };

/**
 * The pipeline driven without HTTP, as the scheduler drives it: the same checks, limits and
 * refusal audit must apply as over REST.
 */
describe('the send pipeline through a non-HTTP way in (e2e)', () => {
  let app: INestApplication;
  let pipeline: SendPipeline;
  beforeAll(async () => {
    app = await createTestApp({
      env: {
        ...REFUSAL_ENV,
        LINK_ALLOWED_HOSTS: 'copay.example.com',
      },
    });
    pipeline = app.get(SendPipeline);
  });
  afterAll(() => app.close());

  const viaScheduler = async (
    tool: string,
    input: Record<string, unknown>,
  ): Promise<Answer & { requestId: string }> => {
    const requestId = randomUUID();
    try {
      const result: SendResult = await pipeline.run({
        tool,
        input,
        caller: { apiKeyName: 'agent', platform: 'scheduler' },
        requestId,
      });
      return {
        status: result.status,
        agentMessage: (result.body as { agent_message: string }).agent_message,
        requestId,
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return {
        status: error.status,
        code: error.code,
        agentMessage: error.agentMessage,
        requestId,
      };
    }
  };

  const viaRest = async (
    path: string,
    input: Record<string, unknown>,
  ): Promise<Answer & { requestId: string }> => {
    const res = await request(app.getHttpServer())
      .post(path)
      .set('X-API-Key', TEST_API_KEY)
      .send(input);
    return {
      status: res.status,
      code: res.body.error?.code,
      agentMessage: res.body.agent_message,
      requestId: res.body.request_id ?? res.headers['x-request-id'],
    };
  };

  let patients = 0;

  it('sends, and the text counts against the same recipient limit as a REST send', async () => {
    const to = '+12025550171';
    const first = await viaScheduler('send_sms', { phone_number: to, message: 'Via scheduler.' });
    expect(first).toMatchObject({ status: 201 });
    expect(first.agentMessage).toContain('0171');
    await viaRest('/api/sms/send', { phone_number: to, message: 'Via REST.' });

    const third = await viaScheduler('send_sms', { phone_number: to, message: 'Third.' });
    const fourth = await viaRest('/api/sms/send', { phone_number: to, message: 'Fourth.' });
    for (const refused of [third, fourth]) {
      expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    }
    expect(third.agentMessage).toBe(fourth.agentMessage);
  });

  it.each(refusalCasesFor('scheduler'))(
    'refuses %s with the code and sentence of the shared table, as REST does, audited once',
    async (_, refusal) => {
      const to = `+120255502${String(++patients).padStart(2, '0')}`;
      await arrangeRefusal(app, refusal, to, (patient, message) =>
        viaScheduler('send_sms', { phone_number: patient, message }),
      );
      const input = refusalInput(refusal, to);
      const internal = await viaScheduler(refusal.tool, input);

      expect({
        status: internal.status,
        code: internal.code,
        agent: internal.agentMessage,
      }).toEqual({ status: refusal.status, code: refusal.code, agent: refusal.agentMessage });
      await expectAuditedOnce(app, internal.requestId, refusal, 'scheduler');
      if (refusal.overRest) {
        const rest = await restRefusal(app, refusal, input);
        expect([rest.code, rest.agentMessage]).toEqual([internal.code, internal.agentMessage]);
        await expectAuditedOnce(app, rest.requestId, refusal, 'rest');
      }
    },
  );
});
