import type { Redis } from 'ioredis';
import {
  storeKey,
  type LimitCheck,
  type ReserveResult,
  type TextLimitStore,
} from './text-limit.store.js';

/**
 * Checks every limit, then spends them all, in one script: atomic across instances.
 * ARGV per check: limit, ttl, member ('' for a counter). Counters are strings with a TTL;
 * sets hold the members. Returns {0, index, retry-after ms} or {1, added flags...}.
 */
const RESERVE = `
local n = #KEYS
for i = 1, n do
  local limit = tonumber(ARGV[i * 3 - 2])
  local member = ARGV[i * 3]
  local count
  if member ~= '' then
    if redis.call('SISMEMBER', KEYS[i], member) == 1 then count = -1
    else count = redis.call('SCARD', KEYS[i]) end
  else
    count = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
  if count >= limit then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then ttl = tonumber(ARGV[i * 3 - 1]) end
    return {0, i - 1, ttl}
  end
end
local result = {1}
for i = 1, n do
  local ttl = tonumber(ARGV[i * 3 - 1])
  local member = ARGV[i * 3]
  local added = 1
  if member ~= '' then
    added = redis.call('SADD', KEYS[i], member)
  else
    redis.call('INCR', KEYS[i])
  end
  if redis.call('PTTL', KEYS[i]) < 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
  result[i + 1] = added
end
return result`;

/** Gives back one text: counters go down, a member that was added is removed. */
const RELEASE = `
for i = 1, #KEYS do
  local member = ARGV[i]
  if member == '' then
    if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then redis.call('DECR', KEYS[i]) end
  else
    redis.call('SREM', KEYS[i], member)
  end
end
return 1`;

/** Shared by every instance: the counts live in Redis. */
export class RedisTextLimitStore implements TextLimitStore {
  constructor(private readonly redis: Redis) {}

  async reserve(checks: LimitCheck[]): Promise<ReserveResult> {
    const args = checks.flatMap((c) => [c.limit, c.ttl, c.member ?? '']);
    const reply = (await this.redis.eval(
      RESERVE,
      checks.length,
      ...checks.map(storeKey),
      ...args,
    )) as number[];
    if (reply[0] === 0) return { refused: checks[reply[1]].name, retryAfterMs: reply[2] };
    return { added: reply.slice(1).map((flag) => flag === 1) };
  }

  async release(checks: LimitCheck[], added: boolean[]): Promise<void> {
    const spent = checks.filter((_, i) => added[i]);
    if (spent.length === 0) return;
    await this.redis.eval(
      RELEASE,
      spent.length,
      ...spent.map(storeKey),
      ...spent.map((c) => c.member ?? ''),
    );
  }
}
