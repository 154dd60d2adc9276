import { registerAs } from '@nestjs/config';
import { createHmac, hkdfSync } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DEVELOPMENT_HASH_KEY, SIX_YEARS_DAYS } from './audit.config.js';
import { databaseConfig } from './database.config.js';
import { ConfigError, isProduction, readInt, readList, readString } from './env.js';

export interface ChainKey {
  /** Stored with each event (`key_id`): which key verifies it. Derived, so it cannot be mistyped. */
  id: string;
  secret: string;
}

export const BROKEN_CHAIN_MODES = ['record', 'refuse'] as const;
export type BrokenChainMode = (typeof BROKEN_CHAIN_MODES)[number];

/** A short, stable name for a key that reveals nothing about it. */
export function chainKeyOf(secret: string): ChainKey {
  const id = createHmac('sha256', secret)
    .update('agent-sms-gateway/audit-chain/key-id')
    .digest('hex')
    .slice(0, 16);
  return { id, secret };
}

/**
 * Outside production without AUDIT_CHAIN_KEY: derived from AUDIT_HASH_KEY (HKDF-SHA256), so the
 * app, the CLI and the specs agree with nothing more to configure or to lose. Production needs
 * a key of its own: auditors hold AUDIT_HASH_KEY to search by number (npm run audit:hash).
 */
function developmentChainKey(hashKey: string): string {
  const derived = hkdfSync('sha256', hashKey, '', 'agent-sms-gateway/audit-chain', 32);
  return Buffer.from(derived).toString('hex');
}

function readChainSecret(name: string, secret: string): string {
  if (secret.length < 32) throw new ConfigError(name, 'must hold keys of at least 32 characters');
  return secret;
}

/**
 * Where signed checkpoints of the chain's head go: explicit in production; next to the SQLite
 * file otherwise; none for an in-memory SQLite or a PostgreSQL outside production (a scratch
 * database must not inherit another database's checkpoints).
 */
function checkpointDir(env: NodeJS.ProcessEnv): string | null {
  const dir = readString(env, 'AUDIT_CHECKPOINT_DIR');
  if (isProduction(env)) {
    if (!dir || dir === 'off') {
      throw new ConfigError(
        'AUDIT_CHECKPOINT_DIR',
        'is required in production: a directory outside the database (see docs/OPERATIONS.md, Audit chain)',
      );
    }
    return dir;
  }
  if (dir) return dir === 'off' ? null : dir;
  const database = databaseConfig();
  if (database.type !== 'sqlite' || database.sqlitePath === ':memory:') return null;
  return join(dirname(database.sqlitePath), 'audit-checkpoints');
}

export const auditChainConfig = registerAs('auditChain', () => {
  const env = process.env;
  const hashKey = readString(env, 'AUDIT_HASH_KEY');
  const key = readString(env, 'AUDIT_CHAIN_KEY');
  if (isProduction(env) && !key) {
    throw new ConfigError(
      'AUDIT_CHAIN_KEY',
      'is required in production (32+ random characters, not AUDIT_HASH_KEY)',
    );
  }
  if (key !== undefined) readChainSecret('AUDIT_CHAIN_KEY', key);
  if (key !== undefined && key === hashKey) {
    throw new ConfigError('AUDIT_CHAIN_KEY', 'must differ from AUDIT_HASH_KEY');
  }
  const previous = readList(env, 'AUDIT_CHAIN_KEYS_PREVIOUS', []).map((secret) =>
    chainKeyOf(readChainSecret('AUDIT_CHAIN_KEYS_PREVIOUS', secret)),
  );
  const onBrokenChain = readString(env, 'AUDIT_BROKEN_CHAIN', 'record') as BrokenChainMode;
  if (!BROKEN_CHAIN_MODES.includes(onBrokenChain)) {
    throw new ConfigError('AUDIT_BROKEN_CHAIN', 'must be record or refuse');
  }
  return {
    /** Signs new events and checkpoints (HMAC-SHA256). */
    key: chainKeyOf(key ?? developmentChainKey(hashKey ?? DEVELOPMENT_HASH_KEY)),
    /** Retired keys: events and checkpoints they signed still verify. */
    previousKeys: previous,
    checkpointDir: checkpointDir(env),
    /** How often each instance verifies the new events and checkpoints the head; 0: never. */
    verifyIntervalMs: readInt(env, 'AUDIT_VERIFY_INTERVAL_MS', 60_000, {
      min: 0,
      max: 3_600_000,
    }),
    /** record: keep sending and record the break; refuse: accept no new text until it is fixed. */
    onBrokenChain,
    /** No purge record may claim a shorter retention than this. */
    retentionFloorDays: isProduction(env) ? SIX_YEARS_DAYS : 1,
  };
});

export type AuditChainConfig = ReturnType<typeof auditChainConfig>;
