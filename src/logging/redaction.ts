/** Request parts that hold secrets; pino replaces them before a line is written. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
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

/** Masks anything number-like in a free-text log message, keeping the last four digits. */
export function maskNumbers(text: string): string {
  return text.replace(PHONE_LIKE, (m) => `***${m.replace(/\D/g, '').slice(-4)}`);
}
