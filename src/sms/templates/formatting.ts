/** The first word of a name: texts greet by first name only (minimum necessary PHI). */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}

const OFFSET = /(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * "2026-12-02T15:30:00-05:00" -> "Wednesday, December 2, 2026 at 3:30 PM": the wall-clock time
 * at the offset the caller gave, so the patient reads the clinic's local time.
 */
export function spellLocalDateTime(iso: string, locale = 'en-US'): string {
  const match = OFFSET.exec(iso);
  if (!match) throw new Error('A time with a UTC offset is required');
  const offsetMinutes =
    match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
  const wallClock = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  const date = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(wallClock);
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    hour: 'numeric',
    minute: '2-digit',
  }).format(wallClock);
  // Some ICU versions put U+202F before AM/PM, which is not GSM-7 and would triple the cost.
  return `${date} at ${time}`.replace(/[\u00A0\u202F]/g, ' ');
}

/** "2026-12-02" -> "Wednesday, December 2". */
export function spellDate(isoDate: string, locale = 'en-US'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${isoDate}T00:00:00Z`));
}
