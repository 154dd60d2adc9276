import { isRecord } from './malformed.js';

/**
 * JSON with object keys sorted at every level, so the same value gives the same text however a
 * platform ordered its keys: for keys and fingerprints derived from a platform's arguments.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
