/**
 * Finds what a phone's messaging app would turn into a tappable web link: anything with a
 * scheme, "www." names, and bare domains such as "bit.ly/x". Deliberately eager: a false
 * positive refuses a text with a clear reason, a miss lets an unvetted link reach a patient.
 */

// Dots that IDNA treats as label separators, so "evil。com" is "evil.com" on a phone.
const DOT_LOOKALIKES = /[\u3002\uFF0E\uFF61]/g;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const HOST_START = /^(?:[^\s/@]*@)?(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,63}(?::\d+)?(?:[/?#]|$)/u;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;
const LEADING_PUNCTUATION = /^['"(<[{]+/;
const EMAIL = /^[^\s@/:]+@(?:[\p{L}\p{N}-]+\.)+[\p{L}]{2,63}$/u;

export interface FoundLink {
  /** The text as written. */
  text: string;
  /** Parsed as a phone would open it (bare names open as http), or null when unreadable. */
  url: URL | null;
}

export function findLinks(text: string): FoundLink[] {
  const normalized = text.normalize('NFKC').replace(DOT_LOOKALIKES, '.');
  const links: FoundLink[] = [];
  for (const raw of normalized.split(/\s+/)) {
    const token = raw.replace(LEADING_PUNCTUATION, '').replace(TRAILING_PUNCTUATION, '');
    if (!token || EMAIL.test(token)) continue;
    const hasScheme = SCHEME.test(token) && !/^[a-z]+:\d/i.test(token);
    if (!hasScheme && !HOST_START.test(token)) continue;
    links.push({ text: token, url: parse(hasScheme ? token : `http://${token}`) });
  }
  return links;
}

function parse(candidate: string): URL | null {
  try {
    return new URL(candidate);
  } catch {
    return null;
  }
}
