import { ConfigError } from './env.js';
import { RETAINED_TABLES, RETENTION_SETTINGS, retentionConfig } from './retention.config.js';

const VARIABLES = RETAINED_TABLES.map((table) => RETENTION_SETTINGS[table].variable);

describe('retentionConfig', () => {
  const original = process.env;

  beforeEach(() => {
    process.env = { ...original };
    for (const name of [
      ...VARIABLES,
      'RETENTION_INTERVAL_MINUTES',
      'IDEMPOTENCY_TTL_HOURS',
      'LINE_TYPE_CACHE_DAYS',
      'NODE_ENV',
    ]) {
      delete process.env[name];
    }
  });

  afterEach(() => {
    process.env = original;
  });

  it('keeps every table its default, and purges once a day', () => {
    const config = retentionConfig();

    expect(config.days).toEqual(
      Object.fromEntries(RETAINED_TABLES.map((t) => [t, RETENTION_SETTINGS[t].defaultDays])),
    );
    expect(config.intervalMs).toBe(24 * 60 * 60_000);
  });

  it('boots in production on the defaults: none is below its floor', () => {
    process.env.NODE_ENV = 'production';

    expect(() => retentionConfig()).not.toThrow();
  });

  describe.each(RETAINED_TABLES)('%s', (table) => {
    const { variable, productionFloorDays } = RETENTION_SETTINGS[table];

    it(`refuses ${variable} below its floor in production, naming the variable`, () => {
      process.env.NODE_ENV = 'production';
      process.env[variable] = String(productionFloorDays - 1 || 0);

      expect(() => retentionConfig()).toThrow(ConfigError);
      expect(() => retentionConfig()).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
    });

    it(`takes ${variable} at its floor in production`, () => {
      process.env.NODE_ENV = 'production';
      process.env[variable] = String(productionFloorDays);

      expect(retentionConfig().days[table]).toBe(productionFloorDays);
    });

    it(`refuses ${variable} of 0 or not a whole number anywhere`, () => {
      for (const bad of ['0', '-5', '30d', '1.5']) {
        process.env[variable] = bad;
        expect(() => retentionConfig()).toThrow(new RegExp(variable));
      }
    });
  });

  it('refuses MESSAGES_RETENTION_DAYS shorter than the idempotency window, in any environment', () => {
    process.env.IDEMPOTENCY_TTL_HOURS = '72';
    process.env.MESSAGES_RETENTION_DAYS = '2';

    expect(() => retentionConfig()).toThrow(/MESSAGES_RETENTION_DAYS .*IDEMPOTENCY_TTL_HOURS/);

    process.env.MESSAGES_RETENTION_DAYS = '3';
    expect(retentionConfig().days.messages).toBe(3);
  });

  it('refuses LINE_TYPES_RETENTION_DAYS shorter than the line type cache, in any environment', () => {
    process.env.LINE_TYPE_CACHE_DAYS = '90';
    process.env.LINE_TYPES_RETENTION_DAYS = '89';

    expect(() => retentionConfig()).toThrow(/LINE_TYPES_RETENTION_DAYS .*LINE_TYPE_CACHE_DAYS/);
  });

  it('turns the worker off with RETENTION_INTERVAL_MINUTES=0', () => {
    process.env.RETENTION_INTERVAL_MINUTES = '0';

    expect(retentionConfig().intervalMs).toBe(0);
  });
});
