import { createHash } from 'node:crypto';

/**
 * A template's version, as the audit log records it: the first 12 hex digits of the SHA-256
 * of its source as JSON with sorted keys. Any change to its words (a phrase, a choice's text)
 * changes it; reordering the keys of a templates file does not. The text sent never appears.
 */
export function templateVersion(source: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(sorted(source)))
    .digest('hex')
    .slice(0, 12);
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sorted(record[key])]),
  );
}
