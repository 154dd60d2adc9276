import type { INestApplication } from '@nestjs/common';
import { UnitOfWork } from '../src/database/unit-of-work.js';
import { EventDeliveryWorker, type DeliveryRound } from '../src/events/event-delivery.worker.js';
import { EventOutbox } from '../src/events/event-outbox.js';
import {
  createScratchPostgres,
  describeWithPostgres,
  type ScratchDatabase,
} from './support/databases.js';
import { startEventReceiver, type EventReceiver } from './support/event-receiver.js';
import { createTestApp } from './support/test-app.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const EVENTS = 200;

describeWithPostgres('events out from two instances (integration, PostgreSQL)', () => {
  let db: ScratchDatabase;
  let receiver: EventReceiver;
  let first: INestApplication;
  let second: INestApplication;

  beforeAll(async () => {
    db = await createScratchPostgres('events');
    receiver = await startEventReceiver();
    const options = {
      env: {
        DATABASE_URL: db.url,
        EVENTS_WEBHOOK_URL: receiver.url,
        EVENTS_WEBHOOK_SECRET: SECRET,
        // Small batches, so both instances come back for more while the other is delivering.
        EVENTS_BATCH_SIZE: '9',
      },
    };
    first = await createTestApp(options);
    second = await createTestApp(options);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await receiver?.close();
    await db?.drop();
  });

  it(`delivers ${EVENTS} events once each, never one event by both at once`, async () => {
    const outbox = first.get(EventOutbox);
    const written: string[] = [];
    for (let n = 0; n < EVENTS; n++) {
      const id = await first.get(UnitOfWork).run((manager) =>
        outbox.add(manager, 'message.sent', {
          message_id: `m-${n}`,
          tool: 'send_sms',
          conversation_id: null,
          to: '***-***-0143',
        }),
      );
      written.push(id as string);
    }
    receiver.delayMs = 5;

    const rounds: DeliveryRound[] = [];
    for (let round = 0; round < 60; round++) {
      const results = await Promise.all(
        [first, second, first, second].map((app) => app.get(EventDeliveryWorker).deliverDue()),
      );
      rounds.push(...results);
      if (results.every((r) => r.claimed === 0)) break;
    }

    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    expect(ids).toHaveLength(EVENTS);
    expect(new Set(ids)).toEqual(new Set(written));
    expect(receiver.maxOverlap).toBe(1);
    expect(rounds.reduce((sum, r) => sum + r.delivered, 0)).toBe(EVENTS);
    // Both instances took part: the claims, not a lucky order, kept the deliveries apart.
    expect(rounds.filter((r) => r.delivered > 0).length).toBeGreaterThan(2);
  });
});
