import { findLinks } from './link-finder.js';

const webHosts = (text: string) =>
  findLinks(text)
    .filter((l) => l.kind === 'web')
    .map((l) => l.url?.hostname ?? null);

describe('findLinks', () => {
  it.each([
    ['a bare domain', 'Go to evil-pharmacy.com to pay', 'evil-pharmacy.com'],
    ['a bare domain in asterisks', 'Log in: *evil.com/login*', 'evil.com'],
    ['a bare domain in curly quotes', 'Pay at “evil.com/pay”', 'evil.com'],
    ['a possessive', 'Visit evil.com’s portal', 'evil.com'],
    ['a zero-width space after it', 'Visit evil.com\u200b now', 'evil.com'],
    ['a zero-width space inside it', 'Visit evil\u200b.com now', 'evil.com'],
    ['a bidi control inside it', 'Visit ev\u202eil.com now', 'evil.com'],
    ['an ellipsis before it', 'Go...evil.com', 'evil.com'],
    ['a time glued to it', 'Come at 12:30evil.com', '30evil.com'],
    ['backticks', 'See `evil.com`', 'evil.com'],
    ['a punycode top-level domain', 'See evil.xn--p1ai/x', 'evil.xn--p1ai'],
    ['a Cyrillic top-level domain', 'See evil.рф/x', 'evil.xn--p1ai'],
    ['an IPv4 address', 'Log in at 192.168.1.1/login', '192.168.1.1'],
    ['an IPv4 address in backticks', 'Log in at `10.0.0.1`', '10.0.0.1'],
    ['a new generic top-level domain', 'Download card.zip today', 'card.zip'],
    ['a host followed by a hyphen', 'Open evil.com-login', 'evil.com'],
    ['a host followed by a dot and a word', 'Open evil.com.x', 'evil.com'],
    ['an IPv4 address followed by a hyphen', 'Open 10.0.0.1-x', '10.0.0.1'],
    ['an IPv4 address followed by a dot and a word', 'Open 10.0.0.1.x', '10.0.0.1'],
    ['a host after an at sign', 'Open @evil.com', 'evil.com'],
    ['a punycode host followed by a dot', 'Open evil.xn--p1ai.x', 'evil.xn--p1ai'],
    ['a host followed by a port', 'Open evil.com:8080/x', 'evil.com'],
    ['a www name on no known domain', 'Open www.evil today', 'www.evil'],
    ['full-width letters', 'Card: ｅｖｉｌ.com/card', 'evil.com'],
    ['an ideographic dot', 'Card: evil。com/card', 'evil.com'],
    ['a relative-scheme link', 'Card: //evil.com/card', 'evil.com'],
    ['an app scheme', 'Open intent://evil.com/#Intent;end', 'evil.com'],
    ['a scheme after a backtick', 'Open `https://evil.com', 'evil.com'],
    ['a scheme glued to a time', 'Open at 12:30http://evil.com', 'evil.com'],
    ['a relative link after a backtick', 'Open `//user:pw@evil.com', 'evil.com'],
  ])('finds %s', (_, text, host) => {
    expect(webHosts(text)).toContain(host);
  });

  it.each([
    'Card: https://copay.example.com@evil.com/x',
    'Card: `https://copay.example.com@evil.com/x',
  ])('reads a user name in %j as the URL does', (text) => {
    const [link] = findLinks(text);
    expect(link.url).toMatchObject({ username: 'copay.example.com', hostname: 'evil.com' });
  });

  it('reads an e-mail address followed by a path as a web address with a user name', () => {
    const links = findLinks('Card: copay.example.com@evil.com/x.png');
    expect(links[0]).toMatchObject({ kind: 'web' });
    expect(links[0].url).toMatchObject({ username: 'copay.example.com', hostname: 'evil.com' });
  });

  it('does not trust a link past a backslash: the rest is searched again', () => {
    expect(webHosts('Card: https://copay.example.com\\@evil.com/x')).toEqual([
      'copay.example.com',
      'evil.com',
      'evil.com',
    ]);
  });

  it('keeps the port, scheme and host of a link with a scheme', () => {
    const [link] = findLinks('Card: http://copay.example.com:8443/card/1.');
    expect(link.url).toMatchObject({ protocol: 'http:', port: '8443' });
    expect(link.text).toBe('http://copay.example.com:8443/card/1');
  });

  it('reads an e-mail address whose mailbox is a host name as that host behind a user name', () => {
    const [link] = findLinks('Card: 12:30//copay.example.com@evil.com');
    expect(link.url).toMatchObject({ username: 'copay.example.com', hostname: 'evil.com' });
  });

  it('finds a plain e-mail address as an e-mail, not a web link', () => {
    expect(findLinks('Questions? Write to help@example-health.org')).toEqual([
      { text: 'help@example-health.org', url: null, kind: 'email' },
    ]);
  });

  it('finds nothing more in an allowed link than the link', () => {
    expect(webHosts('Your card (https://copay.example.com/cards/card.zip).')).toEqual([
      'copay.example.com',
    ]);
  });

  it.each([
    'Take 10.5 mg at 8 a.m. daily, e.g. with food (U.S. dosing).',
    'Your appointment is on Wednesday, December 2, 2026 at 3:30 PM.',
    'Su cita queda confirmada para el miércoles, 2 de diciembre de 2026 a las 15:30.',
    'Your copay is $5.00 at 12:30 today.',
    "Hi O'Brien, Anne-Marie and Dr. J. Smith: Main St. Clinic, Suite 200.",
    'Refill Lisinopril 10 mg at CVS Pharmacy #1234 by 12/02/2026.',
    'Version 1.2.3 of the form, item 4.5.',
    'Mon // Tue, a/b//c',
  ])('finds nothing in %j', (text) => {
    expect(findLinks(text)).toEqual([]);
  });
});
