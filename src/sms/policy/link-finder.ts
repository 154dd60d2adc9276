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
 * ("copay.example.com@evil.com/x") is a web address with a user name.
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
// Schemes phones open that linkify-it does not know, such as intent:// or an app's own.
const OTHER_SCHEME = /(?<![\p{L}\p{N}+.-])[a-z][a-z0-9+.-]*:\/\/[^\s]*/giu;
const KNOWN_SCHEME = /^(?:https?|ftp):/i;
const EMAIL_GOES_ON = /^[/?#:\\]\S/;

export function findLinks(raw: string): FoundLink[] {
  const shown = displayed(raw);
  const links: FoundLink[] = [];
  // Units of shown.text inside a link of step 1 that was read whole.
  const read = new Array<boolean>(shown.text.length).fill(false);
  for (const match of linkify.match(shown.joined) ?? []) {
    if (match.schema === 'mailto:') {
      links.push(emailOrWebLink(shown.joined, match));
      continue;
    }
    // As the eye reads it; and, if a phone stopped at an invisible character, its first part.
    const joined = urlPrefix(shown.joined, match.index, match.lastIndex, () => false);
    const start = shown.joinedToText[match.index];
    const end = shown.joinedToText[match.lastIndex - 1] + 1;
    const broken = urlPrefix(shown.text, start, end, (i) => shown.invisible[i]);
    for (const text of new Set([joined, broken])) {
      links.push({ text, url: parse(openedAs(match.schema, text)), kind: 'web' });
    }
    read.fill(true, start, start + broken.length);
  }
  for (const [text] of shown.joined.matchAll(OTHER_SCHEME)) {
    if (!KNOWN_SCHEME.test(text)) links.push({ text, url: parse(text), kind: 'web' });
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
  const after = joined.slice(match.lastIndex);
  if (!EMAIL_GOES_ON.test(after)) return { text: match.raw, url: null, kind: 'email' };
  const text = `${match.raw.replace(/^mailto:/i, '')}${/^\S*/.exec(after)?.[0] ?? ''}`;
  return { text, url: parse(`http://${text}`), kind: 'web' };
}

/** Step 2: names a phone could link in words broken at punctuation. */
function bareNames(view: string): FoundLink[] {
  const names: string[] = [];
  for (const word of wordsOf(view)) {
    if (!word.includes('.')) continue;
    const matches = linkify.match(word) ?? [];
    const emails = matches.filter((m) => m.schema === 'mailto:');
    const linked = matches.filter((m) => m.schema !== 'mailto:').map((m) => m.raw);
    const name = linked[0] ?? nameAtSomeDot(word, emails);
    if (name) names.push(name);
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

/**
 * A name ending at a word boundary as Android's linkifier reads it: "evil.com" in "evil.com-x"
 * or "evil.com.x", where linkify-it wants the host to end the word. www. names count whatever
 * their ending, as phones link them.
 */
function nameAtSomeDot(word: string, emails: readonly Match[]): string | undefined {
  for (let dot = word.indexOf('.'); dot >= 0; dot = word.indexOf('.', dot + 1)) {
    if (emails.some((m) => dot >= m.index && dot < m.lastIndex)) continue;
    const label = /[\p{L}\p{M}\p{N}-]*$/u.exec(word.slice(0, dot))?.[0].replace(/^-+/, '') ?? '';
    const after = /^[\p{L}\p{M}\p{N}-]*/u.exec(word.slice(dot + 1))?.[0] ?? '';
    if (!label || !after) continue;
    if (label.toLowerCase() === 'www') return `${label}.${after}`;
    for (const name of [`${label}.${after}`, `${label}.${after.split('-')[0]}`]) {
      if (linkify.test(name)) return name;
    }
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
