import type { DatabaseConfig } from '../config/database.config.js';
import { describeDatabase, describeQuietHours, describeRedis } from './boot-banner.js';
import { isPrettyOutput } from './output-format.js';

describe('the boot banner', () => {
  it('names the PostgreSQL host and database, never the user or password', () => {
    const database: DatabaseConfig = {
      type: 'postgres',
      url: 'postgres://gateway:s3cret-pass@db.internal:5432/sms',
      sqlitePath: './data/x.sqlite',
      migrationsRun: true,
    };
    expect(describeDatabase(database)).toBe('PostgreSQL db.internal:5432/sms');
  });

  it('names the Redis host, never its password', () => {
    expect(describeRedis('redis://:hunter2-pass@cache.internal:6380/0')).toBe(
      'Redis cache.internal:6380',
    );
    expect(describeRedis(undefined)).toBe('none: rate limits kept in this process');
  });

  it('spells quiet hours, or off', () => {
    expect(
      describeQuietHours({ startMinute: 21 * 60 + 30, endMinute: 8 * 60 }, 'America/Chicago'),
    ).toBe("21:30-08:00 in the patient's time zone (default America/Chicago)");
    expect(describeQuietHours(null, 'America/Chicago')).toBe('off');
  });

  it.each([
    [undefined, true, true],
    ['development', true, true],
    ['development', false, false],
    ['development', undefined, false],
    ['production', true, false],
    ['test', true, false],
  ])('NODE_ENV %s on a terminal %s: pretty %s', (nodeEnv, isTty, pretty) => {
    expect(isPrettyOutput(nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv }, isTty)).toBe(pretty);
  });
});
