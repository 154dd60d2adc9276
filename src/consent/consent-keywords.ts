/** What a patient's reply asks for; `none` for every ordinary message. */
export type KeywordIntent = 'opt_out' | 'opt_in' | 'help' | 'none';

export interface ParsedKeyword {
  intent: KeywordIntent;
  /** The keyword as the registry records it ("STOP", "OPT OUT"); null when there is none. */
  keyword: string | null;
}

/**
 * FCC 24-24 revocation words plus Twilio's defaults (STOPALL, OPTOUT, the opt-in and help
 * words). A reply counts only when it is one of these as the whole message.
 */
const KEYWORDS: Readonly<Record<string, Exclude<KeywordIntent, 'none'>>> = {
  STOP: 'opt_out',
  STOPALL: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  CANCEL: 'opt_out',
  END: 'opt_out',
  QUIT: 'opt_out',
  REVOKE: 'opt_out',
  'OPT OUT': 'opt_out',
  OPTOUT: 'opt_out',
  START: 'opt_in',
  YES: 'opt_in',
  UNSTOP: 'opt_in',
  HELP: 'help',
  INFO: 'help',
};

export const CONSENT_KEYWORDS = Object.keys(KEYWORDS);
/** The revocation words: carriers opt a number out on them, whatever the text asked for. */
export const OPT_OUT_KEYWORDS = CONSENT_KEYWORDS.filter((word) => KEYWORDS[word] === 'opt_out');

const NONE: ParsedKeyword = { intent: 'none', keyword: null };
/** Far longer than any decorated keyword: longer replies are conversation, and are not scanned. */
const MAX_REPLY_LENGTH = 64;
/** Spaces, punctuation, symbols (emoji too) and invisible format characters around the word. */
const EDGES = /^[\s\p{P}\p{S}\p{Cc}\p{Cf}\uFE0E\uFE0F]+|[\s\p{P}\p{S}\p{Cc}\p{Cf}\uFE0E\uFE0F]+$/gu;

/**
 * Reads a whole inbound message as a consent keyword: any case, surrounding spaces and
 * punctuation ignored ("Stop.", "  stop!! "), but nothing else in the message ("stop it
 * please" is not a keyword). "OPT OUT" may be written with any spacing, "-" or "_" between
 * the words; full-width letters count as their plain forms.
 */
export function parseConsentKeyword(body: string | null | undefined): ParsedKeyword {
  const trimmed = body?.trim();
  if (!trimmed || trimmed.length > MAX_REPLY_LENGTH) return NONE;
  const word = trimmed
    .normalize('NFKC')
    .replace(EDGES, '')
    .replace(/[\s_-]+/g, ' ')
    .toUpperCase();
  const intent = KEYWORDS[word];
  return intent ? { intent, keyword: word } : NONE;
}
