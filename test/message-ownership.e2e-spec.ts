import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Clock } from '../src/common/clock.js';
import type { SandboxProvider } from '../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../src/providers/sms-provider.js';
import { DispatcherService } from '../src/scheduling/dispatcher.service.js';
import { expectErrorContract } from './support/error-contract.js';
import { createTestApp } from './support/test-app.js';

const OWNER = 'clinic-a-key-0123456789abcdefghij';
const OTHER = 'clinic-b-key-0123456789abcdefghij';
const VAPI_BOUND = 'vapi-bound-key-0123456789abcdefgh';
const READ_ALL = 'read-all-key-0123456789abcdefghij';
const NO_SUCH_ID = '0b6f7d1e-3c2a-4e5f-8a9b-0c1d2e3f4a5b';

/** 22:00 in New York: inside quiet hours, so a text is scheduled for 08:00. */
class NightClock extends Clock {
  current = new Date('2026-11-26T03:00:00Z');
  override now(): Date {
    return new Date(this.current);
  }
}
const MORNING = new Date('2026-11-26T13:00:00Z');

async function bootClinic(keys: string[], clock: Clock): Promise<INestApplication> {
  return createTestApp({
    env: {
      API_KEYS: keys.join(','),
      QUIET_HOURS: '21:00-08:00',
      DEFAULT_TIMEZONE: 'America/New_York',
    },
    override: (builder) => builder.overrideProvider(Clock).useValue(clock),
  });
}

/** What the answer says, without the request id every answer has of its own. */
const withoutRequestId = (body: Record<string, unknown>) => ({ ...body, request_id: undefined });

describe("a key cannot see or cancel another key's texts (e2e)", () => {
  let app: INestApplication;
  const clock = new NightClock();
  beforeAll(async () => {
    app = await bootClinic(
      [
        `clinic-a:${OWNER}:sms.send+sms.read`,
        `clinic-b:${OTHER}:sms.send+sms.read`,
        `vapi-agent:${VAPI_BOUND}:sms.send+sms.read:vapi`,
      ],
      clock,
    );
  });
  afterAll(() => app.close());

  const http = () => request(app.getHttpServer());
  let n = 0;
  const send = (extra: object = {}) =>
    http()
      .post('/api/sms/send')
      .set('X-API-Key', OWNER)
      .send({
        phone_number: '+12025550143',
        message: `Your visit is confirmed (${++n}).`,
        ...extra,
      })
      .expect(201);
  const read = (id: string, key: string) =>
    http().get(`/api/sms/messages/${id}`).set('X-API-Key', key);
  const cancel = (id: string, key: string) =>
    http().delete(`/api/sms/messages/${id}`).set('X-API-Key', key);
  const sandboxHas = (id: string) =>
    app
      .get<SandboxProvider>(SMS_PROVIDER)
      .recent()
      .some((m) => m.messageId === id);

  it("answers another key's cancel exactly as for an id that does not exist, and the text still goes", async () => {
    const sent = await send();
    expect(sent.body.status).toBe('scheduled');
    const id = sent.body.message_id as string;

    const attack = await cancel(id, OTHER);
    const missing = await cancel(NO_SUCH_ID, OTHER);
    expect(attack.status).toBe(404);
    expectErrorContract(attack.body, 'NOT_FOUND');
    expect(withoutRequestId(attack.body)).toEqual(withoutRequestId(missing.body));

    expect((await read(id, OWNER).expect(200)).body.status).toBe('scheduled');
    clock.current = MORNING;
    try {
      await app.get(DispatcherService).dispatchDue();
    } finally {
      clock.current = new NightClock().current;
    }
    expect(sandboxHas(id)).toBe(true);
  });

  it('tells another key nothing about a text it cannot cancel (no 409 naming its status)', async () => {
    const sent = await send({ urgent: true });
    expect(sent.body.status).not.toBe('scheduled');
    const attack = await cancel(sent.body.message_id as string, OTHER);
    const missing = await cancel(NO_SUCH_ID, OTHER);
    expect(attack.status).toBe(404);
    expect(withoutRequestId(attack.body)).toEqual(withoutRequestId(missing.body));
    expect(JSON.stringify(attack.body)).not.toContain(sent.body.status as string);
  });

  it('refuses a key bound to Vapi at the REST cancel route with 403, and the text stays scheduled', async () => {
    const sent = await send();
    const id = sent.body.message_id as string;
    const attack = await cancel(id, VAPI_BOUND);
    expect(attack.status).toBe(403);
    expectErrorContract(attack.body, 'FORBIDDEN');
    expect((await read(id, OWNER).expect(200)).body.status).toBe('scheduled');
  });

  it("answers another key's read exactly as for an id that does not exist", async () => {
    const sent = await send();
    const attack = await read(sent.body.message_id as string, OTHER);
    const missing = await read(NO_SUCH_ID, OTHER);
    expect(attack.status).toBe(404);
    expectErrorContract(attack.body, 'NOT_FOUND');
    expect(withoutRequestId(attack.body)).toEqual(withoutRequestId(missing.body));
    // A key bound to a platform reads like any other key: its own messages only.
    expect((await read(sent.body.message_id as string, VAPI_BOUND)).status).toBe(404);
  });

  it('still lets the sender read and cancel its own text', async () => {
    const sent = await send();
    const id = sent.body.message_id as string;
    expect((await read(id, OWNER).expect(200)).body).toMatchObject({
      message_id: id,
      api_key_name: 'clinic-a',
    });
    expect((await cancel(id, OWNER).expect(200)).body.status).toBe('canceled');
  });
});

describe('the sms.read_all scope (e2e)', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await bootClinic(
      [`clinic-a:${OWNER}:sms.send+sms.read`, `ops:${READ_ALL}:sms.send+sms.read+sms.read_all`],
      new NightClock(),
    );
  });
  afterAll(() => app.close());
  const http = () => request(app.getHttpServer());

  it("reads every key's messages, but cancels only its own", async () => {
    const sent = await http()
      .post('/api/sms/send')
      .set('X-API-Key', OWNER)
      .send({ phone_number: '+12025550143', message: 'Your visit is confirmed.' })
      .expect(201);
    const id = sent.body.message_id as string;
    const seen = await http().get(`/api/sms/messages/${id}`).set('X-API-Key', READ_ALL).expect(200);
    expect(seen.body).toMatchObject({ message_id: id, api_key_name: 'clinic-a' });
    const attack = await http().delete(`/api/sms/messages/${id}`).set('X-API-Key', READ_ALL);
    expect(attack.status).toBe(404);
    expectErrorContract(attack.body, 'NOT_FOUND');
  });
});
