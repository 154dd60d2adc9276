import { jest } from '@jest/globals';

// The segment calculator replaced by one that refuses to run: what still counts was counted
// without it (message-body.spec.ts checks those counts against the real library).
jest.unstable_mockModule('sms-segments-calculator', () => ({
  SegmentedMessage: class {
    constructor() {
      throw new Error('the segment calculator was called');
    }
  },
}));
const { buildMessageBody } = await import('./message-body.js');

describe('buildMessageBody without the segment calculator', () => {
  it.each([
    ['English', 'Hi Maria, your copay card is ready.', 'GSM-7', 1],
    ['GSM-7 with escaped characters, 1,600 characters', `${'a'.repeat(1596)}{€}~`, 'GSM-7', 11],
    ['Spanish with á, í, ó, ú', 'Su cita está confirmada: día 3, línea 2, sí, Ramón.', 'UCS-2', 1],
    ['typographic quotes and dashes', '“Your refill” — ready… ₹', 'UCS-2', 1],
  ])('counts %s itself', (_case, text, encoding, segments) => {
    expect(buildMessageBody(text)).toMatchObject({ encoding, segments });
  });

  it.each([
    ['Cyrillic', 'Ваш рецепт готов. Аптека открыта до 9 вечера.', 'UCS-2', 1],
    ['Chinese', '您的处方已准备好，药房营业至晚上九点。', 'UCS-2', 1],
    ['Vietnamese', 'Đơn thuốc của bạn đã sẵn sàng.', 'UCS-2', 1],
    ['Greek', 'Η συνταγή σας είναι έτοιμη.', 'UCS-2', 1],
  ])('counts %s itself', (_case, text, encoding, segments) => {
    expect(buildMessageBody(text)).toMatchObject({ encoding, segments });
  });

  // Counting units as graphemes is right only if no two of these characters ever form one
  // grapheme: none may attach to what comes before (combining marks, joiners), to what
  // follows (prepended marks), or be a Hangul jamo or syllable that combines with a vowel or
  // final consonant jamo.
  it('counts only characters that never join a neighbour into one grapheme', () => {
    const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
    const count = (text: string) => [...graphemes.segment(text)].length;
    const joining: string[] = [];
    let counted = 0;
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const char = String.fromCharCode(code);
      let body;
      try {
        body = buildMessageBody(`a${char}a`);
      } catch {
        continue; // left to the calculator
      }
      if (body.text !== `a${char}a` || char === '\n') continue;
      counted += 1;
      const apart = ['a', '\u1161', '\u11a8'].every((after) => count(char + after) === 2);
      if (!apart || count(`a${char}`) !== 2) joining.push(code.toString(16));
    }
    expect(joining).toEqual([]);
    // GSM-7 (134 besides the newline) and the ranges counted as single UCS-2 units.
    expect(counted).toBeGreaterThan(20_000);
  });

  it('leaves emoji to the calculator', () => {
    expect(() => buildMessageBody('Thank you 🙂')).toThrow('the segment calculator was called');
  });
});
