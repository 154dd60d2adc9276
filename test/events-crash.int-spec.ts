import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { startInstances } from '../scripts/cluster.mjs';
import { freePort } from './support/free-port.js';
import { startEventReceiver, type EventReceiver } from './support/event-receiver.js';
import { TEST_API_KEY } from './support/test-app.js';

/** The built app (dist/main.js) as real processes, killed as a crash would kill it. */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

async function eventually(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('events out across a crash of the built app (process)', () => {
  let receiver: EventReceiver;
  let dir: string;
  beforeAll(async () => {
    receiver = await startEventReceiver();
    dir = mkdtempSync(join(tmpdir(), 'gateway-events-crash-'));
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers an event committed by an instance killed with SIGKILL before delivering it', async () => {
    const env = (intervalMs: string) => ({
      API_KEYS: `agent:${TEST_API_KEY}:sms.send`,
      // SQLite in a file both processes open: keep CI's PostgreSQL and Redis out of it.
      DATABASE_URL: '',
      REDIS_URL: '',
      SQLITE_PATH: join(dir, 'gateway.sqlite'),
      LOG_LEVEL: 'silent',
      QUIET_HOURS: 'off',
      EVENTS_WEBHOOK_URL: receiver.url,
      EVENTS_WEBHOOK_SECRET: SECRET,
      EVENTS_DELIVERY_INTERVAL_MS: intervalMs,
    });
    // The first instance would deliver in ten minutes: it is killed long before.
    const first = await startInstances({ ports: [await freePort()], env: env('600000') });
    const res = await fetch(`${first.urls[0]}/api/sms/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_API_KEY },
      body: JSON.stringify({ phone_number: '+12025550143', message: 'Sent before the crash' }),
    });
    expect(res.status).toBe(201);
    const { message_id: messageId } = (await res.json()) as { message_id: string };
    expect(await first.stop('SIGKILL')).toEqual(['SIGKILL']);
    expect(receiver.received).toHaveLength(0);

    const second = await startInstances({ ports: [await freePort()], env: env('100') });
    try {
      await eventually(() => receiver.received.length > 0, 15_000);
      // A little longer: a second delivery of the same event would show now.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await second.stop('SIGTERM');
    }
    expect(receiver.received).toHaveLength(1);
    const [delivery] = receiver.received;
    const event = new Webhook(SECRET).verify(
      delivery.body,
      delivery.headers as Record<string, string>,
    ) as { type: string; data: { message_id: string } };
    expect(event).toMatchObject({ type: 'message.sent', data: { message_id: messageId } });
  });
});
