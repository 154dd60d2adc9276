import type { DataSource } from 'typeorm';
import type { AuditEventInput } from '../../src/audit/audit-event.js';

export function sendEvent(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actor: 'voice-agent',
    action: 'sms.sent',
    outcome: 'success',
    messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    recipient: '+12025550143',
    requestId: `req-${n}`,
    conversationId: 'conv_chain',
    details: { tool: 'send_sms', body_sha256: 'b'.repeat(64), segments: 1 },
    ...overrides,
  };
}

/** Changes stored rows the way someone with database access could, past the append-only trigger. */
export async function tamper(dataSource: DataSource, sql: string): Promise<void> {
  const postgres = dataSource.options.type === 'postgres';
  await dataSource.query(
    postgres
      ? 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update'
      : 'DROP TRIGGER audit_events_no_update',
  );
  try {
    await dataSource.query(sql);
  } finally {
    await dataSource.query(
      postgres
        ? 'ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update'
        : `CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
           BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
    );
  }
}
