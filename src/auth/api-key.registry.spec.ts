import { createHash } from 'node:crypto';
import type { ApiKeyEntry, AuthConfig, Scope } from '../config/auth.config.js';
import { ApiKeyRegistry, keyFingerprint } from './api-key.registry.js';

const AGENT_KEY = 'voice-agent-secret-0123456789';
const AGENT_ROTATED_KEY = 'voice-agent-rotated-abcdefghij';
const OPS_KEY = 'ops-secret-abcdefghijklmnopqrs';

function entry(name: string, key: string, scopes: Scope[]): ApiKeyEntry {
  return { name, sha256: createHash('sha256').update(key).digest(), scopes };
}

function registryOf(...keys: ApiKeyEntry[]): ApiKeyRegistry {
  const config: AuthConfig = { keys, developmentKey: undefined };
  return new ApiKeyRegistry(config);
}

describe('ApiKeyRegistry.identify', () => {
  const registry = registryOf(
    entry('voice-agent', AGENT_KEY, ['sms.send']),
    entry('ops', OPS_KEY, ['sms.read', 'audit.read']),
  );

  it('names the holder of a configured key with its scopes', () => {
    expect(registry.identify(OPS_KEY)).toMatchObject({
      name: 'ops',
      scopes: ['sms.read', 'audit.read'],
    });
    expect(registry.identify(AGENT_KEY)).toMatchObject({
      name: 'voice-agent',
      scopes: ['sms.send'],
    });
  });

  it.each([
    ['an unknown key', 'not-a-configured-key-at-all'],
    ['an empty key', ''],
    ['a configured key with a changed letter', `${AGENT_KEY.slice(0, -1)}X`],
    ['a configured key with a trailing space', `${AGENT_KEY} `],
    ['the stored digest of a key', createHash('sha256').update(AGENT_KEY).digest('hex')],
  ])('knows nobody for %s', (_case, presented) => {
    expect(registry.identify(presented)).toBeUndefined();
  });

  it('accepts both keys of a name during rotation, each with its own scopes', () => {
    const rotating = registryOf(
      entry('voice-agent', AGENT_KEY, ['sms.send']),
      entry('voice-agent', AGENT_ROTATED_KEY, ['sms.send', 'sms.read']),
    );

    expect(rotating.identify(AGENT_KEY)).toMatchObject({
      name: 'voice-agent',
      scopes: ['sms.send'],
    });
    expect(rotating.identify(AGENT_ROTATED_KEY)).toMatchObject({
      name: 'voice-agent',
      scopes: ['sms.send', 'sms.read'],
    });
    expect(rotating.identify(OPS_KEY)).toBeUndefined();
  });

  it('tells the two secrets of a rotated key apart by a fingerprint that is neither secret', () => {
    const rotating = registryOf(
      entry('voice-agent', AGENT_KEY, ['sms.send']),
      entry('voice-agent', AGENT_ROTATED_KEY, ['sms.send']),
    );
    const old = rotating.identify(AGENT_KEY)?.fingerprint;
    const renewed = rotating.identify(AGENT_ROTATED_KEY)?.fingerprint;

    expect(old).toMatch(/^[0-9a-f]{12}$/);
    expect(renewed).toMatch(/^[0-9a-f]{12}$/);
    expect(old).not.toBe(renewed);
    // The documented recipe: SHA-256 of the key's hex SHA-256 (what a sha256= entry holds).
    const digestHex = createHash('sha256').update(AGENT_KEY).digest('hex');
    expect(old).toBe(createHash('sha256').update(digestHex).digest('hex').slice(0, 12));
    expect(keyFingerprint(Buffer.from(digestHex, 'hex'))).toBe(old);
    expect(digestHex.startsWith(old as string)).toBe(false);
  });
});
