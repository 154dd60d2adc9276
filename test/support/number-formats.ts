import fc from 'fast-check';

/**
 * One North American number written the ways a text could carry it, for the callback-number
 * property specs: what a phone makes tappable and what a person would dial.
 */

const KEYPAD: Record<string, string> = {
  '2': 'ABC',
  '3': 'DEF',
  '4': 'GHI',
  '5': 'JKL',
  '6': 'MNO',
  '7': 'PQRS',
  '8': 'TUV',
  '9': 'WXYZ',
};

/** A possible NANP number as ten national digits: area code and exchange start with 2-9. */
export const nanpDigits: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 2, max: 9 }),
    fc.stringMatching(/^\d{2}$/),
    fc.integer({ min: 2, max: 9 }),
    fc.stringMatching(/^\d{6}$/),
  )
  .map(([a, b, c, d]) => `${a}${b}${c}${d}`);

const fullWidthDigits = (text: string): string =>
  text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));

/** Every way below of writing ten national digits: national, E.164, spaced, dotted, tel:. */
export function writings(digits: string): string[] {
  const [a, b, c] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  return [
    `+1${digits}`,
    `+1 ${a} ${b} ${c}`,
    `+1-${a}-${b}-${c}`,
    `+1 (${a}) ${b}-${c}`,
    `+1.${a}.${b}.${c}`,
    `(${a}) ${b}-${c}`,
    `(${a})${b}-${c}`,
    `${a}-${b}-${c}`,
    `${a}.${b}.${c}`,
    `${a} ${b} ${c}`,
    digits,
    `1-${a}-${b}-${c}`,
    `1 (${a}) ${b}-${c}`,
    `1.${a}.${b}.${c}`,
    `1${digits}`,
    `tel:+1${digits}`,
    fullWidthDigits(`${a}-${b}-${c}`),
    `${a}-${b}\u200b-${c}`,
  ];
}

/** The number with its last seven digits as keypad letters (1-800-FLOWERS), when it has one. */
export function vanityWriting(digits: string, pick: (letters: string) => string): string[] {
  const line = digits.slice(3);
  if (!/^[2-9]{7}$/.test(line)) return [];
  const letters = [...line].map((d) => pick(KEYPAD[d])).join('');
  return [`1-${digits.slice(0, 3)}-${letters}`, `(${digits.slice(0, 3)}) ${letters}`];
}

/** A writing of `digits`, vanity ones included when the number has one. */
export function aWritingOf(digits: string): fc.Arbitrary<string> {
  return fc
    .nat()
    .chain((seed) =>
      fc.constantFrom(
        ...writings(digits),
        ...vanityWriting(digits, (letters) => letters[seed % letters.length]),
      ),
    );
}
