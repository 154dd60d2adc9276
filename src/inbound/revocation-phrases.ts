/**
 * Plain-language revocations: FCC 24-24 lets a patient revoke consent "by any reasonable means",
 * so a reply that says so in words opts out like STOP. docs/EVENTS.md ("Replies") lists these.
 * Written here without accents, lower case: a reply is compared the same way.
 */
export const REVOCATION_PHRASES = [
  'stop texting me',
  'stop texting',
  'stop sending me texts',
  'stop sending texts',
  'stop sending me messages',
  'stop messaging me',
  'stop the texts',
  'no more texts',
  'no more text messages',
  'no more messages',
  'please stop',
  'unsubscribe me',
  'take me off your list',
  'remove me from your list',
  "don't text me",
  'do not text me',
  "i don't want these texts",
  'i do not want these texts',
  'no me manden mensajes',
  'no me envien mensajes',
  'ya no me envien mensajes',
  'ya no me manden mensajes',
  'no quiero mensajes',
  'no quiero recibir mensajes',
  'no mas mensajes',
  'dejen de enviarme mensajes',
  'dejen de mandarme mensajes',
  'dar de baja',
  'darme de baja',
] as const;

/**
 * Words that may mean "stop texting me" when the reply says more than the word alone ("stop,
 * wrong number?"): the service asks once rather than guess. CANCEL, END and QUIT are left out:
 * in a longer reply they mostly mean an appointment or a sentence.
 */
export const UNCLEAR_WORDS = [
  'stop',
  'stopall',
  'unsubscribe',
  'optout',
  'opt out',
  'revoke',
  'alto',
];

/** What a reply that is not a consent keyword says about consent. */
export type RevocationReading = 'revoked' | 'unclear' | 'none';

/** Longer replies are letters, read by a person: a revocation phrase in one still counts. */
const MAX_LENGTH = 640;

/** Lower case, no accents, apostrophes dropped, other punctuation as spaces, one space between. */
export function plainWords(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const PLAIN_PHRASES = REVOCATION_PHRASES.map(plainWords);

/** Whether `words` holds `phrase` as whole words. */
function holds(words: string, phrase: string): boolean {
  return ` ${words} `.includes(` ${phrase} `);
}

/** Reads a reply (not a whole-message consent keyword) for a revocation in words. */
export function readRevocation(body: string): RevocationReading {
  if (body.length > MAX_LENGTH) return 'none';
  const words = plainWords(body);
  if (PLAIN_PHRASES.some((phrase) => holds(words, phrase))) return 'revoked';
  return UNCLEAR_WORDS.some((word) => holds(words, word)) ? 'unclear' : 'none';
}
