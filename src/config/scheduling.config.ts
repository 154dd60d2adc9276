import { registerAs } from '@nestjs/config';
import { ConfigError, readString } from './env.js';

export interface QuietHours {
  /** Minutes after local midnight when quiet hours start and end; the window may span midnight. */
  startMinute: number;
  endMinute: number;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function parseQuietHours(raw: string): QuietHours | null {
  if (raw.toLowerCase() === 'off') return null;
  const match = /^([01]\d|2[0-3]):([0-5]\d)\s*-\s*([01]\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (!match)
    throw new ConfigError('QUIET_HOURS', `must look like 21:00-08:00 or be off, got "${raw}"`);
  const startMinute = Number(match[1]) * 60 + Number(match[2]);
  const endMinute = Number(match[3]) * 60 + Number(match[4]);
  if (startMinute === endMinute)
    throw new ConfigError('QUIET_HOURS', 'must not start and end at the same time');
  return { startMinute, endMinute };
}

export const schedulingConfig = registerAs('scheduling', () => {
  const defaultTimeZone = readString(process.env, 'DEFAULT_TIMEZONE', 'America/New_York') as string;
  if (!isTimeZone(defaultTimeZone)) {
    throw new ConfigError(
      'DEFAULT_TIMEZONE',
      `must be an IANA time zone such as America/Chicago, got "${defaultTimeZone}"`,
    );
  }
  return {
    /** Non-urgent texts requested inside this local window are scheduled for its end; null: off. */
    quietHours: parseQuietHours(readString(process.env, 'QUIET_HOURS', '21:00-08:00') as string),
    /** The recipient's zone when the request names none (US numbers span several zones). */
    defaultTimeZone,
  };
});

export type SchedulingConfig = ReturnType<typeof schedulingConfig>;
