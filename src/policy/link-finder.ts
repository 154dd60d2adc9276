import { LinkifyIt, type Match } from 'linkify-it';
import { createRequire } from 'node:module';
import { displayed } from './displayed-text.js';

/**
 * Finds what a phone's messaging app could turn into something tappable. Deliberately eager:
 * a false positive refuses a text with a clear reason, a miss lets an unvetted link reach a
 * patient.
 *
 * 1. linkify-it, configured as a phone's linkifier (schemes, bare domains on every IANA
 *    top-level domain, bare IPv4 addresses, e-mail addresses, user names in URLs), reads the
 *    text as displayed (displayed-text.ts) with its invisible characters removed.
 * 2. linkify-it's own boundaries are stricter than some phones' (Android links "evil.com" in
 *    "...evil.com", "12:30evil.com", "`evil.com`" or "evil.com-x"), so everything outside the
 *    links of step 1 is searched again word by word, with punctuation as breaks, both with
 *    invisible characters removed and with them as breaks. Any name found there is a link
 *    without https://.
 *
 * E-mail addresses are found so that their domain is not taken for a bare link, and kept
 * apart: a phone opens them as a new e-mail, not a web page. One followed by a path or port
 * ("copay.example.com@evil.com/x"), or whose mailbox is itself a host name, is a web address
 * with a user name.
 */
export interface FoundLink {
  /** The link as written. */
  text: string;
  /** The address a phone would open (a bare name as http://), null when unreadable or an e-mail. */
  url: URL | null;
  kind: 'web' | 'email';
}

const IANA_TLDS = createRequire(import.meta.url)('tlds') as string[];

const linkify = new LinkifyIt({
  fuzzyLink: true,
  fuzzyIP: true,
  fuzzyEmail: true,
  urlAuth: true,
}).tlds(IANA_TLDS);

