import fc from 'fast-check';
import { createRequire } from 'node:module';

/**
 * Generated links for the link policy's property specs: a foreign host (or an allowed host
 * made foreign by a user name, port or scheme) dressed the ways an attacker would dress it so
 * a phone still links it, and allowed hosts in clean https form.
 */

const IANA_TLDS = createRequire(import.meta.url)('tlds') as string[];

const INVISIBLE = [
  '\u200b', // zero-width space
  '\u200c', // zero-width non-joiner
  '\u200d', // zero-width joiner
  '\u2060', // word joiner
  '\ufeff', // byte order mark
  '\u00ad', // soft hyphen
  '\u202e', // right-to-left override
  '\u2066', // left-to-right isolate
  '\u180e', // Mongolian vowel separator
  '\u034f', // combining grapheme joiner
  '\ufe0f', // variation selector
];

/** Mostly the first value: most generated links stay simple enough to pass a field's validator. */
const mostly = <T>(usual: T, ...others: T[]): fc.Arbitrary<T> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(usual) }, fc.constantFrom(usual, ...others));

const foreignHost: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'evil.com',
    'refill-portal.com',
    'bit.ly',
    'evil.zip',
    'copay.example.com.evil.com',
    'copay-example.com',
    'example.com',
    'copay.example.co',
    'evil.xn--p1ai',
    'evil.рф',
    'c\u043epay.example.com', // Cyrillic о
    '192.168.1.1',
    '10.0.0.1',
  ),
  fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), fc.constantFrom(...IANA_TLDS))
    .map(([label, tld]) => `${label}.${tld}`),
);

const withCase = (text: string, mode: 'lower' | 'upper' | 'mixed'): string =>
  mode === 'lower'
    ? text
    : mode === 'upper'
      ? text.toUpperCase()
      : [...text].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');

const fullWidth = (text: string): string =>
  text.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x61 + 0xff41));

export interface GeneratedLink {
  text: string;
  /** The host a phone would open, for the failure message. */
  host: string;
}

/**
 * What dresses a link: free text takes anything; a template field takes what its validator
 * lets through (no invisible characters, a few punctuation marks), so most values reach the
 * policy; a URL field takes a scheme and nothing around it.
 */
const DRESS = {
  text: {
    schemes: ['', 'https://', 'http://', 'HTTPS://', '//', 'ftp://'],
    invisible: 2,
    before: [
      '',
      '*',
      '“',
      '"',
      "'",
      '(',
      '[',
      '<',
      '`',
      '...',
      '12:30',
      '-',
      '_',
      '@',
      ':',
      '/',
      '\\',
      '~',
      '«',
      '¿',
      '#',
      '$',
    ],
    after: [
      '',
      '’s',
      "'s",
      '*',
      '”',
      '"',
      ')',
      ']',
      '>',
      '`',
      '.',
      ',',
      '!',
      '?',
      '...',
      '-x',
      '_x',
      ':',
      ';',
      '…',
      '.x',
    ],
  },
  field: {
    schemes: [''],
    invisible: 0,
    before: ['', '(', '#', '/', '+', '&', '-'],
    after: ['', "'s", '.', ',', ')', '-x', '.x', '/x', '#x'],
  },
  url: { schemes: ['https://', 'http://', 'HTTPS://'], invisible: 0, before: [''], after: [''] },
};

/** A link to a host not on LINK_ALLOWED_HOSTS, written so that a phone would still link it. */
export function foreignLink(where: keyof typeof DRESS = 'text'): fc.Arbitrary<GeneratedLink> {
  const dress = DRESS[where];
  return fc
    .record({
      host: foreignHost,
      scheme: mostly(...(dress.schemes as [string, ...string[]])),
      userinfo: mostly('', 'copay.example.com@', 'user:pass@'),
      port: mostly('', ':8080', ':443'),
      path: mostly('', '/', '/login', '/pay?x=1', '#top'),
      letters: mostly<'lower' | 'upper' | 'mixed'>('lower', 'upper', 'mixed'),
      fullWidth: mostly(false, true),
      dot: mostly('.', '\u3002', '\uff0e', '\uff61'),
      invisible: fc.array(fc.tuple(fc.nat(), fc.constantFrom(...INVISIBLE)), {
        maxLength: dress.invisible,
      }),
      before: mostly(...(dress.before as [string, ...string[]])),
      after: mostly(...(dress.after as [string, ...string[]])),
    })
    .map((l) => {
      // A user name needs a named scheme; without one, "name@host" is an e-mail address.
      const userinfo = /^[a-z]+:/i.test(l.scheme) ? l.userinfo : '';
      let host = withCase(l.host, l.letters);
      if (l.fullWidth) host = fullWidth(host);
      host = host.replace(/\./g, l.dot);
      let link = `${l.scheme}${userinfo}${host}${l.port}${l.path}`;
      for (const [at, char] of l.invisible) {
        const i = at % (link.length + 1);
        link = link.slice(0, i) + char + link.slice(i);
      }
      // "12:30" glued to "10.0.0.1" makes one number, 3010.0.0.1, which no phone links.
      const before = /\d$/.test(l.before) && /^\d/.test(link) ? '' : l.before;
      return { text: `${before}${link}${l.after}`, host: l.host };
    });
}

/** An https link to an allowed host, in any letter case, with a path a text would carry. */
export function allowedLink(hosts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .record({
      scheme: fc.constantFrom('https://', 'HTTPS://', 'Https://'),
      host: fc.constantFrom(...hosts),
      letters: fc.constantFrom<'lower' | 'upper' | 'mixed'>('lower', 'upper', 'mixed'),
      path: fc.constantFrom('', '/', '/card/abc123', '/card?id=1&x=2', '/cards/card.zip', '#top'),
    })
    .map((l) => `${l.scheme}${withCase(l.host, l.letters)}${l.path}`);
}

/** Punctuation a sentence puts around a link: quotes, brackets, a full stop. */
export const sentenceAround: fc.Arbitrary<[string, string]> = fc.constantFrom<[string, string]>(
  ['', ''],
  ['', '.'],
  ['', ','],
  ['', '!'],
  ['', '?'],
  ['(', ')'],
  ['(', ').'],
  ['“', '”'],
  ['"', '"'],
  ["'", "'"],
  ['<', '>'],
  ['[', ']'],
  ['Card: ', ';'],
);
