import type { ReplyIntent } from '../tools/tool-definition.js';
import { plainWords } from './revocation-phrases.js';

/** What a reply that is neither a consent word nor a declared reply is: a person reads it. */
export const FREE_TEXT = 'free_text';
export type ReadIntent = ReplyIntent | typeof FREE_TEXT;

/**
 * The intent of a reply to a tool's text: one of the replies the tool declared, as the whole
 * message in any case ("c", "C.", " 1 "), else free text.
 */
export function intentOf(
  body: string,
  replies: Readonly<Record<string, ReplyIntent>> | undefined,
): ReadIntent {
  const words = plainWords(body).toUpperCase();
  for (const [reply, intent] of Object.entries(replies ?? {})) {
    if (words === plainWords(reply).toUpperCase()) return intent;
  }
  return FREE_TEXT;
}
