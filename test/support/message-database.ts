import { randomUUID } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import type { AuditLogService } from '../../src/audit/audit-log.service.js';
import type { AuditChainState } from '../../src/audit/chain-state.js';
import { KeyedDigests } from '../../src/common/keyed-digest.js';
import { RecipientHasher } from '../../src/common/recipient-hasher.js';
import type { UnitOfWork } from '../../src/database/unit-of-work.js';
import { ConsentService } from '../../src/consent/consent.service.js';
import type { MetricsService } from '../../src/metrics/metrics.service.js';
import { MessageEntity } from '../../src/messages/message.entity.js';
import {
  MessageStore,
  type NewMessage,
  type Settlement,
} from '../../src/messages/message.store.js';
import { AUDIT_TEST_CONFIG, openAuditLog } from '../audit-chain.suite.js';

export const PATIENT = '+12025550143';

/**
 * The message and audit tables on SQLite in memory, migrated, with the real store, audit log
 * and consent registry on them: the stages' own collaborators, without Nest or HTTP.
 */
export interface MessageDatabase {
  dataSource: DataSource;
  unitOfWork: UnitOfWork;
  audit: AuditLogService;
  store: MessageStore;
  messages: Repository<MessageEntity>;
  consent: ConsentService;
  hasher: RecipientHasher;
  digests: KeyedDigests;
  chainState: AuditChainState;
  metrics: MetricsService;
  /** The audit events, oldest first. */
  events(): Promise<AuditEventEntity[]>;
  close(): Promise<void>;
}

export async function openMessageDatabase(): Promise<MessageDatabase> {
  const { dataSource, unitOfWork, audit, state, metrics, close } = await openAuditLog({
    type: 'sqlite',
    url: undefined,
    sqlitePath: ':memory:',
    migrationsRun: true,
  });
  const hasher = new RecipientHasher(AUDIT_TEST_CONFIG);
  const messages = dataSource.getRepository(MessageEntity);
  return {
    dataSource,
    unitOfWork,
    audit,
    store: new MessageStore(messages),
    messages,
    consent: new ConsentService(unitOfWork, dataSource, audit, hasher),
    hasher,
    digests: new KeyedDigests(AUDIT_TEST_CONFIG),
    chainState: state,
    metrics,
    events: () => dataSource.getRepository(AuditEventEntity).find({ order: { seq: 'ASC' } }),
    close,
  };
}

/** A row as the pipeline would claim it; each call is a different text unless told otherwise. */
export function newMessage(overrides: Partial<NewMessage> = {}): NewMessage {
  const hasher = new RecipientHasher(AUDIT_TEST_CONFIG);
  const recipient = overrides.recipient ?? PATIENT;
  return {
    id: randomUUID(),
    tool: 'send_sms',
    apiKeyName: 'voice-agent',
    idempotencyKey: null,
    requestFingerprint: null,
    dedupeKey: null,
    recipient,
    recipientHash: hasher.hash(recipient),
    bodySha256: 'b'.repeat(64),
    segments: 1,
    encoding: 'GSM-7',
    transport: 'sandbox',
    conversationId: null,
    callerId: null,
    agentId: null,
    sendAt: null,
    ...overrides,
  };
}

/** Claims a row and settles it in one step, the way a finished send leaves it. */
export async function storeMessage(
  db: MessageDatabase,
  overrides: Partial<NewMessage> = {},
  settlement?: Settlement,
): Promise<MessageEntity> {
  const row = await db.unitOfWork.run((manager) => db.store.claim(manager, newMessage(overrides)));
  if (settlement) {
    await db.unitOfWork.run((manager) => db.store.settle(manager, row.id, settlement));
  }
  const stored = await db.store.findById(row.id);
  if (!stored) throw new Error('The stored message could not be read back');
  return stored;
}

/** Moves a row's creation time, as if it had been claimed that long ago. */
export async function backdate(db: MessageDatabase, id: string, createdAt: Date): Promise<void> {
  await db.messages.update({ id }, { createdAt });
}
