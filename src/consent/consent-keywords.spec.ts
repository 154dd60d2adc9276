import { parseConsentKeyword } from './consent-keywords.js';

describe('parseConsentKeyword', () => {
  describe.each([
    ['STOP', 'opt_out'],
    ['STOPALL', 'opt_out'],
    ['UNSUBSCRIBE', 'opt_out'],
    ['CANCEL', 'opt_out'],
    ['END', 'opt_out'],
    ['QUIT', 'opt_out'],
    ['REVOKE', 'opt_out'],
    ['OPT OUT', 'opt_out'],
    ['OPTOUT', 'opt_out'],
    ['START', 'opt_in'],
    ['YES', 'opt_in'],
    ['UNSTOP', 'opt_in'],
    ['HELP', 'help'],
    ['INFO', 'help'],
  ] as const)('%s', (keyword, intent) => {
    const lower = keyword.toLowerCase();
    const title = lower.charAt(0).toUpperCase() + lower.slice(1);

    it.each([
      keyword,
      lower,
      title,
      `${title}.`,
      `  ${lower}!! `,
      `"${keyword}"`,
      `\t${keyword}\n`,
    ])('reads %j as %s', (reply) => {
      expect(parseConsentKeyword(reply)).toEqual({ intent, keyword });
    });

    it.each([`${lower} please`, `please ${lower}`, `${lower}s`, `x${lower}`, `${lower} ${lower}`])(
      'does not read %j as a keyword',
      (reply) => {
        expect(parseConsentKeyword(reply)).toEqual({ intent: 'none', keyword: null });
      },
    );
  });

  it.each([
    'Stop.',
    '  stop!! ',
    'STOP 🙏',
    '¡Stop!',
    '...stop...',
    'ＳＴＯＰ',
    '\u200bstop\u200b',
  ])('ignores surrounding spaces, punctuation and symbols: %j is STOP', (reply) => {
    expect(parseConsentKeyword(reply)).toEqual({ intent: 'opt_out', keyword: 'STOP' });
  });

  it.each(['opt out', 'Opt Out', 'opt  out', 'opt-out', 'OPT_OUT', 'opt out.'])(
    'reads %j as OPT OUT',
    (reply) => {
      expect(parseConsentKeyword(reply)).toEqual({ intent: 'opt_out', keyword: 'OPT OUT' });
    },
  );

  it.each([
    'stop it please',
    'Please stop',
    "don't stop",
    'stopp',
    'st op',
    's.t.o.p',
    'stop.stop',
    'STOP ALL',
    'opt in',
    'yes please',
    'yes, see you then',
    'Thanks!',
    'help me find the pharmacy',
    'information',
    '',
    '   ',
    '?!',
  ])('%j is not a keyword', (reply) => {
    expect(parseConsentKeyword(reply)).toEqual({ intent: 'none', keyword: null });
  });

  it('treats a missing body as no keyword', () => {
    expect(parseConsentKeyword(undefined)).toEqual({ intent: 'none', keyword: null });
    expect(parseConsentKeyword(null)).toEqual({ intent: 'none', keyword: null });
  });

  it('reads a keyword padded with any amount of whitespace', () => {
    expect(parseConsentKeyword(`${' '.repeat(200)}STOP\n\n`)).toEqual({
      intent: 'opt_out',
      keyword: 'STOP',
    });
  });

  it('does not read a long message as a keyword, however it is decorated', () => {
    expect(parseConsentKeyword(`${'!'.repeat(80)}STOP`)).toEqual({ intent: 'none', keyword: null });
  });
});
