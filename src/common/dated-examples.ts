/**
 * Examples of date fields that stay valid on any day: computed from "now" whenever a
 * document is served, so Swagger UI's "Try it out" never sends a send_at in the past.
 */
export interface DatedExamples {
  /** A refill date three days ahead, YYYY-MM-DD. */
  refill_date: string;
  /** An appointment two days ahead at 15:30 in UTC-05:00. */
  appointment_time: string;
  /** A reminder tomorrow at 10:00 in UTC-05:00: 10 to 34 hours ahead, inside send_at's range. */
  send_at: string;
}

export const DATED_FIELDS = ['refill_date', 'appointment_time', 'send_at'] as const;

const OFFSET = '-05:00';
const OFFSET_MS = -5 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar day `days` after now's day in UTC-05:00, as YYYY-MM-DD. */
function dayAhead(now: Date, days: number): string {
  return new Date(now.getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
}

export function datedExamples(now: Date): DatedExamples {
  return {
    refill_date: dayAhead(now, 3),
    appointment_time: `${dayAhead(now, 2)}T15:30:00${OFFSET}`,
    send_at: `${dayAhead(now, 1)}T10:00:00${OFFSET}`,
  };
}

/**
 * Examples as of the moment the DTO classes load: what a document shows if nothing refreshes
 * it. Served documents go through withDatedExamples, which uses the injected clock.
 */
export const LOAD_TIME_EXAMPLES: DatedExamples = datedExamples(new Date());

/**
 * A copy of an OpenAPI document (or any JSON) whose date-field examples are as of `now`:
 * schema properties' `example` and the values of request-body examples.
 */
export function withDatedExamples<T>(document: T, now: Date): T {
  const examples = datedExamples(now);
  const copy = structuredClone(document);
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    for (const field of DATED_FIELDS) {
      const value = record[field];
      if (typeof value === 'string') record[field] = examples[field];
      else if (value !== null && typeof value === 'object' && 'example' in value) {
        value.example = examples[field];
      }
    }
    Object.values(record).forEach(visit);
  };
  visit(copy);
  return copy;
}
