/**
 * A text as a phone displays it, for the content checks. What an attacker can add without
 * changing what the patient sees must not change what the checks see: compatibility forms
 * (full-width letters, ligatures) are folded by NFKC, the dots IDNA reads as label separators
 * ("evil。com") become ".", and invisible characters are known so a check can read the text
 * both with them removed (joined up, as the eye reads it) and as breaks.
 */

// Format controls (zero-width space and joiners, bidi controls, soft hyphen), everything
// Unicode says to draw as nothing (variation selectors, Hangul fillers), and control
// characters other than the whitespace ones.
const INVISIBLE = /^(?:[\p{Cf}\p{Default_Ignorable_Code_Point}]|(?![\t\n\v\f\r])\p{Cc})$/u;
const IDNA_DOTS = /[\u3002\uFF0E\uFF61]/g;

export interface DisplayedText {
  /** NFKC, IDNA dots as ".", invisible characters still in place. */
  text: string;
  /** Per UTF-16 unit of `text`: true where it is (part of) an invisible character. */
  invisible: readonly boolean[];
  /** `text` without its invisible characters. */
  joined: string;
  /** The index in `text` of each UTF-16 unit of `joined`. */
  joinedToText: readonly number[];
}

export function displayed(raw: string): DisplayedText {
  const text = raw.normalize('NFKC').replace(IDNA_DOTS, '.');
  const invisible: boolean[] = [];
  const joinedToText: number[] = [];
  let joined = '';
  let index = 0;
  for (const char of text) {
    const hidden = INVISIBLE.test(char);
    for (let unit = 0; unit < char.length; unit++) {
      invisible.push(hidden);
      if (!hidden) joinedToText.push(index + unit);
    }
    if (!hidden) joined += char;
    index += char.length;
  }
  return { text, invisible, joined, joinedToText };
}
