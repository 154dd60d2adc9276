import type { AuditEventDto } from './dto/audit-event.dto.js';

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_EXPORT_CONTENT_TYPES: Record<AuditExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

const CSV_COLUMNS = [
  'seq',
  'at',
  'actor',
  'action',
  'outcome',
  'message_id',
  'recipient_masked',
  'recipient_hash',
  'request_id',
  'conversation_id',
  'details',
  'prev_hash',
  'hash',
  'key_id',
] as const satisfies readonly (keyof AuditEventDto)[];

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

/** One JSON object per line: the form to verify hashes from. */
export function toNdjsonLine(event: AuditEventDto): string {
  return `${JSON.stringify(event)}\n`;
}

/** RFC 4180, for spreadsheets. */
export function toCsvLine(event: AuditEventDto): string {
  return `${CSV_COLUMNS.map((column) => csvCell(event[column])).join(',')}\r\n`;
}

function csvCell(value: AuditEventDto[keyof AuditEventDto]): string {
  if (value === null) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A cell a spreadsheet would run as a formula (OWASP CSV injection) is shown as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
