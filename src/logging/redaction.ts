/**
 * Headers that carry a credential or a caller's number: every header a way in authenticates
 * with (API key, Twilio, Vapi's secret and HMAC, Retell's signature) and the MCP call context.
 */
export const REDACTED_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-twilio-signature',
  'x-vapi-secret',
  'x-signature',
  'x-retell-signature',
  'x-caller-number',
  'cookie',
];

/** Header names no way in reads yet that would still hold a secret: caught by their shape. */
const SECRET_HEADER_NAME = /(?:^|-)(?:auth\w*|secret|signature|token|api-?key|password|cookie)$/i;

/** Request and response parts pino replaces before a line is written. */
export const REDACTED_PATHS = [
  ...REDACTED_HEADERS.map((name) => `req.headers["${name}"]`),
  'res.headers["set-cookie"]',
];

/** The request headers as logs may hold them: credentials replaced, the rest as sent. */
export function loggableHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      REDACTED_HEADERS.includes(name.toLowerCase()) || SECRET_HEADER_NAME.test(name)
        ? '[redacted]'
        : value,
    ]),
  );
}

/*
 * The number finder, shared by the logs and the audit trail: E.164 or a national number of 7+
 * digits, however it is punctuated, in any script's digits (NFKC first turns full-width
 * digits, plus signs and brackets into ASCII ones; dashes are any Unicode dash).
 */
const PHONE_LIKE = String.raw`\+?\p{Nd}[\p{Nd}\s().\p{Pd}]{6,}\p{Nd}`;

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// A dotted-quad IPv4 address (alone, with a port, or inside an IPv6 address such as
// ::ffff:10.0.0.7), not part of a longer run of digits and dots.
const IPV4 = `(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\.?\\d)`;
// An ISO 8601 date, with a time to the minute or second: a timestamp, never a number.
const ISO_DATE = String.raw`(?<![\d.])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[T ](?:[01]\d|2[0-3])(?::[0-5]\d){1,2})?(?!\.?\d)`;
// Addresses and dates first: at the same position they win over a phone-number reading.
const KEPT_OR_PHONE = new RegExp(`(${IPV4}|${ISO_DATE})|${PHONE_LIKE}`, 'gu');

const ESCAPE_RUN = /(?:%[0-9a-f]{2})+/gi;

/** One run of escapes as UTF-8, or byte by byte when it is not valid UTF-8 (ASCII survives). */
function decodedRun(run: string): string {
  try {
    return decodeURIComponent(run);
  } catch {
    return run.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
      String.fromCharCode(parseInt(hex, 16)),
    );
  }
}

/**
 * Percent-escapes undone (twice-encoded too), so `%2B1%20202…` is read as the number it is;
 * a malformed escape elsewhere does not hide the rest.
 */
function percentDecoded(text: string): string {
  let decoded = text;
  for (let round = 0; round < 3 && /%[0-9a-f]{2}/i.test(decoded); round++) {
    decoded = decoded.replace(ESCAPE_RUN, decodedRun);
  }
  return decoded;
}

function replaceNumbers(text: string, replacement: (found: string) => string): string {
  return text
    .normalize('NFKC')
    .replace(KEPT_OR_PHONE, (match, kept: string | undefined) =>
      kept ? match : replacement(match),
    );
}

const lastFour = (found: string) => `***${found.replace(/\P{Nd}/gu, '').slice(-4)}`;

/**
 * Masks anything number-like in free text, keeping the last four digits. Host addresses stay
 * readable (`connect ECONNREFUSED 10.0.0.7:5432`): an operator needs to see which host failed;
 * so do ISO dates. IPv6 addresses and host:port never look like a number here. Used for log
 * messages and for the free-text fields of audit events.
 */
export function maskNumbers(text: string): string {
  return replaceNumbers(text, lastFour);
}

/** Whether free text holds anything maskNumbers() would mask. */
export function containsNumber(text: string): boolean {
  return maskNumbers(text) !== text.normalize('NFKC');
}

/** A path with every number-like part, percent-encoded or not, replaced by `[number]`. */
export function redactedPath(path: string): string {
  return replaceNumbers(percentDecoded(path), () => '[number]');
}

/**
 * A URL as logs may hold it: the path with numbers redacted, and query parameter names
 * without their values (an audit search can carry a phone number).
 */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const [path, query] = url.split('?', 2);
  const safePath = redactedPath(path);
  if (!query) return safePath;
  const names = [...new URLSearchParams(query).keys()].map((name) => redactedPath(name));
  return `${safePath}?${names.map((n) => `${n}=[redacted]`).join('&')}`;
}
