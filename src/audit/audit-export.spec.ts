import { CSV_HEADER, toCsvLine, toNdjsonLine } from './audit-export.js';
import type { AuditEventDto } from './dto/audit-event.dto.js';

const EVENT: AuditEventDto = {
  seq: 3,
  at: '2026-11-25T10:15:00.123Z',
  actor: 'voice-agent',
  action: 'sms.failed',
  outcome: 'failure',
  message_id: null,
  recipient_masked: '***-***-0143',
  recipient_hash: 'a'.repeat(64),
  request_id: '-req-1',
  conversation_id: '=HYPERLINK("https://evil.example")',
  details: { error_code: 'RECIPIENT_OPTED_OUT', note: 'a, "b"\nc' },
  prev_hash: '0'.repeat(64),
  hash: 'f'.repeat(64),
  key_id: '3f1c9a7e5b2d4c60',
};

describe('audit export lines', () => {
  it('writes one JSON object per NDJSON line', () => {
    const line = toNdjsonLine(EVENT);
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toEqual(EVENT);
  });

  it('writes RFC 4180 CSV: quoted when needed, nulls empty, formulas shown as text', () => {
    expect(CSV_HEADER.split(',')).toHaveLength(14);
    const cells = toCsvLine(EVENT);
    expect(cells).toBe(
      [
        '3',
        '2026-11-25T10:15:00.123Z',
        'voice-agent',
        'sms.failed',
        'failure',
        '',
        '***-***-0143',
        'a'.repeat(64),
        "'-req-1",
        `"'=HYPERLINK(""https://evil.example"")"`,
        '"{""error_code"":""RECIPIENT_OPTED_OUT"",""note"":""a, \\""b\\""\\nc""}"',
        '0'.repeat(64),
        'f'.repeat(64),
        '3f1c9a7e5b2d4c60',
      ].join(',') + '\r\n',
    );
  });
});
