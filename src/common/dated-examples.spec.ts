import { datedExamples, withDatedExamples } from './dated-examples.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('datedExamples', () => {
  // Every hour of two years, so every time of day, month end and year end is covered.
  const start = Date.UTC(2027, 0, 1);
  const instants = Array.from(
    { length: 2 * 365 * 24 },
    (_, hour) => new Date(start + hour * 3_600_000),
  );

  it('puts send_at 15 minutes to 35 days ahead, whatever the hour', () => {
    const outside = instants.filter((now) => {
      const ahead = new Date(datedExamples(now).send_at).getTime() - now.getTime();
      return ahead < 15 * MINUTE || ahead > 35 * DAY;
    });
    expect(outside).toEqual([]);
  });

  it('puts the appointment and the refill date ahead of now', () => {
    const behind = instants.filter((now) => {
      const { appointment_time, refill_date } = datedExamples(now);
      return (
        new Date(appointment_time).getTime() <= now.getTime() ||
        refill_date <= now.toISOString().slice(0, 10)
      );
    });
    expect(behind).toEqual([]);
  });

  it('writes each in the format its field validates', () => {
    const examples = datedExamples(new Date('2027-12-31T23:00:00Z'));
    expect(examples).toEqual({
      refill_date: '2028-01-03',
      appointment_time: '2028-01-02T15:30:00-05:00',
      send_at: '2028-01-01T10:00:00-05:00',
    });
  });
});

describe('withDatedExamples', () => {
  const document = {
    components: {
      schemas: {
        Reminder: { properties: { send_at: { type: 'string', example: 'old' } } },
      },
    },
    paths: {
      '/preview': {
        post: { requestBody: { examples: { a: { value: { appointment_time: 'old' } } } } },
      },
    },
  };

  it('sets schema examples and request-body example values, leaving the original alone', () => {
    const now = new Date('2030-05-05T12:00:00Z');
    const patched = withDatedExamples(document, now);
    expect(patched.components.schemas.Reminder.properties.send_at.example).toBe(
      datedExamples(now).send_at,
    );
    expect(patched.paths['/preview'].post.requestBody.examples.a.value.appointment_time).toBe(
      datedExamples(now).appointment_time,
    );
    expect(document.components.schemas.Reminder.properties.send_at.example).toBe('old');
  });
});
