import { DomainError } from '../../common/errors/domain-error.js';
import { ErrorCode } from '../../common/errors/error-codes.js';
import { SegmentedMessage } from 'sms-segments-calculator';
import { buildMessageBody, MAX_BODY_LENGTH, sanitizeText } from './message-body.js';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

// GSM 03.38: a single message holds 160 septets, each part of a concatenated one 153;
// extension characters take two septets (escape + character). UCS-2: 70 UTF-16 units, 67 per part.
const GSM_BASIC_NON_ASCII = '£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà';
const GSM_EXTENSION = ['€', '^', '{', '}', '[', ']', '~', '|', '\\'];

describe('sanitizeText', () => {
  it('drops C0 and C1 control characters', () => {
    expect(sanitizeText('Hi\u0000 Ma\u0007ria\u001B\u007F\u0085\u009F')).toBe('Hi Maria');
  });

  it('turns a tab into a space so words stay apart', () => {
    expect(sanitizeText('Take 1 tablet\tdaily')).toBe('Take 1 tablet daily');
  });

  it('keeps newlines', () => {
    expect(sanitizeText('line one\nline two')).toBe('line one\nline two');
  });

  it('turns CRLF and lone CR into a newline', () => {
    expect(sanitizeText('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  it('trims surrounding blank space', () => {
    expect(sanitizeText(' \n  Hi Maria  \r\n')).toBe('Hi Maria');
  });
});

describe('buildMessageBody', () => {
  it('returns the cleaned text', () => {
    expect(buildMessageBody('  Hi\u0000 Maria\r\nSee you soon ').text).toBe(
      'Hi Maria\nSee you soon',
    );
  });

  it('fingerprints the cleaned text with hex SHA-256', () => {
    // FIPS 180-2 test vector: SHA-256("abc").
    expect(buildMessageBody(' abc\u0007\r\n').sha256).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  describe('refuses an empty message', () => {
    it.each([
      ['nothing', ''],
      ['blank space', '  \n\t '],
      ['control characters only', '\u0000\u0007\r\n\u009F'],
    ])('%s', (_case, rendered) => {
      const error = thrownBy(() => buildMessageBody(rendered));

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: ErrorCode.MESSAGE_EMPTY, status: 400 });
    });
  });

  describe('length limit of 1600 characters', () => {
    it('accepts 1600 characters (11 GSM-7 parts of at most 153)', () => {
      expect(buildMessageBody('a'.repeat(1600))).toMatchObject({
        encoding: 'GSM-7',
        segments: 11,
      });
    });

    it('refuses 1601 characters with MESSAGE_TOO_LONG and the lengths', () => {
      const error = thrownBy(() => buildMessageBody('a'.repeat(1601)));

      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: ErrorCode.MESSAGE_TOO_LONG,
        status: 400,
        message: 'The message is 1601 characters; the limit is 1600.',
        details: { length: 1601, max_length: 1600 },
      });
    });

    it('measures the text after cleaning', () => {
      expect(buildMessageBody(`  ${'a'.repeat(1600)}\u0000\r\n`).text).toHaveLength(1600);
    });
  });

  describe('GSM-7 segments', () => {
    it.each([
      [160, 1],
      [161, 2],
      [306, 2],
      [307, 3],
    ])('%i basic characters take %i segment(s)', (length, segments) => {
      expect(buildMessageBody('a'.repeat(length))).toMatchObject({ encoding: 'GSM-7', segments });
    });

    it('counts a newline as one septet', () => {
      expect(buildMessageBody(`${'a'.repeat(80)}\r\n${'a'.repeat(79)}`)).toMatchObject({
        encoding: 'GSM-7',
        segments: 1,
      });
    });

    it('keeps the non-ASCII letters of the basic set in GSM-7', () => {
      expect(buildMessageBody(GSM_BASIC_NON_ASCII).encoding).toBe('GSM-7');
    });

    it.each(GSM_EXTENSION)('counts extension character %s as two septets', (character) => {
      expect(buildMessageBody(character.repeat(80))).toMatchObject({
        encoding: 'GSM-7',
        segments: 1,
      });
      expect(buildMessageBody(character.repeat(81))).toMatchObject({
        encoding: 'GSM-7',
        segments: 2,
      });
    });

    it('needs a second segment for 160 characters when one of them is €', () => {
      expect(buildMessageBody(`${'a'.repeat(159)}€`).segments).toBe(2);
    });
  });

  describe('Spanish', () => {
    it('stays in GSM-7 with ñ, é, ü and their capitals, ¿ and ¡', () => {
      expect(buildMessageBody('¿Mañana? ¡Pingüino, café! Ñ É Ü')).toMatchObject({
        encoding: 'GSM-7',
        segments: 1,
      });
    });

    it.each(['á', 'í', 'ó', 'ú'])('switches to UCS-2 for %s, which GSM-7 lacks', (letter) => {
      expect(buildMessageBody(`Su cita es ${letter}`).encoding).toBe('UCS-2');
    });
  });

  describe('UCS-2 segments', () => {
    it('switches the whole message to UCS-2 for one emoji', () => {
      expect(buildMessageBody(`${'a'.repeat(100)} 👍`)).toMatchObject({
        encoding: 'UCS-2',
        segments: 2,
      });
    });

    it.each([
      [70, 1],
      [71, 2],
      [134, 2],
      [135, 3],
    ])('%i UCS-2 characters take %i segment(s)', (length, segments) => {
      expect(buildMessageBody('á'.repeat(length))).toMatchObject({ encoding: 'UCS-2', segments });
    });

    it.each([
      ['68 letters and an emoji (70 units)', `${'a'.repeat(68)}😀`, 1],
      ['69 letters and an emoji (71 units)', `${'a'.repeat(69)}😀`, 2],
      ['35 emoji (70 units)', '😀'.repeat(35), 1],
      ['36 emoji (72 units)', '😀'.repeat(36), 2],
    ])('counts an emoji as two UTF-16 units: %s', (_case, text, segments) => {
      expect(buildMessageBody(text)).toMatchObject({ encoding: 'UCS-2', segments });
    });
  });

  // Common text is counted without the library (it is quadratic per part): the count must be
  // the library's for every character and every length.
  describe('agrees with the segment calculator', () => {
    function expectLibraryCount(rendered: string): void {
      const body = buildMessageBody(rendered);
      const library = new SegmentedMessage(body.text, 'auto');
      expect({ text: body.text, encoding: body.encoding, segments: body.segments }).toEqual({
        text: body.text,
        encoding: library.encodingName,
        segments: library.segmentsCount,
      });
    }

    it('for each character of the Basic Multilingual Plane', () => {
      const gsm7Kept: number[] = [];
      for (let code = 0; code <= 0xffff; code++) {
        if (code >= 0xd800 && code <= 0xdfff) continue; // surrogate halves are not characters
        const text = `a${String.fromCharCode(code)}a`;
        const body = buildMessageBody(text);
        const library = new SegmentedMessage(body.text, 'auto');
        if (body.encoding !== library.encodingName || body.segments !== library.segmentsCount) {
          throw new Error(
            `U+${code.toString(16).padStart(4, '0')}: ${body.encoding}/${body.segments}, library ${library.encodingName}/${library.segmentsCount}`,
          );
        }
        if (body.text === text && body.encoding === 'GSM-7') gsm7Kept.push(code);
      }
      // GSM 03.38's 137 characters, less CR and form feed, which the sanitiser removes.
      expect(gsm7Kept).toHaveLength(135);
    });

    it('for GSM-7 and accented texts of every length, escaped characters at part boundaries', () => {
      let seed = 20261125;
      const random = () => {
        seed = (seed * 48271) % 2147483647;
        return seed / 2147483647;
      };
      const basic = `abcXYZ019 .,!?\n${GSM_BASIC_NON_ASCII}`;
      const extension = GSM_EXTENSION.join('');
      const accented = 'áíóúÁÍÓÚâêîôûçÇœ“”‘’–—…•₹ВашрецептДЖЯ您的处方已准备好，。ĐơnthuốcẵΗσυνταγή';
      const pick = (chars: string) => chars[Math.floor(random() * chars.length)];
      let compared = 0;
      for (let length = 1; length <= MAX_BODY_LENGTH; length += length < 320 ? 1 : 13) {
        for (const [escapedShare, accentedShare] of [
          [0, 0],
          [0.03, 0],
          [0.5, 0],
          [0.03, 0.05],
          [0.1, 0.5],
        ]) {
          let text = 'a';
          while (text.length < length) {
            const dice = random();
            if (dice < accentedShare) text += pick(accented);
            else if (dice < accentedShare + escapedShare) text += pick(extension);
            else text += pick(basic);
          }
          expectLibraryCount(text);
          compared += 1;
        }
      }
      // An escaped character that would straddle a part boundary moves whole to the next part.
      for (let before = 148; before <= 156; before++) {
        expectLibraryCount(`${'a'.repeat(before)}€${'a'.repeat(before)}€${'b'.repeat(200)}`);
        compared += 1;
      }
      expect(compared).toBeGreaterThan(1000);
    });
  });
});
