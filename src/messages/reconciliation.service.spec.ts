import type { ConfigType } from '@nestjs/config';
import {
  backdate,
  openMessageDatabase,
  storeMessage,
  type MessageDatabase,
} from '../../test/support/message-database.js';
import type { sendingConfig } from '../config/sending.config.js';
import type { ResilientProvider } from '../providers/resilient-provider.js';
import type { ProviderMessage } from '../providers/sms-provider.js';
import type { MessageEntity, MessageStatus } from './message.entity.js';
import type { NewMessage } from './message.store.js';
import { ReconciliationService } from './reconciliation.service.js';

const NOW = new Date('2030-01-15T17:00:00Z');
const MINUTE = 60_000;
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * MINUTE);

/** The provider's answer carries a text's plain SHA-256; rows store it keyed (KeyedDigests). */
const TEXT = 'a'.repeat(64);
const OTHER_TEXT = 'f'.repeat(64);

/** The provider's record of a recipient's recent messages. */
class FakeTransport {
  held: ProviderMessage[] = [];
  readonly lookups: { to: string; since: Date }[] = [];

  findRecent(to: string, since: Date): Promise<ProviderMessage[]> {
    this.lookups.push({ to, since });
    return Promise.resolve(this.held);
  }
}

const atProvider = (
  providerSid: string,
  status: MessageStatus | undefined = 'delivered',
  bodySha256 = TEXT,
): ProviderMessage => ({ providerSid, status, bodySha256, createdAt: minutesAgo(5) });

describe('ReconciliationService', () => {
  let db: MessageDatabase;
  let transport: FakeTransport;
  let service: ReconciliationService;

  beforeEach(async () => {
    db = await openMessageDatabase();
    transport = new FakeTransport();
    service = new ReconciliationService(
      db.unitOfWork,
      db.store,
      transport as unknown as ResilientProvider,
      db.audit,
      { now: () => NOW },
      db.digests,
      { reconcileIntervalMs: 0 } as ConfigType<typeof sendingConfig>,
    );
  });

  afterEach(async () => {
    await db.close();
  });

  async function unsettled(
    createdMinutesAgo: number,
    status: MessageStatus = 'unknown',
    overrides: Partial<NewMessage> = {},
  ): Promise<MessageEntity> {
    const row = await storeMessage(
      db,
      { bodySha256: db.digests.of(TEXT), ...overrides },
      { status },
    );
    await backdate(db, row.id, minutesAgo(createdMinutesAgo));
    return row;
  }

  const reread = (row: MessageEntity) => db.messages.findOneByOrFail({ id: row.id });

  it("settles an unknown send found at the provider by its text, with the provider's status", async () => {
    const row = await unsettled(5);
    transport.held = [atProvider('SM-found', 'delivered')];

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 1 });

    expect(await reread(row)).toMatchObject({ status: 'delivered', providerSid: 'SM-found' });
    const event = (await db.events()).at(-1)!;
    expect(event).toMatchObject({
      action: 'sms.reconciled',
      outcome: 'success',
      messageId: row.id,
    });
    expect(JSON.parse(event.details!)).toMatchObject({
      from_status: 'unknown',
      status: 'delivered',
      provider_sid: 'SM-found',
    });
    expect(transport.lookups).toEqual([
      { to: row.recipient, since: new Date(minutesAgo(5).getTime() - 2 * MINUTE) },
    ]);
  });

  it("settles as sent when the provider's status says nothing about delivery", async () => {
    const row = await unsettled(5, 'accepted');
    transport.held = [{ ...atProvider('SM-found'), status: undefined }];

    await service.reconcile();

    expect(await reread(row)).toMatchObject({ status: 'sent', providerSid: 'SM-found' });
  });

  it("keys the provider's digest as the row stores it: a plain SHA-256 in a row matches nothing", async () => {
    const row = await unsettled(5, 'unknown', { bodySha256: TEXT });
    transport.held = [atProvider('SM-found', 'delivered')];

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 0 });

    expect(await reread(row)).toMatchObject({ status: 'unknown', providerSid: null });
  });

  it('matches on the text only: another text to the same number is not this send', async () => {
    const row = await unsettled(5);
    transport.held = [atProvider('SM-other', 'delivered', OTHER_TEXT)];

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 0 });

    expect(await reread(row)).toMatchObject({ status: 'unknown', providerSid: null });
  });

  it('fails a send the provider still does not know after the cut-off', async () => {
    const row = await unsettled(11);

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 1 });

    expect(await reread(row)).toMatchObject({
      status: 'failed',
      errorCode: 'NOT_FOUND_AT_PROVIDER',
    });
    expect((await db.events()).at(-1)).toMatchObject({
      action: 'sms.reconciled',
      outcome: 'failure',
    });
  });

  it('leaves an unmatched send alone before the cut-off: its answer may still come', async () => {
    const row = await unsettled(9);

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 0 });

    expect(await reread(row)).toMatchObject({ status: 'unknown' });
  });

  it('does not reuse a provider message another row already owns', async () => {
    await storeMessage(
      db,
      { bodySha256: db.digests.of(TEXT) },
      { status: 'delivered', providerSid: 'SM-owned' },
    );
    const row = await unsettled(5);
    transport.held = [atProvider('SM-owned'), atProvider('SM-free', 'sent')];

    await service.reconcile();

    expect(await reread(row)).toMatchObject({ status: 'sent', providerSid: 'SM-free' });
  });

  it('leaves the send unsettled when the only match is owned by another row', async () => {
    await storeMessage(
      db,
      { bodySha256: db.digests.of(TEXT) },
      { status: 'delivered', providerSid: 'SM-owned' },
    );
    const row = await unsettled(5);
    transport.held = [atProvider('SM-owned')];

    await expect(service.reconcile()).resolves.toEqual({ checked: 1, settled: 0 });

    expect(await reread(row)).toMatchObject({ status: 'unknown', providerSid: null });
  });

  it('looks only at unsettled sends old enough that no request is still working on them', async () => {
    await unsettled(5, 'sent');
    await unsettled(0.5, 'unknown');
    transport.held = [atProvider('SM-found')];

    await expect(service.reconcile()).resolves.toEqual({ checked: 0, settled: 0 });
    expect(transport.lookups).toEqual([]);
  });
});
