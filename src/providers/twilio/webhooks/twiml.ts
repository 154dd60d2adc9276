/** Characters XML 1.0 cannot carry at all, even escaped; lone surrogates included. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * A TwiML answer to an inbound message: one reply text, or nothing (an empty <Response/>
 * tells Twilio not to answer).
 */
export function messagingTwiml(reply: string | null): string {
  if (!reply) return `${DECLARATION}<Response/>`;
  return `${DECLARATION}<Response><Message>${escapeXml(reply)}</Message></Response>`;
}
