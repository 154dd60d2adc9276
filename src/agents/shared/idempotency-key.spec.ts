import { keyedPlatforms } from '../ways-in.js';
import { platformIdempotencyKey, restIdempotencyKey as restKeyOf } from './idempotency-key.js';

/** As the REST way in stores a header: with the registered ways in's prefixes reserved. */
const restIdempotencyKey = (header: string) => restKeyOf(header, keyedPlatforms());

describe('idempotency key namespaces', () => {
  it('stores an ordinary REST key as it came, so keys stored before keep working', () => {
    expect(restIdempotencyKey('3f1c2a9e-7b1d-4c55-9a0e-2d6f1b8c4e11')).toBe(
      '3f1c2a9e-7b1d-4c55-9a0e-2d6f1b8c4e11',
    );
    expect(restIdempotencyKey('MCP:upper-case-is-another-key')).toBe(
      'MCP:upper-case-is-another-key',
    );
  });

  it.each([
    ['mcp', 'collide-1'],
    ['vapi', 'call_1:tool_1'],
    ['retell', 'call_1:send_sms:abc'],
  ] as const)('never stores a REST key as the %s key it spells', (platform, id) => {
    const platformKey = platformIdempotencyKey(platform, id);
    const restKey = restIdempotencyKey(platformKey);

    expect(restKey).not.toBe(platformKey);
    expect(restKey).toMatch(/^rest:sha256:[0-9a-f]{64}$/);
    expect(restIdempotencyKey(platformKey)).toBe(restKey);
  });

  it('reserves the prefix of every way in registered with keysRetries, and only those', () => {
    expect(keyedPlatforms()).toEqual(expect.arrayContaining(['mcp', 'vapi', 'retell']));
    expect(restKeyOf('acme:call_1', ['acme'])).toMatch(/^rest:sha256:/);
    expect(restKeyOf('acme:call_1', [])).toBe('acme:call_1');
  });

  it('keeps escaped REST keys apart from each other and from ordinary ones', () => {
    const escaped = restIdempotencyKey('rest:a');
    expect(escaped).not.toBe(restIdempotencyKey('rest:b'));
    expect(restIdempotencyKey(escaped)).not.toBe(escaped);
  });
});
