import { CONSENT_KEYWORDS, OPT_OUT_KEYWORDS } from '../../consent/consent-keywords.js';
import type { TemplateVariables } from './tool-template.js';

/** "Reply X", "text X", "responda X" ...: where a text asks the patient to answer with a word. */
const ASKS =
  /\b(?:reply|text|send|respond|answer|responda|responde|conteste|contesta|env[ií]e|mande|escriba)\s+(?:with\s+|con\s+)?["'“‘«]?([\p{L}\p{N}]+)(?:[\s_-]+([\p{L}\p{N}]+))?/giu;
/** What may follow an opt-out keyword: the opt-out itself ("Reply STOP to stop texts"). */
const OPT_OUT_PURPOSE =
  /^["'”’»]?\s*(?:to\s+(?:stop|unsubscribe|opt\s*out|end\s+texts|cancel\s+texts)|para\s+(?:dejar\s+de|no\s+recibir|cancelar\s+(?:la\s+suscripci[oó]n|los\s+mensajes)|darse\s+de\s+baja))/iu;

/** Every string of a template entry: its text, its phrases and each choice's words. */
function stringsOf(entry: unknown): string[] {
  if (typeof entry === 'string') return [entry];
  if (!entry || typeof entry !== 'object') return [];
  return Object.values(entry).flatMap(stringsOf);
}

/** The opt-out keyword a text asks the patient to reply for something else, if any. */
export function optOutAskedFor(text: string): string | null {
  for (const match of text.matchAll(ASKS)) {
    const first = match[1].toUpperCase();
    const two = match[2] ? `${first} ${match[2].toUpperCase()}` : '';
    const keyword = OPT_OUT_KEYWORDS.includes(two) ? two : first;
    if (!OPT_OUT_KEYWORDS.includes(keyword)) continue;
    const after = text.slice((match.index ?? 0) + match[0].indexOf(match[1]) + keyword.length);
    if (!OPT_OUT_PURPOSE.test(after.trimStart())) return keyword;
  }
  return null;
}

/**
 * Throws when a template asks the patient to reply with an opt-out keyword for anything but
 * stopping texts (carriers opt the number out whatever the text meant), or when the tool
 * declares a reply that is a consent keyword.
 */
export function assertNoOptOutReplies(
  tool: TemplateVariables & { replies?: Readonly<Record<string, string>> },
  entry: unknown,
): void {
  for (const reply of Object.keys(tool.replies ?? {})) {
    if (CONSENT_KEYWORDS.includes(reply.toUpperCase())) {
      throw new Error(
        `${tool.name} declares the reply "${reply}", a consent keyword: choose another reply`,
      );
    }
  }
  for (const text of stringsOf(entry)) {
    const keyword = optOutAskedFor(text);
    if (keyword) {
      throw new Error(
        `Template of ${tool.name} asks the patient to reply ${keyword} for something other than stopping texts: carriers treat ${keyword} as an opt-out`,
      );
    }
  }
}
