/**
 * Examples of date fields that stay valid on any day: computed from "now" whenever a
 * document is served, so Swagger UI's "Try it out" never sends a send_at in the past and
 * no example reads as if it were written on one particular day.
 */
export interface DatedExamples {
  /** A refill date three days ahead, YYYY-MM-DD. */
  refill_date: string;
  /** An appointment two days ahead at 15:30 in UTC-05:00. */
  appointment_time: string;
  /** A reminder tomorrow at 10:00 in UTC-05:00: 10 to 34 hours ahead, inside send_at's range. */
  send_at: string;
  /** The same instant as send_at, as the service answers it (UTC). */
  scheduled_for: string;
  /** Something recorded a minute ago (UTC). */
  recorded_at: string;
  /** A search range: the last 30 days, up to tomorrow (UTC midnights). */
  range_from: string;
  range_to: string;
}

/** Which example each documented field takes; only ISO-date-looking examples are replaced. */
const FIELDS: Record<string, keyof DatedExamples> = {
  refill_date: 'refill_date',
  appointment_time: 'appointment_time',
  send_at: 'send_at',
  scheduled_for: 'scheduled_for',
  at: 'recorded_at',
  created_at: 'recorded_at',
  updated_at: 'recorded_at',
  from: 'range_from',
  to: 'range_to',
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

const OFFSET = '-05:00';
const OFFSET_MS = -5 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar day `days` after now's day in UTC-05:00, as YYYY-MM-DD. */
function dayAhead(now: Date, days: number): string {
  return new Date(now.getTime() + OFFSET_MS + days * DAY_MS).toISOString().slice(0, 10);
}

function utcMidnight(now: Date, days: number): string {
  return `${new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`;
}

export function datedExamples(now: Date): DatedExamples {
  const sendAt = `${dayAhead(now, 1)}T10:00:00${OFFSET}`;
  return {
    refill_date: dayAhead(now, 3),
    appointment_time: `${dayAhead(now, 2)}T15:30:00${OFFSET}`,
    send_at: sendAt,
    scheduled_for: new Date(sendAt).toISOString(),
    recorded_at: new Date(Math.floor((now.getTime() - 60_000) / 1000) * 1000).toISOString(),
    range_from: utcMidnight(now, -30),
    range_to: utcMidnight(now, 1),
  };
}

/**
 * Examples as of the moment the DTO classes load: what a document shows if nothing refreshes
 * it. Served documents go through withDatedExamples, which uses the injected clock.
 */
export const LOAD_TIME_EXAMPLES: DatedExamples = datedExamples(new Date());

/**
 * A copy of an OpenAPI document (or any JSON) whose date examples are as of `now`: schema
 * properties' `example`, query parameters' examples and the values of request-body examples.
 */
export function withDatedExamples<T>(document: T, now: Date): T {
  const examples = datedExamples(now);
  const copy = structuredClone(document);
  const isDate = (value: unknown) => typeof value === 'string' && ISO_DATE.test(value);
  const setExample = (holder: unknown, value: string) => {
    if (holder !== null && typeof holder === 'object' && 'example' in holder) {
      const target = holder;
      if (isDate(target.example)) target.example = value;
    }
  };
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const record = node as Record<string, unknown>;
    for (const [field, key] of Object.entries(FIELDS)) {
      const value = record[field];
      if (isDate(value)) record[field] = examples[key];
      else setExample(value, examples[key]);
    }
    // A query parameter: { name: 'from', in: 'query', example?, schema: { example? } }.
    const key = typeof record.name === 'string' ? FIELDS[record.name] : undefined;
    if (key && record.in === 'query') {
      setExample(record, examples[key]);
      setExample(record.schema, examples[key]);
    }
    Object.values(record).forEach(visit);
  };
  visit(copy);
  return copy;
}
