import {
  openMessageDatabase,
  storeMessage,
  type MessageDatabase,
} from '../../test/support/message-database.js';
import type { ResilientProvider } from '../providers/resilient-provider.js';
import type { MessageEntity } from './message.entity.js';
import { MessagesService } from './messages.service.js';
import { ReadAuditor } from '../audit/read-auditor.js';
import { ScheduledTextEntity } from '../scheduling/scheduled-text.entity.js';
import { ScheduledTextStore } from '../scheduling/scheduled-text.store.js';

/** The provider's side of a cancel: records what it was asked, or fails like an outage. */
class FakeTransport {
  readonly canceled: string[] = [];
  failure?: Error;

  cancel(providerSid: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.canceled.push(providerSid);
    return Promise.resolve();
  }
}

/** The key that sent the stored messages (test/support/message-database.ts). */
const SENDER = 'voice-agent';
const CONTEXT = { apiKeyName: SENDER, requestId: 'req-cancel' };
const OWN = { apiKeyName: SENDER, readsAll: false };

describe('MessagesService', () => {
  let db: MessageDatabase;
  let transport: FakeTransport;
  let service: MessagesService;

  beforeEach(async () => {
    db = await openMessageDatabase();
    transport = new FakeTransport();
    service = new MessagesService(
      db.unitOfWork,
      transport as unknown as ResilientProvider,
      db.store,
      db.audit,
      db.metrics,
      new ScheduledTextStore(),
      new ReadAuditor(db.audit, db.unitOfWork),
    );
  });

  afterEach(async () => {
    await db.close();
  });

  const scheduled = (): Promise<MessageEntity> =>
    storeMessage(
      db,
      { sendAt: new Date('2030-01-16T13:00:00Z') },
      {
        status: 'scheduled',
        providerSid: 'SM-scheduled',
      },
    );
  const actions = async () => (await db.events()).map((event) => event.action);

  describe('status', () => {
    it("answers a message's status with the number masked", async () => {
      const message = await storeMessage(db, {}, { status: 'sent', providerSid: 'SM1' });

      const status = await service.status(message.id, OWN);

      expect(status).toMatchObject({
        message_id: message.id,
        status: 'sent',
        provider_sid: 'SM1',
        tool: 'send_sms',
      });
      expect(status.to).toBe('***-***-0143');
    });

    it('answers 404 NOT_FOUND for an unknown id', async () => {
      await expect(
        service.status('00000000-0000-4000-8000-000000000000', OWN),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    });

    it("answers another key's message as a missing one, unless the reader reads all", async () => {
      const message = await storeMessage(db, {}, { status: 'sent', providerSid: 'SM1' });

      await expect(
        service.status(message.id, { apiKeyName: 'care-team', readsAll: false }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
      expect(
        await service.status(message.id, { apiKeyName: 'care-team', readsAll: true }),
      ).toMatchObject({ message_id: message.id, api_key_name: SENDER });
    });
  });

  describe('cancel', () => {
    it('cancels a scheduled message at the provider, then records the row and its event', async () => {
      const message = await scheduled();

      const answer = await service.cancel(message.id, CONTEXT);

      expect(transport.canceled).toEqual(['SM-scheduled']);
      expect(answer).toMatchObject({ message_id: message.id, status: 'canceled' });
      expect(await db.messages.findOneByOrFail({ id: message.id })).toMatchObject({
        status: 'canceled',
      });
      expect((await db.events()).at(-1)).toMatchObject({
        action: 'sms.canceled',
        actor: SENDER,
        messageId: message.id,
        requestId: 'req-cancel',
      });
    });

    it.each(['sent', 'accepted', 'failed', 'canceled'] as const)(
      'refuses a message that is %s: 409 MESSAGE_NOT_CANCELABLE, and asks the provider nothing',
      async (status) => {
        const message = await storeMessage(db, {}, { status, providerSid: 'SM1' });

        await expect(service.cancel(message.id, CONTEXT)).rejects.toMatchObject({
          code: 'MESSAGE_NOT_CANCELABLE',
          status: 409,
        });
        expect(transport.canceled).toEqual([]);
        expect(await db.messages.findOneByOrFail({ id: message.id })).toMatchObject({ status });
      },
    );

    it('cancels a text the dispatcher holds without asking the provider, and forgets its text', async () => {
      const message = await storeMessage(db, {}, { status: 'scheduled', providerSid: null });
      const texts = db.dataSource.getRepository(ScheduledTextEntity);
      await texts.insert({ messageId: message.id, body: 'Later', mediaUrl: null });

      const answer = await service.cancel(message.id, CONTEXT);

      expect(answer.status).toBe('canceled');
      expect(transport.canceled).toEqual([]);
      expect(await texts.countBy({ messageId: message.id })).toBe(0);
      expect(await actions()).toContain('sms.canceled');
    });

    it('leaves the message scheduled, with no event, when the provider cannot cancel it', async () => {
      const message = await scheduled();
      transport.failure = new Error('provider down');

      await expect(service.cancel(message.id, CONTEXT)).rejects.toThrow('provider down');

      expect(await db.messages.findOneByOrFail({ id: message.id })).toMatchObject({
        status: 'scheduled',
      });
      expect(await actions()).not.toContain('sms.canceled');
    });

    it('answers 404 NOT_FOUND for an unknown id', async () => {
      await expect(
        service.cancel('00000000-0000-4000-8000-000000000000', CONTEXT),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
    });

    it("answers another key's message as a missing one, and leaves it scheduled", async () => {
      const message = await scheduled();

      await expect(
        service.cancel(message.id, { apiKeyName: 'care-team', requestId: 'req-other' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });

      expect(transport.canceled).toEqual([]);
      expect(await db.messages.findOneByOrFail({ id: message.id })).toMatchObject({
        status: 'scheduled',
      });
      expect(await actions()).not.toContain('sms.canceled');
    });
  });
});
