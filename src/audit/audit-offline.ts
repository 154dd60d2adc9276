import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { maskPhone } from '../common/mask.js';
import { RecipientHasher } from '../common/recipient-hasher.js';
import { auditConfig } from '../config/audit.config.js';

/** What an auditor types, e.g. "(202) 555-0143" or "+12025550143", in E.164. */
export function toE164(number: string, country: CountryCode = 'US'): string {
  const parsed = parsePhoneNumberFromString(number, country);
  if (!parsed?.isPossible()) {
    throw new Error('Not a phone number; give it in E.164 (+12025550143) or as dialled in the US');
  }
  return parsed.number;
}

/** The keyed hash of a number, as recipient_hash holds it (AUDIT_HASH_KEY from the environment). */
export function recipientHashOf(number: string): {
  recipient_hash: string;
  recipient_masked: string;
} {
  const e164 = toE164(number);
  const hasher = new RecipientHasher(auditConfig());
  return { recipient_hash: hasher.hash(e164), recipient_masked: maskPhone(e164) };
}

/**
 * The events of an NDJSON export whose recipient_hash is the number's, line by line as they
 * are in the file: an auditor's search with no database, only the export and the hash key.
 */
export async function searchExport(
  file: string,
  number: string,
  onMatch: (line: string) => void,
): Promise<{ searched: number; matched: number }> {
  const { recipient_hash: wanted } = recipientHashOf(number);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let searched = 0;
  let matched = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    searched += 1;
    let event: { recipient_hash?: unknown };
    try {
      event = JSON.parse(line) as { recipient_hash?: unknown };
    } catch {
      throw new Error(`Line ${searched} of ${file} is not JSON: is it an NDJSON export?`);
    }
    if (event.recipient_hash === wanted) {
      matched += 1;
      onMatch(line);
    }
  }
  return { searched, matched };
}
