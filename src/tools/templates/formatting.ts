/** The first word of a name: texts greet by first name only (minimum necessary PHI). */
export function firstName(fullName: string): string {
  return fullName.trim().split(/\s+/)[0] ?? fullName;
}

const OFFSET = /(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * "2026-12-02T15:30:00-05:00" -> "Wednesday, December 2, 2026 at 3:30 PM" (es: "miércoles,
 * 2 de diciembre de 2026 a las 15:30"): the wall-clock time at the offset the caller gave, so
 * the patient reads the clinic's local time, spelled in the template's language.
 */
export function spellLocalDateTime(iso: string, language = 'en'): string {
  const match = OFFSET.exec(iso);
  if (!match) throw new Error('A time with a UTC offset is required');
  const offsetMinutes =
    match[1] === 'Z' ? 0 : (match[2] === '-' ? -1 : 1) * (Number(match[3]) * 60 + Number(match[4]));
  const wallClock = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  const date = new Intl.DateTimeFormat(language, {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    year: 'numeric',
  }).format(wallClock);
  const time = new Intl.DateTimeFormat(language, {
    timeZone: 'UTC',
    hour: 'numeric',
    minute: '2-digit',
  });
  return gsmSpaces(joinDateAndTime(language, date, time, wallClock));
}

/** "2026-12-02" -> "Wednesday, December 2" (es: "miércoles, 2 de diciembre"). */
export function spellDate(isoDate: string, language = 'en'): string {
  return gsmSpaces(
    new Intl.DateTimeFormat(language, {
      timeZone: 'UTC',
      weekday: 'long',
      month: 'long',
      day: 'numeric',
    }).format(new Date(`${isoDate}T00:00:00Z`)),
  );
}

/** The words between a date and its time, which Intl does not give the same way everywhere. */
function joinDateAndTime(
  language: string,
  date: string,
  time: Intl.DateTimeFormat,
  at: Date,
): string {
  const clock = time.format(at);
  switch (new Intl.Locale(language).language) {
    case 'en':
      return `${date} at ${clock}`;
    case 'es': {
      // "a la 1:30", "a las 3:30", "a las 13:30": the article agrees with the hour as read.
      const hour = time.formatToParts(at).find((part) => part.type === 'hour')?.value;
      return `${date} ${Number(hour) === 1 ? 'a la' : 'a las'} ${clock}`;
    }
    default:
      return `${date}, ${clock}`;
  }
}

// Some ICU versions put U+202F or U+00A0 before AM/PM, which is not GSM-7 and would triple the cost.
function gsmSpaces(text: string): string {
  return text.replace(/[\u00A0\u202F]/g, ' ');
}
