import type { QuietHours } from '../config/scheduling.config.js';
import { addDays, instantOf, wallClock } from './zoned-time.js';

/**
 * When quiet hours end, if `now` falls inside them in `timeZone`; undefined outside them.
 * The window may span midnight (21:00-08:00) or not (12:00-13:00).
 */
export function quietHoursEnd(now: Date, timeZone: string, quiet: QuietHours): Date | undefined {
  const local = wallClock(now, timeZone);
  const minute = local.hour * 60 + local.minute;
  const spansMidnight = quiet.startMinute > quiet.endMinute;
  const inside = spansMidnight
    ? minute >= quiet.startMinute || minute < quiet.endMinute
    : minute >= quiet.startMinute && minute < quiet.endMinute;
  if (!inside) return undefined;
  // After the start on the evening side, the window ends tomorrow morning.
  const endsTomorrow = spansMidnight && minute >= quiet.startMinute;
  const day = endsTomorrow ? addDays(local, 1) : local;
  return instantOf(
    { ...day, hour: Math.floor(quiet.endMinute / 60), minute: quiet.endMinute % 60 },
    timeZone,
  );
}