// The characters of a URL (RFC 3986, plus letters and digits of any script as in an IRI). A
// link is read up to the first other one: a phone whose linkifier stops at "\" or "`" would
// start another link after it, so the rest is searched again in step 2.
const URL_CHAR = /^[\p{L}\p{M}\p{N}\-._~:/?#[\]@!$&'()*+,;=%]$/u;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;
// Inside a word (host or e-mail address): a dot, an at sign, or hyphens (xn--p1ai).
const JOINER = /^(?:\.|@|-+)$/;
// Any scheme:// or //, not inside a word; a digit glued before it ("12:30http://") does not hide it.
const SCHEME = /(?<![\p{L}+.\-:/])(?:[a-z][a-z0-9+.-]*:)?\/\/\S*/giu;
const EMAIL_GOES_ON = /^[/?#:\\]\S/;

export function findLinks(raw: string): FoundLink[] {
  const shown = displayed(raw);
  const links: FoundLink[] = [];
  // Units of shown.text inside a link of step 1 that was read whole.
  const read = new Array<boolean>(shown.text.length).fill(false);
  const covered: Array<[number, number]> = [];
  const addLink = (schema: string, index: number, lastIndex: number): void => {
    covered.push([index, lastIndex]);
    // As the eye reads it; and, if a phone stopped at an invisible character, its first part.
    const joined = urlPrefix(shown.joined, index, lastIndex, () => false);
    const start = shown.joinedToText[index];
    const end = shown.joinedToText[lastIndex - 1] + 1;
    const broken = urlPrefix(shown.text, start, end, (i) => shown.invisible[i]);
    for (const text of new Set([joined, broken])) {
      links.push({ text, url: parse(openedAs(schema, text)), kind: 'web' });
    }
    read.fill(true, start, start + broken.length);
  };
  for (const match of linkify.match(shown.joined) ?? []) {
    if (match.schema === 'mailto:') links.push(emailOrWebLink(shown.joined, match));
    else addLink(match.schema, match.index, match.lastIndex);
  }
  // A scheme after a symbol ("`https://...") opens on a phone but not for linkify-it, which
  // wants a space or punctuation before it; and schemes it does not know (intent://).
  for (const scheme of shown.joined.matchAll(SCHEME)) {
    const at = scheme.index;
    if (covered.some(([from, to]) => at >= from && at < to)) continue;
    const match = linkify.matchAtStart(shown.joined.slice(at));
    if (match) addLink(match.schema, at + match.index, at + match.lastIndex);
    else if (!scheme[0].startsWith('//')) {
      links.push({ text: scheme[0], url: parse(scheme[0]), kind: 'web' });
    }
  }
  const joinedRest = Array.from(shown.joined, (unit, i) =>
    read[shown.joinedToText[i]] ? ' ' : unit,
  );
  const brokenRest = Array.from(shown.text, (unit, i) =>
    read[i] || shown.invisible[i] ? ' ' : unit,
  );
  links.push(...bareNames(joinedRest.join('')), ...bareNames(brokenRest.join('')));
  return links;
}

/** text[start, end) up to its first character that is not a URL's (or is invisible). */
function urlPrefix(
  text: string,
  start: number,
  end: number,
  isInvisible: (i: number) => boolean,
): string {
  let stop = start;
  while (stop < end && !isInvisible(stop) && URL_CHAR.test(text[stop])) stop++;
  return text.slice(start, stop);
}

function openedAs(schema: string, text: string): string {
  if (schema === '') return `http://${text}`;
  if (schema === '//') return `http:${text}`;
  return text;
}

function emailOrWebLink(joined: string, match: Match): FoundLink {
  const address = match.raw.replace(/^mailto:/i, '');
  const after = joined.slice(match.lastIndex);
  if (!EMAIL_GOES_ON.test(after) && !looksLikeAWebAddress(address)) {
    return { text: match.raw, url: null, kind: 'email' };
  }
  const text = `${address}${/^\S*/.exec(after)?.[0] ?? ''}`;
  return { text, url: parse(`http://${text}`), kind: 'web' };
}

/** "copay.example.com@evil.com" reads as the name before the at sign: a user name, not a mailbox. */
function looksLikeAWebAddress(address: string): boolean {
  return linkify.test(address.slice(0, address.lastIndexOf('@')));
}

/** Step 2: names a phone could link in words broken at punctuation. */
function bareNames(view: string): FoundLink[] {
  const names: string[] = [];
  for (const word of wordsOf(view)) {
    if (!word.includes('.')) continue;
    let rest = word;
    const found: string[] = [];
    for (const match of linkify.match(word) ?? []) {
      if (match.schema !== 'mailto:' || looksLikeAWebAddress(match.raw)) found.push(match.raw);
      else
        rest =
          rest.slice(0, match.index) + ' '.repeat(match.raw.length) + rest.slice(match.lastIndex);
    }
    // Where linkify-it wants the name to end the word, Android's linkifier stops at any
    // boundary: "evil.com" in "evil.com-x" or "evil.com.x", "10.0.0.1" in "10.0.0.1-x".
    const pieces = rest.split(/\s+/).flatMap((part) => [part, ...part.split('-')]);
    for (const piece of found.length > 0 ? [] : pieces) {
      const name = longestNameStarting(piece);
      if (name) {
        found.push(name);
        break;
      }
    }
    names.push(...found);
  }
  return names.map((name) => ({ text: name, url: parse(`http://${name}`), kind: 'web' }));
}

/** The text with every character that cannot be inside a host name or e-mail address as a space. */
function wordsOf(view: string): string[] {
  const words = view.replace(NOT_WORD, (run: string, at: number) =>
    JOINER.test(run) &&
    WORD_CHAR.test(view[at - 1] ?? '') &&
    WORD_CHAR.test(view[at + run.length] ?? '')
      ? run
      : ' '.repeat(run.length),
  );
  return words.split(/\s+/).filter(Boolean);
}

/** The longest name at the start of `piece` that ends before one of its dots, or at its end. */
function longestNameStarting(piece: string): string | undefined {
  // Phones link www. names whatever their ending.
  if (/^www\.[^.]/i.test(piece)) return piece;
  for (let end = piece.length; end > 0; end = piece.lastIndexOf('.', end - 1)) {
    const name = piece.slice(0, end);
    if (name.includes('.') && linkify.test(name)) return name;
  }
  return undefined;
}

function parse(candidate: string): URL | null {
  try {
    return new URL(candidate);
  } catch {
    return null;
  }
}
