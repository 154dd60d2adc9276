import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';
import { displayed } from './displayed-text.js';

/**
 * Finds the phone numbers a patient could call or text from a message: what a phone would
 * make tappable and what a person would dial. Deliberately eager, like the link finder.
 *
 * - libphonenumber-js, at its most lenient level (POSSIBLE: the right length for a number
 *   plan, however it is grouped), reads national numbers in the default country and
 *   international ones anywhere: (202) 555-0143, 202.555.0143, +1 202 555 0143, tel:+1...
 * - Vanity numbers (1-800-FLOWERS, (800) GO-FEDEX) are read with the keypad's letters first.
 * - A 7-digit local number (555-0142, 5550142) is dialled in the patient's own area code,
 *   which no one can check, so it is found as a number without one.
 *
 * Dates, times and amounts as the templates write them (December 2, 2026 at 3:30 PM;
 * 2026-12-02; $1,234.56; 15:30) are not numbers; any other run of 7 digits, or of 10 or 11
 * digits in a number's shape, is, whatever it means (an Rx or order number written that way
 * is dialable, and refused).
 */
export interface FoundNumber {
  /** As written, e.g. "1-800-FLOWERS". */
  text: string;
  /** E.164, or null for a local number without its area code. */
  e164: string | null;
}

const KEYPAD: Record<string, string> = Object.fromEntries(
  ['ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ'].flatMap((letters, i) =>
    [...letters].map((letter) => [letter, String(i + 2)]),
  ),
);

// An area code, then letters and digits in groups, with three letters or more: 1-800-FLOWERS,
// +1 (877) KARS-4-KIDS. No spaces among the letters, so "Suite 200 Main Street" is not one;
// in lower case only after a trunk 1 or a toll-free or premium code, so "Suite 200-Annex" is not.
const VANITY_LETTERS = String.raw`[-. ]?(?=(?:[-.\dA-Z]*[A-Z]){3})[\dA-Z]+(?:[-.][\dA-Z]+)*(?![\p{L}\p{N}])`;
const VANITY = [
  new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?:\+?1[-. ]?)?(?:\(\d{3}\)|\d{3})${VANITY_LETTERS}`,
    'gu',
  ),
  new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?:\+?1[-. ]?(?:\(\d{3}\)|\d{3})|\(?(?:8(?:00|33|44|55|66|77|88)|900)\)?)${VANITY_LETTERS}`,
    'giu',
  ),
];
const AREA_CODE = /^(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?/;
const SUBSCRIBER_DIGITS = 7;
// Seven digits, grouped 3-4 or not: not inside a longer number, a decimal, an amount or a word.
const LOCAL = /(?<![\p{L}\p{N}\p{Sc}]|[\p{N}][.,/:])\d{3}[-. ]?\d{4}(?![\p{L}\p{N}]|[.,/:]\p{N})/gu;

export function findPhoneNumbers(raw: string, country: CountryCode): FoundNumber[] {
  const text = displayed(raw).joined;
  const dialled = withVanityDialled(text);
  const found: FoundNumber[] = [];
  let rest = dialled;
  for (const m of findPhoneNumbersInText(dialled, { defaultCountry: country, extended: true })) {
    // POSSIBLE counts digits only; a North American area code or exchange never starts with 0 or 1.
    if (m.number.countryCallingCode === '1' && !/^[2-9]\d\d[2-9]/.test(m.number.nationalNumber))
      continue;
    found.push({ text: text.slice(m.startsAt, m.endsAt), e164: m.number.number });
    rest = rest.slice(0, m.startsAt) + ' '.repeat(m.endsAt - m.startsAt) + rest.slice(m.endsAt);
  }
  for (const m of rest.matchAll(LOCAL)) {
    found.push({ text: text.slice(m.index, m.index + m[0].length), e164: null });
  }
  return found;
}

/** The text with each vanity number's letters as the keypad's digits, the same length. */
function withVanityDialled(text: string): string {
  return VANITY.reduce((dialled, vanity) => dialled.replace(vanity, dialVanity), text);
}

function dialVanity(vanity: string): string {
  const areaCodeEnd = AREA_CODE.exec(vanity)?.[0].length ?? 0;
  let digits = 0;
  const subscriber = [...vanity.slice(areaCodeEnd)].map((char) => {
    if (!/[\dA-Z]/i.test(char)) return char;
    digits++;
    // Letters past the seventh are not dialled (1-800-MATTRESS): the exchange ignores them.
    if (digits > SUBSCRIBER_DIGITS) return ' ';
    return KEYPAD[char.toUpperCase()] ?? char;
  });
  return digits < SUBSCRIBER_DIGITS ? vanity : vanity.slice(0, areaCodeEnd) + subscriber.join('');
}
