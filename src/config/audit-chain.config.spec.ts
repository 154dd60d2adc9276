import { join } from 'node:path';
import { auditChainConfig, chainKeyOf } from './audit-chain.config.js';
import { auditConfig, SIX_YEARS_DAYS } from './audit.config.js';

const HASH_KEY = 'audit-config-spec-hash-key-0123456789abcdef';
const CHAIN_KEY = 'audit-config-spec-chain-key-0123456789abcd';
const OLD_CHAIN_KEY = 'audit-config-spec-retired-chain-key-012345';
const PRODUCTION = {
  NODE_ENV: 'production',
  AUDIT_HASH_KEY: HASH_KEY,
  AUDIT_CHAIN_KEY: CHAIN_KEY,
  AUDIT_CHECKPOINT_DIR: '/var/lib/gateway/audit-checkpoints',
};
const AUDIT_VARIABLES = [
  'NODE_ENV',
  'AUDIT_HASH_KEY',
  'AUDIT_RETENTION_DAYS',
  'AUDIT_CHAIN_KEY',
  'AUDIT_CHAIN_KEYS_PREVIOUS',
  'AUDIT_CHECKPOINT_DIR',
  'AUDIT_VERIFY_INTERVAL_MS',
  'AUDIT_BROKEN_CHAIN',
  'DATABASE_URL',
  'SQLITE_PATH',
];

describe('audit settings', () => {
  const original = process.env;
  beforeEach(() => {
    process.env = { ...original };
    for (const name of AUDIT_VARIABLES) delete process.env[name];
  });
  afterEach(() => {
    process.env = original;
  });

  describe('retention', () => {
    it('is six calendar years by default, however they fall across leap years', () => {
      expect(auditConfig().retentionDays).toBe(SIX_YEARS_DAYS);
      // Every start day of a 400-year Gregorian cycle: six years later is never further away.
      let longest = 0;
      for (let day = 0; day < 146_097; day++) {
        const start = new Date(Date.UTC(2000, 0, 1 + day));
        const end = new Date(start);
        end.setUTCFullYear(start.getUTCFullYear() + 6);
        longest = Math.max(longest, (end.getTime() - start.getTime()) / 86_400_000);
      }
      expect(longest).toBe(SIX_YEARS_DAYS);
    });

    it('may not be set below six years in production', () => {
      Object.assign(process.env, PRODUCTION, { AUDIT_RETENTION_DAYS: '2190' });
      expect(() => auditConfig()).toThrow(
        'Invalid configuration: AUDIT_RETENTION_DAYS must be at least 2192',
      );
      process.env.AUDIT_RETENTION_DAYS = '2192';
      expect(auditConfig().retentionDays).toBe(2192);
    });

    it('keeps no purge record below six years in production, any outside it', () => {
      Object.assign(process.env, PRODUCTION);
      expect(auditChainConfig().retentionFloorDays).toBe(SIX_YEARS_DAYS);
      delete process.env.NODE_ENV;
      expect(auditChainConfig().retentionFloorDays).toBe(1);
    });
  });

  describe('the chain key', () => {
    it('is required in production, and must not be the hash key', () => {
      Object.assign(process.env, PRODUCTION, { AUDIT_CHAIN_KEY: '' });
      expect(() => auditChainConfig()).toThrow('AUDIT_CHAIN_KEY is required in production');
      process.env.AUDIT_CHAIN_KEY = HASH_KEY;
      expect(() => auditChainConfig()).toThrow('AUDIT_CHAIN_KEY must differ from AUDIT_HASH_KEY');
      process.env.AUDIT_CHAIN_KEY = 'short';
      expect(() => auditChainConfig()).toThrow('AUDIT_CHAIN_KEY must hold keys of at least 32');
    });

    it('signs with AUDIT_CHAIN_KEY and verifies with the retired keys too, each by a derived id', () => {
      Object.assign(process.env, PRODUCTION, { AUDIT_CHAIN_KEYS_PREVIOUS: OLD_CHAIN_KEY });
      const config = auditChainConfig();
      expect(config.key).toEqual(chainKeyOf(CHAIN_KEY));
      expect(config.previousKeys).toEqual([chainKeyOf(OLD_CHAIN_KEY)]);
      expect(config.key.id).toMatch(/^[0-9a-f]{16}$/);
      expect(config.key.id).not.toBe(config.previousKeys[0].id);
      expect(CHAIN_KEY).not.toContain(config.key.id);
    });

    it('outside production is derived from AUDIT_HASH_KEY: stable, and not the hash key', () => {
      process.env.AUDIT_HASH_KEY = HASH_KEY;
      const first = auditChainConfig().key;
      expect(auditChainConfig().key).toEqual(first);
      expect(first.secret).not.toBe(HASH_KEY);
      process.env.AUDIT_HASH_KEY = `${HASH_KEY}-other`;
      expect(auditChainConfig().key.secret).not.toBe(first.secret);
    });
  });

  describe('checkpoints', () => {
    it('need an explicit directory in production', () => {
      Object.assign(process.env, PRODUCTION, { AUDIT_CHECKPOINT_DIR: '' });
      expect(() => auditChainConfig()).toThrow('AUDIT_CHECKPOINT_DIR is required in production');
      process.env.AUDIT_CHECKPOINT_DIR = 'off';
      expect(() => auditChainConfig()).toThrow('AUDIT_CHECKPOINT_DIR is required in production');
    });

    it('go next to the SQLite file by default, nowhere for an in-memory or PostgreSQL database', () => {
      process.env.SQLITE_PATH = './data/gateway.sqlite';
      expect(auditChainConfig().checkpointDir).toBe(join('data', 'audit-checkpoints'));
      process.env.SQLITE_PATH = ':memory:';
      expect(auditChainConfig().checkpointDir).toBeNull();
      process.env.DATABASE_URL = 'postgres://localhost/gateway';
      expect(auditChainConfig().checkpointDir).toBeNull();
      process.env.AUDIT_CHECKPOINT_DIR = '/srv/checkpoints';
      expect(auditChainConfig().checkpointDir).toBe('/srv/checkpoints');
    });
  });

  it('keeps sending on a broken chain unless told to refuse', () => {
    expect(auditChainConfig().onBrokenChain).toBe('record');
    process.env.AUDIT_BROKEN_CHAIN = 'refuse';
    expect(auditChainConfig().onBrokenChain).toBe('refuse');
    process.env.AUDIT_BROKEN_CHAIN = 'stop';
    expect(() => auditChainConfig()).toThrow('AUDIT_BROKEN_CHAIN must be record or refuse');
  });
});
