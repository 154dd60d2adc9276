import { jest } from '@jest/globals';
import type { ConfigType } from '@nestjs/config';
import {
  backdate,
  newMessage,
  openMessageDatabase,
  type MessageDatabase,
} from '../../test/support/message-database.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { sendingConfig } from '../config/sending.config.js';
import type { throttleConfig } from '../config/throttle.config.js';
import { TextLimits } from '../limits/text-limits.js';
import type { NewMessage } from '../messages/message.store.js';
import { ClaimConflicts } from './claim-conflicts.js';
import { ClaimStage } from './claim.stage.js';
import type { ToolCall } from './tool-call.js';

// A real unit of work: SQLite in memory with the project's migrations, so the unique keys,
// the rollback and the claim's transaction are the ones production has.

const HOUR = 3_600_000;
const SENDING = {
  dedupeWindowMs: 10 * 60_000,
  idempotencyTtlMs: 24 * HOUR,
} as ConfigType<typeof sendingConfig>;

function limitsOf(perRecipientShort: number): ConfigType<typeof throttleConfig> {
  const roomy = { limit: 100, ttl: 24 * HOUR };
  return {
    perKey: roomy,
    perRecipientShort: { limit: perRecipientShort, ttl: 10 * 60_000 },
    perRecipientDay: roomy,
    perConversation: roomy,
    conversationRecipients: roomy,
    authFailuresPerIp: roomy,
    dailySendCap: roomy,
  };
}

const call = (idempotencyKey?: string): ToolCall => ({
  tool: 'send_sms',
  input: {},
  caller: { apiKeyName: 'voice-agent', platform: 'rest' },
  idempotencyKey,
  requestId: 'req-claim',
});

const keyed = (key: string, fingerprint: string): Partial<NewMessage> => ({
  idempotencyKey: key,
  requestFingerprint: fingerprint,
});

