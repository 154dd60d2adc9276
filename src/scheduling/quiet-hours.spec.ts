import { quietHoursEnd } from './quiet-hours.js';
import { instantOf, wallClock } from './zoned-time.js';

const NIGHT = { startMinute: 21 * 60, endMinute: 8 * 60 };
const LUNCH = { startMinute: 12 * 60, endMinute: 13 * 60 };
const at = (iso: string) => new Date(iso);

describe('quietHoursEnd', () => {
  it('schedules a 10 p.m. New York request for 8 a.m. the next morning', () => {
    expect(
      quietHoursEnd(at('2026-11-26T03:00:00Z'), 'America/New_York', NIGHT)?.toISOString(),
    ).toBe('2026-11-26T13:00:00.000Z');
  });

  it('leaves the same instant alone in Los Angeles, where it is 7 p.m.', () => {
    expect(quietHoursEnd(at('2026-11-26T03:00:00Z'), 'America/Los_Angeles', NIGHT)).toBeUndefined();
  });

  it('ends an early-morning request at 8 a.m. the same day', () => {
    // 06:00 in Chicago (UTC-6 in November).
    expect(quietHoursEnd(at('2026-11-25T12:00:00Z'), 'America/Chicago', NIGHT)?.toISOString()).toBe(
      '2026-11-25T14:00:00.000Z',
    );
  });

  it('counts 9:00 p.m. as quiet and 8:00 a.m. and 8:59 p.m. as not', () => {
    expect(quietHoursEnd(at('2026-11-26T02:00:00Z'), 'America/New_York', NIGHT)).toBeDefined(); // 21:00
    expect(quietHoursEnd(at('2026-11-25T13:00:00Z'), 'America/New_York', NIGHT)).toBeUndefined(); // 08:00
    expect(quietHoursEnd(at('2026-11-26T01:59:00Z'), 'America/New_York', NIGHT)).toBeUndefined(); // 20:59
  });

  it('uses the new offset when the clocks fall back overnight', () => {
    // 23:30 EDT on Oct 31; 08:00 on Nov 1 is EST (UTC-5), i.e. 13:00Z, not 12:00Z.
    expect(
      quietHoursEnd(at('2026-11-01T03:30:00Z'), 'America/New_York', NIGHT)?.toISOString(),
    ).toBe('2026-11-01T13:00:00.000Z');
  });

  it('uses the new offset when the clocks spring forward overnight', () => {
    // 22:00 EST on Mar 7; 08:00 on Mar 8 is EDT (UTC-4), i.e. 12:00Z.
    expect(
      quietHoursEnd(at('2026-03-08T03:00:00Z'), 'America/New_York', NIGHT)?.toISOString(),
    ).toBe('2026-03-08T12:00:00.000Z');
  });

  it('handles a window that does not span midnight', () => {
    expect(
      quietHoursEnd(at('2026-11-25T17:30:00Z'), 'America/New_York', LUNCH)?.toISOString(),
    ).toBe('2026-11-25T18:00:00.000Z');
    expect(quietHoursEnd(at('2026-11-25T19:00:00Z'), 'America/New_York', LUNCH)).toBeUndefined();
  });

  it('works east of UTC too', () => {
    // 23:00 in Madrid (UTC+1 in November) -> 08:00 next day = 07:00Z.
    expect(quietHoursEnd(at('2026-11-25T22:00:00Z'), 'Europe/Madrid', NIGHT)?.toISOString()).toBe(
      '2026-11-26T07:00:00.000Z',
    );
  });
});

describe('zoned wall clocks', () => {
  it('reads the wall clock of an instant', () => {
    expect(wallClock(at('2026-07-04T16:30:00Z'), 'America/Denver')).toEqual({
      year: 2026,
      month: 7,
      day: 4,
      hour: 10,
      minute: 30,
    });
  });

  it('moves a time skipped by the spring-forward gap to the same distance after it', () => {
    // 02:30 does not exist on 2026-03-08 in New York; it reads as 03:30 EDT.
    expect(
      instantOf(
        { year: 2026, month: 3, day: 8, hour: 2, minute: 30 },
        'America/New_York',
      ).toISOString(),
    ).toBe('2026-03-08T07:30:00.000Z');
  });
});
