/** What the registry knows about one number. No row at all means no recorded choice: texts allowed. */
export const CONSENT_STATES = ['opted_out', 'opted_in'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

/**
 * Where a change came from: a keyword reply to our number, an admin through the API, Twilio
 * refusing a send with error 21610, Twilio's Advanced Opt-Out (OptOutType on an inbound), or
 * the patient asking on a call (the agent's record_text_opt_out tool).
 */
export const CONSENT_SOURCES = [
  'keyword',
  'api',
  'twilio_21610',
  'twilio_advanced_opt_out',
  /** A reply in words ("stop texting me", "no me manden mensajes"), inbound/revocation-phrases.ts. */
  'reply_phrase',
  /** Said on a call: the agent's opt-out tool. */
  'voice',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];
