/**
 * What other modules hand to AuditLogService.append(). Read this file to audit a new step.
 */

export const AUDIT_ACTIONS = [
  'sms.requested',
  'sms.sent',
  'sms.scheduled',
  'sms.canceled',
  'sms.reconciled',
  'sms.failed',
  'sms.unknown',
  'sms.rejected',
  'sms.rate_limited',
  'sms.duplicate_replayed',
  'sms.expired',
  /** An automatic answer to STOP, START or HELP: recorded as a text, without its text. */
  'sms.auto_replied',
  /** A patient's reply to a text: its intent and the hash of its text, never the text. */
  'sms.replied',
  'line_type.lookup_failed',
  'auth.denied',
  'twilio.status',
  'consent.changed',
  'audit.read',
  /** A read of patient data through the API (details.resource says which). */
  'data.read',
  'audit.purged',
  'data.purged',
  /** Once per chain: the first keyed event, linked to the last unkeyed one. */
  'audit.reanchored',
  /** A verification found the chain broken (AUDIT_BROKEN_CHAIN decides whether texts go on). */
  'audit.chain_broken',
  /** An admin put a dead-lettered event back in line (POST /api/events/{id}/redeliver). */
  'event.redelivered',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** AU-3 outcome. Error codes and provider statuses go in `details`. */
export const AUDIT_OUTCOMES = ['success', 'failure', 'unknown'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who acted: an API key name, or one of these. */
export const TWILIO_ACTOR = 'twilio';
export const SYSTEM_ACTOR = 'system';

export type AuditJson =
  string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };
export type AuditDetails = { [key: string]: AuditJson };

export interface AuditEventInput {
  /** API key name, TWILIO_ACTOR or SYSTEM_ACTOR (1-64 characters). */
  actor: string;
  action: AuditAction;
  outcome: AuditOutcome;
  messageId?: string | null;
  /**
   * The recipient in E.164. Never stored: the service keeps the last four digits and a keyed
   * hash (RecipientHasher), so one patient's events can be found without the number.
   */
  recipient?: string | null;
  requestId?: string | null;
  conversationId?: string | null;
  /**
   * Non-PHI facts, e.g. { tool, error_code, provider_status, body_sha256, segments }.
   * Never message text or phone numbers: keys such as `body`, `message`, `to` and values that
   * look like E.164 numbers are refused. Stored as canonical JSON (at most 4 KB).
   */
  details?: AuditDetails | null;
}

/** What append() answers: enough to cite the event, e.g. in a log line. */
export interface AppendedAuditEvent {
  seq: number;
  at: Date;
  hash: string;
}

/** Who made a request (a read, a cancel, an admin change), as the audit log records it. */
export interface AuditReader {
  actor: string;
  requestId: string | null;
  /** ApiKeyIdentity.fingerprint: which secret of the key's name was presented. */
  keyFingerprint?: string | null;
  /** The way in: rest, or the platform a key is bound to. */
  platform?: string;
  /** The client address (TRUST_PROXY_HOPS applied), or 'unknown'. */
  clientIp?: string;
  /** The matched route template, e.g. /api/sms/messages/:id. */
  route?: string | null;
}
