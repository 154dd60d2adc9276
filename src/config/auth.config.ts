import { registerAs } from '@nestjs/config';
import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, isProduction, readString } from './env.js';

/** sms.read reads the key's own messages; sms.read_all reads every key's (never cancels them). */
export const SCOPES = ['sms.send', 'sms.read', 'sms.read_all', 'audit.read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * A way in a key may be bound to, by its registered name (src/agents/ways-in.ts). elevenlabs,
 * bland and rest all use the REST tool endpoints; a key bound to one of them is recorded as that
 * platform in the audit log. Here a name need only be well formed: configuration knows no way
 * in, so the app checks the names against the registered ones at boot (checkKeyPlatforms).
 */
export type Platform = string;

const PLATFORM_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export interface ApiKeyEntry {
  name: string;
  /** SHA-256 of the key; the plain key is never kept. */
  sha256: Buffer;
  scopes: readonly Scope[];
  /** The ways in this key may use; undefined means any. */
  platforms?: readonly Platform[];
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MIN_SECRET_LENGTH = 24;

function parseEntry(raw: string, index: number): ApiKeyEntry {
  const [name, secret, scopeList, platformList, ...rest] = raw.split(':');
  const where = `entry ${index + 1}${name && NAME.test(name) ? ` ("${name}")` : ''}`;
  if (rest.length > 0 || !name || !secret) {
    throw new ConfigError(
      'API_KEYS',
      `${where} must be name:secret, name:secret:scope+scope or name:secret:scope+scope:platform+platform`,
    );
  }
  if (!NAME.test(name))
    throw new ConfigError('API_KEYS', `${where} has a name that is not [A-Za-z0-9_.-]{1,64}`);
  let sha256: Buffer;
  if (secret.startsWith('sha256=')) {
    const hex = secret.slice('sha256='.length);
    if (!/^[0-9a-fA-F]{64}$/.test(hex))
      throw new ConfigError('API_KEYS', `${where} has a sha256= secret that is not 64 hex digits`);
    sha256 = Buffer.from(hex, 'hex');
  } else {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new ConfigError(
        'API_KEYS',
        `${where} has a secret shorter than ${MIN_SECRET_LENGTH} characters`,
      );
    }
    sha256 = createHash('sha256').update(secret).digest();
  }
  const scopes = scopeList ? scopeList.split('+').map((s) => s.trim()) : ['sms.send'];
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new ConfigError(
      'API_KEYS',
      `${where} has unknown scopes ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`,
    );
  }
  return {
    name,
    sha256,
    scopes: scopes as Scope[],
    platforms: parsePlatforms(platformList, where),
  };
}

function parsePlatforms(list: string | undefined, where: string): Platform[] | undefined {
  if (list === undefined) return undefined;
  const platforms = list.split('+').map((p) => p.trim());
  const malformed = platforms.filter((p) => !PLATFORM_NAME.test(p));
  if (malformed.length > 0) {
    throw new ConfigError(
      'API_KEYS',
      `${where} has platforms that are not [a-z][a-z0-9_-]{0,31}: ${malformed.map((p) => `"${p}"`).join(', ')}`,
    );
  }
  return platforms;
}

/**
 * Refuses a key bound to a platform no way in is registered as, naming the entry and the known
 * ways in: a misspelt binding would otherwise lock the key out of every route.
 */
export function checkKeyPlatforms(keys: readonly ApiKeyEntry[], known: readonly string[]): void {
  keys.forEach((key, index) => {
    const unknown = (key.platforms ?? []).filter((p) => !known.includes(p));
    if (unknown.length > 0) {
      throw new ConfigError(
        'API_KEYS',
        `entry ${index + 1} ("${key.name}") has unknown platforms ${unknown.join(', ')} (known: ${known.join(', ')})`,
      );
    }
  });
}

export const authConfig = registerAs('auth', () => {
  const env = process.env;
  const raw = readString(env, 'API_KEYS');
  if (!raw) {
    if (isProduction(env))
      throw new ConfigError('API_KEYS', 'is required in production (NODE_ENV=production)');
    const developmentKey = `dev_${randomBytes(24).toString('base64url')}`;
    return {
      keys: [
        {
          name: 'development',
          sha256: createHash('sha256').update(developmentKey).digest(),
          scopes: SCOPES,
        },
      ],
      /** Printed once at boot so a developer can call the API; never set in production. */
      developmentKey,
    };
  }
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { keys: entries.map(parseEntry), developmentKey: undefined as string | undefined };
});

export type AuthConfig = ReturnType<typeof authConfig>;