describe('ClaimStage', () => {
  let db: MessageDatabase;
  let stage: ClaimStage;

  async function open(perRecipientShort = 1): Promise<void> {
    db = await openMessageDatabase();
    const limits = new TextLimits(limitsOf(perRecipientShort), null, db.metrics);
    stage = new ClaimStage(
      db.unitOfWork,
      db.store,
      db.audit,
      limits,
      db.digests,
      db.chainState,
      new ClaimConflicts(db.unitOfWork, SENDING, db.store, db.audit, db.metrics),
    );
  }

  afterEach(async () => {
    await db.close();
  });

  async function claimed(row: NewMessage, key?: string) {
    const claim = await stage.claim(row, call(key), false);
    if (!('message' in claim)) throw new Error('expected a claimed row, got a replay');
    return claim.message;
  }

  async function settleWithAnswer(id: string, body: object) {
    await db.unitOfWork.run((manager) =>
      db.store.settle(manager, id, {
        status: 'sent',
        providerSid: 'SM1',
        response: { status: 201, body },
      }),
    );
  }

  async function actions(): Promise<string[]> {
    return (await db.events()).map((event) => event.action);
  }

  it('inserts the row as accepted with its sms.requested event', async () => {
    await open();
    const message = await claimed(newMessage());

    await expect(db.messages.findOneBy({ id: message.id })).resolves.toMatchObject({
      status: 'accepted',
    });
    expect(await db.events()).toEqual([
      expect.objectContaining({ action: 'sms.requested', messageId: message.id }),
    ]);
  });

  it('spends the text limits inside the claim: a refused text leaves no row and no event', async () => {
    await open(1);
    await claimed(newMessage());

    const refused = stage.claim(newMessage({ bodySha256: 'c'.repeat(64) }), call(), false);

    await expect(refused).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { limit: 'per-recipient-10min' },
    });
    expect(await db.messages.count()).toBe(1);
    expect(await actions()).toEqual(['sms.requested']);
  });

  it('gives the limits back when the claim rolls back after spending them', async () => {
    await open(1);
    jest.spyOn(db.audit, 'append').mockRejectedValueOnce(new Error('disk full'));

    await expect(stage.claim(newMessage(), call(), false)).rejects.toThrow('disk full');
    expect(await db.messages.count()).toBe(0);

    // The one text the limit allows is still there.
    await expect(claimed(newMessage())).resolves.toMatchObject({ status: 'accepted' });
  });

  it('replays the stored answer for the same Idempotency-Key and request, spending nothing', async () => {
    await open(1);
    const first = await claimed(newMessage(keyed('key-1', 'fp-1')), 'key-1');
    await settleWithAnswer(first.id, { success: true, message_id: first.id });

    const again = await stage.claim(newMessage(keyed('key-1', 'fp-1')), call('key-1'), false);

    expect(again).toEqual({
      replay: {
        kind: 'replayed',
        status: 201,
        body: { success: true, message_id: first.id },
        headers: { 'Idempotent-Replayed': 'true' },
      },
    });
    expect(await db.messages.count()).toBe(1);
    expect(await actions()).toEqual(['sms.requested', 'sms.duplicate_replayed']);
  });

  it('refuses the same Idempotency-Key with another request: 422 IDEMPOTENCY_KEY_REUSED', async () => {
    await open(1);
    const first = await claimed(newMessage(keyed('key-1', 'fp-1')), 'key-1');
    await settleWithAnswer(first.id, { success: true });

    const reused = stage.claim(newMessage(keyed('key-1', 'fp-other')), call('key-1'), false);

    await expect(reused).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 422 });
    expect(await db.messages.count()).toBe(1);
  });

  it('answers 409 with Retry-After while the send under the same key is in flight', async () => {
    await open(1);
    await claimed(newMessage(keyed('key-1', 'fp-1')), 'key-1');

    const error = (await stage
      .claim(newMessage(keyed('key-1', 'fp-1')), call('key-1'), false)
      .catch((e: unknown) => e)) as DomainError;

    expect(error).toMatchObject({
      code: 'IDEMPOTENCY_IN_FLIGHT',
      status: 409,
      retryable: true,
      headers: { 'Retry-After': '1' },
    });
  });

  it('answers 409 DUPLICATE_IN_FLIGHT for the same text while the first is in flight', async () => {
    await open(1);
    await claimed(newMessage({ dedupeKey: 'd'.repeat(64) }));

    await expect(
      stage.claim(newMessage({ dedupeKey: 'd'.repeat(64) }), call(), false),
    ).rejects.toMatchObject({ code: 'DUPLICATE_IN_FLIGHT', status: 409 });
  });

  it('answers a settled duplicate with the first answer, marked duplicate', async () => {
    await open(1);
    const first = await claimed(newMessage({ dedupeKey: 'd'.repeat(64) }));
    await settleWithAnswer(first.id, { success: true, message_id: first.id });

    const again = await stage.claim(newMessage({ dedupeKey: 'd'.repeat(64) }), call(), false);

    expect(again).toMatchObject({
      replay: { kind: 'duplicate', status: 201, body: { duplicate: true, message_id: first.id } },
    });
  });

  it('frees an Idempotency-Key past its TTL and claims it again', async () => {
    await open(5);
    const old = await claimed(newMessage(keyed('key-1', 'fp-1')), 'key-1');
    await settleWithAnswer(old.id, { success: true });
    await backdate(db, old.id, new Date(Date.now() - 25 * HOUR));

    const fresh = await claimed(newMessage(keyed('key-1', 'fp-other')), 'key-1');

    expect(fresh.id).not.toBe(old.id);
    await expect(db.messages.findOneBy({ id: old.id })).resolves.toMatchObject({
      idempotencyKey: null,
    });
  });

  it('frees the duplicate key of a failed send: asking again is a new attempt', async () => {
    await open(5);
    const failed = await claimed(newMessage({ dedupeKey: 'd'.repeat(64) }));
    await db.unitOfWork.run((manager) =>
      db.store.settle(manager, failed.id, { status: 'failed', errorCode: 'PROVIDER_REJECTED' }),
    );

    const retried = await claimed(newMessage({ dedupeKey: 'd'.repeat(64) }));

    expect(retried.id).not.toBe(failed.id);
    await expect(db.messages.findOneBy({ id: failed.id })).resolves.toMatchObject({
      dedupeKey: null,
    });
  });
});
