import { createHash } from 'node:crypto';
import { SegmentedMessage } from 'sms-segments-calculator';
import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';

/** Twilio refuses bodies over 1,600 characters. */
export const MAX_BODY_LENGTH = 1600;

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface MessageBody {
  text: string;
  encoding: SmsEncoding;
  segments: number;
  sha256: string;
}

// C0 and C1 controls except tab and newline; they render as garbage or are dropped by carriers.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Normalises line breaks, turns tabs into spaces (not GSM-7), drops control characters. */
export function sanitizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL_CHARACTERS, '').trim();
}

/** GSM 03.38 characters taking one septet. CR is left out: the sanitiser removes it. */
const GSM7_BASIC =
  '\n !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz' +
  '¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ';
/** GSM 03.38 extension table: an escape septet plus the character's own. */
const GSM7_EXTENSION = '\f[\\]^{|}~€';
/**
 * Outside GSM-7 but one UTF-16 unit and a grapheme of its own whatever surrounds it, for the
 * languages patients most often read after English: accented Latin (Spanish á, í, ó, ú;
 * Vietnamese), Greek, Cyrillic, Chinese, typographic and CJK punctuation, currency signs.
 * Combining marks and joiners, which attach to their neighbours, are left out.
 */
const UCS2_SIMPLE_RANGES: [number, number][] = [
  [0x00a0, 0x024f], // Latin-1 Supplement, Latin Extended-A and -B
  [0x0370, 0x03ff], // Greek
  [0x0400, 0x0482], // Cyrillic, before its combining marks
  [0x048a, 0x052f], // Cyrillic, after them, and its Supplement
  [0x1e00, 0x1eff], // Latin Extended Additional (Vietnamese)
  [0x2010, 0x2027], // dashes, quotes, bullets, ellipsis
  [0x2030, 0x205e], // per mille, primes, more punctuation
  [0x20a0, 0x20c0], // currency signs
  [0x3000, 0x3029], // CJK punctuation, before the tone marks
  [0x3030, 0x303f],
  [0x4e00, 0x9fff], // CJK Unified Ideographs
  [0xff01, 0xff5e], // full-width forms
];
/** Per UTF-16 unit: GSM-7 septets (1 or 2), 0 = UCS-2 only, -1 = left to the library. */
const UNIT_CLASS = new Int8Array(0x10000).fill(-1);
for (const [first, last] of UCS2_SIMPLE_RANGES) UNIT_CLASS.fill(0, first, last + 1);
for (const char of GSM7_BASIC) UNIT_CLASS[char.charCodeAt(0)] = 1;
for (const char of GSM7_EXTENSION) UNIT_CLASS[char.charCodeAt(0)] = 2;
/**
 * A part is 140 octets: 160 septets or 70 UCS-2 units alone, 153 or 67 after the header that
 * concatenated parts carry.
 */
const GSM7_SINGLE = 160;
const GSM7_CONCATENATED = 153;
const UCS2_SINGLE = 70;
const UCS2_CONCATENATED = 67;

/**
 * The encoding and segments of a text made only of the characters above, or undefined for
 * anything else (emoji, combining marks, other scripts), which the segment calculator counts.
 * The same count as the calculator (an escaped GSM-7 character is never split across parts)
 * in one pass; the library splits graphemes and packs parts quadratically, ~0.1 ms for a short
 * text and ~6 ms for 1,600 characters.
 */
function countSegments(text: string): Pick<MessageBody, 'encoding' | 'segments'> | undefined {
  let septets = 0;
  let gsm7 = true;
  for (let i = 0; i < text.length; i++) {
    const unit = UNIT_CLASS[text.charCodeAt(i)];
    if (unit < 0) return undefined;
    if (unit === 0) gsm7 = false;
    septets += unit;
  }
  if (!gsm7) {
    const units = text.length;
    const segments = units <= UCS2_SINGLE ? 1 : Math.ceil(units / UCS2_CONCATENATED);
    return { encoding: 'UCS-2', segments };
  }
  if (septets <= GSM7_SINGLE) return { encoding: 'GSM-7', segments: 1 };
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length; i++) {
    const size = UNIT_CLASS[text.charCodeAt(i)];
    if (used + size > GSM7_CONCATENATED) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding: 'GSM-7', segments };
}

/**
 * Turns rendered text into what is sent: sanitised, within Twilio's length limit, with the
 * encoding and segment count a carrier will bill: counted here for common text, by Twilio's own
 * segment calculator for everything else.
 */
export function buildMessageBody(rendered: string): MessageBody {
  const text = sanitizeText(rendered);
  if (text.length === 0) {
    throw new DomainError(ErrorCode.MESSAGE_EMPTY, 'The message has no text after cleaning.', {
      agentMessage: "The message was empty, so I didn't send anything.",
    });
  }
  if (text.length > MAX_BODY_LENGTH) {
    throw new DomainError(
      ErrorCode.MESSAGE_TOO_LONG,
      `The message is ${text.length} characters; the limit is ${MAX_BODY_LENGTH}.`,
      {
        agentMessage: 'That message is too long to send as a text. Could you shorten it?',
        details: { length: text.length, max_length: MAX_BODY_LENGTH },
      },
    );
  }
  const sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const counted = countSegments(text);
  if (counted) return { text, ...counted, sha256 };
  const segmented = new SegmentedMessage(text, 'auto');
  return {
    text,
    encoding: segmented.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2',
    segments: segmented.segmentsCount,
    sha256,
  };
}
