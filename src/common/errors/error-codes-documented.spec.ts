import { readFileSync } from 'node:fs';
import { limiterUnavailable, rateLimited } from '../../limits/edge/rate-limited.error.js';
import { fromNetworkError, fromTwilioApiError } from '../../providers/twilio/twilio-errors.js';
import { clientErrorAnswer } from './client-error.handler.js';
import { databaseUnavailable } from './database-unavailable.js';
import type { DomainError } from './domain-error.js';
import { ErrorCode } from './error-codes.js';

interface DocumentedCode {
  status: number;
  retryable: boolean;
}

/** The "Error codes" table of docs/OPERATIONS.md: code, HTTP status, retryable. */
function documentedCodes(): Map<string, DocumentedCode[]> {
  const text = readFileSync('docs/OPERATIONS.md', 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Error codes\n')) ?? '';
  const rows = new Map<string, DocumentedCode[]>();
  for (const m of section.matchAll(/^\| `([A-Z_]+)` +\| (\d{3}) +\| (yes|no) +\|/gm)) {
    rows.set(m[1], [
      ...(rows.get(m[1]) ?? []),
      { status: Number(m[2]), retryable: m[3] === 'yes' },
    ]);
  }
  return rows;
}

describe('docs/OPERATIONS.md lists every error code', () => {
  const documented = documentedCodes();

  it('has one row for each code in error-codes.ts, and none that is not there', () => {
    const codes = Object.values(ErrorCode) as string[];
    expect(codes.filter((c) => !documented.has(c))).toEqual([]);
    expect([...documented.keys()].filter((c) => !codes.includes(c))).toEqual([]);
    expect([...documented].filter(([, rows]) => rows.length > 1).map(([c]) => c)).toEqual([]);
  });

  // What the code builds for each outside failure, against what the table promises.
  it.each<[string, () => DomainError]>([
    ['Twilio 5xx', () => fromTwilioApiError(500, undefined)],
    ['Twilio 503 with a code', () => fromTwilioApiError(503, 20500)],
    ['Twilio 429', () => fromTwilioApiError(429, undefined)],
    ['Twilio unreachable', () => fromNetworkError('ECONNREFUSED')],
    ['the connection to Twilio dropped', () => fromNetworkError('ECONNRESET')],
    ['Twilio refuses the credentials', () => fromTwilioApiError(401, 20003)],
    ['Twilio: not a number', () => fromTwilioApiError(400, 21211)],
    ['Twilio: region', () => fromTwilioApiError(400, 21408)],
    ['Twilio: opted out', () => fromTwilioApiError(400, 21610)],
    ['Twilio: unreachable number', () => fromTwilioApiError(400, 21612)],
    ['Twilio: not mobile', () => fromTwilioApiError(400, 21614)],
    ['Twilio: pumping protection', () => fromTwilioApiError(400, 30453)],
    ['Twilio: another 4xx', () => fromTwilioApiError(400, 21602)],
    ['a rate limit', () => rateLimited('per-key', 12)],
    ['Redis down', () => limiterUnavailable(new Error('down'))],
    ['the database down', () => databaseUnavailable(new Error('down'))],
    ['headers too large', () => clientErrorAnswer('HPE_HEADER_OVERFLOW')],
    ['bad chunking', () => clientErrorAnswer('HPE_INVALID_CHUNK_SIZE')],
    ['a stalled request', () => clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT')],
    ['chunk extensions too large', () => clientErrorAnswer('HPE_CHUNK_EXTENSIONS_OVERFLOW')],
  ])('documents %s with the status and retry meaning the service answers', (_case, build) => {
    const error = build();
    expect({ code: error.code, rows: documented.get(error.code) }).toEqual({
      code: error.code,
      rows: [{ status: error.status, retryable: error.retryable }],
    });
  });
});
