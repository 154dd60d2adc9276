/** Request parts that hold secrets or numbers; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  // The MCP way in's call context (docs/PLATFORMS.md): a caller's phone number.
  'req.headers["x-caller-number"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

// E.164 or a national number of 7+ digits, however it is punctuated.
const PHONE_LIKE = /\+?\d[\d\s().-]{6,}\d/g;

/**
 * A URL as logs may hold it: the path, and query parameter names without their values
 * (an audit search can carry a phone number). Paths carry only ids.
 */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const [path, query] = url.split('?', 2);
  const safePath = path.replace(PHONE_LIKE, '[number]');
  if (!query) return safePath;
  const names = [...new URLSearchParams(query).keys()];
  return `${safePath}?${names.map((n) => `${n}=[redacted]`).join('&')}`;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// A dotted-quad IPv4 address (alone, with a port, or inside an IPv6 address such as
// ::ffff:10.0.0.7), not part of a longer run of digits and dots.
const IPV4 = `(?<![\\d.])(?:${OCTET}\\.){3}${OCTET}(?!\\.?\\d)`;
// IPv4 first: at the same position, an address wins over a phone-number reading of its digits.
const IPV4_OR_PHONE = new RegExp(`(${IPV4})|${PHONE_LIKE.source}`, 'g');

/**
 * Masks anything number-like in a free-text log message, keeping the last four digits. Host
 * addresses stay readable (`connect ECONNREFUSED 10.0.0.7:5432`): an operator needs to see
 * which host failed. IPv6 addresses and host:port never look like a number here.
 */
export function maskNumbers(text: string): string {
  return text.replace(IPV4_OR_PHONE, (m, address: string | undefined) =>
    address ? m : `***${m.replace(/\D/g, '').slice(-4)}`,
  );
}
