import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../src/audit/audit-event.entity.js';
import { DomainError } from '../src/common/errors/domain-error.js';
import { ConsentService } from '../src/consent/consent.service.js';
import { SendPipeline } from '../src/send/send-pipeline.js';
import type { SendResult } from '../src/send/tool-call.js';
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
        RATE_LIMIT_PER_RECIPIENT_10MIN: '2',
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
  const auditOf = (requestId: string) =>
    app.get(DataSource).getRepository(AuditEventEntity).findBy({ requestId });

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

  const refusals: [
    string,
    string,
    Record<string, unknown>,
    string,
    (to: string) => Promise<void>,
  ][] = [
    [
      'validation',
      'send_sms',
      { message: 'Hi.', favourite_color: 'blue' },
      'VALIDATION_FAILED',
      async () => {},
    ],
    [
      'an unreadable number',
      'send_sms',
      { phone_number: '12', message: 'Hi.' },
      'INVALID_PHONE_NUMBER',
      async () => {},
    ],
    [
      'link policy',
      'send_copay_card',
      { patient_name: 'Jane Doe', copay_url: 'https://evil.example.net/card' },
      'LINK_NOT_ALLOWED',
      async () => {},
    ],
    [
      'consent',
      'send_sms',
      { message: 'Hello again.' },
      'RECIPIENT_OPTED_OUT',
      async (to) => {
        await app
          .get(ConsentService)
          .record(to, { state: 'opted_out', source: 'keyword', keyword: 'STOP', actor: 'twilio' });
      },
    ],
  ];

  it.each(refusals)(
    'refuses for %s exactly as REST does, with one audit event each',
    async (_, tool, fields, code, arrange) => {
      const to = `+120255502${String(++patients).padStart(2, '0')}`;
      await arrange(to);
      const input = { phone_number: to, ...fields };
      const path = tool === 'send_sms' ? '/api/sms/send' : '/api/sms/send-copay-card';
      const internal = await viaScheduler(tool, input);
      const rest = await viaRest(path, input);

      expect(internal.code).toBe(code);
      expect({
        status: internal.status,
        code: internal.code,
        agent: internal.agentMessage,
      }).toEqual({ status: rest.status, code: rest.code, agent: rest.agentMessage });
      const [internalEvents, restEvents] = [
        await auditOf(internal.requestId),
        await auditOf(rest.requestId),
      ];
      expect(internalEvents.map((e) => e.action)).toEqual(['sms.rejected']);
      expect(restEvents.map((e) => e.action)).toEqual(['sms.rejected']);
      expect(JSON.parse(internalEvents[0].details ?? '{}')).toMatchObject({
        code,
        platform: 'scheduler',
      });
      expect(JSON.parse(restEvents[0].details ?? '{}')).toMatchObject({ code, platform: 'rest' });
    },
  );
});
