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

  it('leaves emoji to the calculator', () => {
    expect(() => buildMessageBody('Thank you 🙂')).toThrow('the segment calculator was called');
  });
});
