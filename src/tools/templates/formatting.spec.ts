import { firstName, spellDate, spellLocalDateTime } from './formatting.js';

describe('firstName', () => {
  it.each([
    ['Maria Elena Garcia', 'Maria'],
    ['  José   Luis  ', 'José'],
    ["O'Brien", "O'Brien"],
    ['Anne-Marie Dupont', 'Anne-Marie'],
  ])('%j -> %j', (fullName, expected) => {
    expect(firstName(fullName)).toBe(expected);
  });
});

describe('spellLocalDateTime', () => {
  it('spells the date and time in full', () => {
    expect(spellLocalDateTime('2026-12-02T15:30:00-05:00')).toBe(
      'Wednesday, December 2, 2026 at 3:30 PM',
    );
  });

  it.each([
    // 07:30 UTC on December 3, but the clinic's clock says December 2.
    [
      'a negative offset late in the day',
      '2026-12-02T23:30:00-08:00',
      'Wednesday, December 2, 2026 at 11:30 PM',
    ],
    // 18:30 UTC on December 1, but the clinic's clock says December 2.
    [
      'a positive offset early in the day',
      '2026-12-02T00:00:00+05:30',
      'Wednesday, December 2, 2026 at 12:00 AM',
    ],
    ['a half-hour offset', '2026-12-02T09:15:00+05:30', 'Wednesday, December 2, 2026 at 9:15 AM'],
    ['UTC written as Z', '2026-12-02T15:30:00Z', 'Wednesday, December 2, 2026 at 3:30 PM'],
    ['a zero offset', '2026-12-02T15:30:00+00:00', 'Wednesday, December 2, 2026 at 3:30 PM'],
    ['milliseconds', '2026-12-02T15:30:00.000-05:00', 'Wednesday, December 2, 2026 at 3:30 PM'],
    ['no seconds', '2026-12-02T15:30-05:00', 'Wednesday, December 2, 2026 at 3:30 PM'],
  ])('uses the wall clock of the given offset: %s', (_case, iso, expected) => {
    expect(spellLocalDateTime(iso)).toBe(expected);
  });

  it('does not depend on the time zone of the machine', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Tokyo';
      expect(spellLocalDateTime('2026-12-02T23:30:00-08:00')).toBe(
        'Wednesday, December 2, 2026 at 11:30 PM',
      );
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('refuses a time without a UTC offset', () => {
    expect(() => spellLocalDateTime('2026-12-02T15:30:00')).toThrow(
      'A time with a UTC offset is required',
    );
  });
});

describe('spellDate', () => {
  it.each([
    ['2026-12-02', 'Wednesday, December 2'],
    ['2026-01-01', 'Thursday, January 1'],
    ['2028-02-29', 'Tuesday, February 29'],
  ])('%s -> %s', (isoDate, expected) => {
    expect(spellDate(isoDate)).toBe(expected);
  });
});

describe('in Spanish', () => {
  it.each([
    ['2026-12-02T15:30:00-05:00', 'miércoles, 2 de diciembre de 2026 a las 15:30'],
    ['2026-12-05T13:05:00-05:00', 'sábado, 5 de diciembre de 2026 a las 13:05'],
    // "a la una": the article agrees with the hour.
    ['2026-12-02T01:30:00-05:00', 'miércoles, 2 de diciembre de 2026 a la 1:30'],
    ['2026-12-02T00:15:00-05:00', 'miércoles, 2 de diciembre de 2026 a las 0:15'],
  ])('spells %s as %j', (iso, expected) => {
    expect(spellLocalDateTime(iso, 'es')).toBe(expected);
  });

  it('spells a date', () => {
    expect(spellDate('2026-12-02', 'es')).toBe('miércoles, 2 de diciembre');
  });

  it('uses the regional clock of a regional tag, still agreeing with the hour', () => {
    expect(spellLocalDateTime('2026-12-02T13:30:00-05:00', 'es-MX')).toBe(
      'miércoles, 2 de diciembre de 2026 a la 1:30 p.m.',
    );
  });
});
