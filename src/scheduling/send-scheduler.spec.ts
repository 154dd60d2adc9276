import type { ConfigType } from '@nestjs/config';
import type { schedulingConfig } from '../config/scheduling.config.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import { SendScheduler } from './send-scheduler.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const QUIET_21_TO_8 = { startMinute: 21 * 60, endMinute: 8 * 60 };

// Noon in New York (EST, UTC-5) on a winter weekday.
const NOON_NEW_YORK = new Date('2030-01-15T17:00:00Z');

function schedulerAt(
  now: Date,
  quietHours: ConfigType<typeof schedulingConfig>['quietHours'] = QUIET_21_TO_8,
): SendScheduler {
  const clock = { now: () => now };
  return new SendScheduler({ quietHours, defaultTimeZone: 'America/New_York' }, clock);
}

const request = (fields: Record<string, unknown> = {}) =>
  ({ phone_number: '+12025550143', ...fields }) as ToolRequestDto;

const inMs = (from: Date, ms: number) => new Date(from.getTime() + ms).toISOString();

describe('SendScheduler', () => {
  describe('send_at', () => {
    const scheduler = schedulerAt(NOON_NEW_YORK);

    it.each([
      ['15 minutes', 15 * MINUTE],
      ['35 days', 35 * DAY],
    ])('accepts %s ahead', (_label, ahead) => {
      const sendAt = inMs(NOON_NEW_YORK, ahead);

      // Noon plus whole days, or 12:15: outside quiet hours, so the requested time stands.
      expect(scheduler.plan(request({ send_at: sendAt }))).toEqual({
        sendAt: new Date(sendAt),
        timeZone: 'America/New_York',
        reason: 'requested',
      });
    });

    it.each([
      ['in the past', -MINUTE],
      ['a moment short of 15 minutes ahead', 15 * MINUTE - 1],
      ['a moment past 35 days ahead', 35 * DAY + 1],
    ])('refuses a time %s: 400 SEND_AT_OUT_OF_RANGE', (_label, ahead) => {
      expect(() => scheduler.plan(request({ send_at: inMs(NOON_NEW_YORK, ahead) }))).toThrow(
        expect.objectContaining({
          code: 'SEND_AT_OUT_OF_RANGE',
          status: 400,
          details: { field: 'send_at' },
        }),
      );
    });

    it("moves a requested time inside quiet hours to their end, in the recipient's zone", () => {
      // 23:00 in New York that night.
      const late = '2030-01-16T04:00:00Z';

      expect(scheduler.plan(request({ send_at: late }))).toEqual({
        sendAt: new Date('2030-01-16T13:00:00Z'),
        timeZone: 'America/New_York',
        reason: 'quiet_hours',
      });
    });
  });

  describe('quiet hours', () => {
    // 22:00 in New York.
    const lateEvening = new Date('2030-01-16T03:00:00Z');

    it('sends now outside quiet hours', () => {
      expect(schedulerAt(NOON_NEW_YORK).plan(request())).toBeUndefined();
    });

    it('schedules a non-urgent text for the end of quiet hours, 08:00 local', () => {
      expect(schedulerAt(lateEvening).plan(request())).toEqual({
        sendAt: new Date('2030-01-16T13:00:00Z'),
        timeZone: 'America/New_York',
        reason: 'quiet_hours',
      });
    });

    it('sends an urgent text now, inside quiet hours', () => {
      expect(schedulerAt(lateEvening).plan(request({ urgent: true }))).toBeUndefined();
    });

    it('never schedules sooner than the providers accept when quiet hours are about to end', () => {
      // 07:55 in New York: quiet hours end in 5 minutes, but a schedule needs 15 ahead (+1 of room).
      const almostMorning = new Date('2030-01-16T12:55:00Z');

      expect(schedulerAt(almostMorning).plan(request())?.sendAt).toEqual(
        new Date('2030-01-16T13:11:00Z'),
      );
    });

    it('never schedules when quiet hours are off', () => {
      expect(schedulerAt(lateEvening, null).plan(request())).toBeUndefined();
    });
  });

  describe("the recipient's zone", () => {
    // 22:00 in London, 17:00 in New York, 14:00 in Los Angeles.
    const londonEvening = new Date('2030-01-15T22:00:00Z');
    const scheduler = schedulerAt(londonEvening);

    it("is the request's timezone field first", () => {
      expect(scheduler.plan(request({ timezone: 'Europe/London' }), 'US')?.timeZone).toBe(
        'Europe/London',
      );
      expect(scheduler.plan(request({ timezone: 'America/Los_Angeles' }), 'GB')).toBeUndefined();
    });

    it("is a single-zone country's zone when the request names none", () => {
      expect(scheduler.plan(request(), 'GB')).toEqual({
        sendAt: new Date('2030-01-16T08:00:00Z'),
        timeZone: 'Europe/London',
        reason: 'quiet_hours',
      });
    });

    it('is DEFAULT_TIMEZONE for a country with several zones, or none known', () => {
      expect(scheduler.plan(request(), 'US')).toBeUndefined();
      expect(scheduler.plan(request())).toBeUndefined();
      expect(schedulerAt(new Date('2030-01-16T03:00:00Z')).plan(request(), 'US')?.timeZone).toBe(
        'America/New_York',
      );
    });
  });
});
