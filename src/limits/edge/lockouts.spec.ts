import { Clock } from '../../common/clock.js';
import { MemoryLockouts } from './lockouts.js';
import { sourceOf as clientAddressOf } from '../../common/http/client-source.js';

class SetClock extends Clock {
  current = new Date('2026-11-26T15:00:00Z');
  override now(): Date {
    return new Date(this.current);
  }
}

describe('sourceOf, as failed keys are counted', () => {
  it.each([
    ['an IPv4 address as it is', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address as its IPv4 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv6 address by its /64', '2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['a long-hand IPv6 address like its short form', '2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['an IPv6 address with a zone', 'fe80::1%eth0', 'fe80::/64'],
    ['no address at all as one unknown client', undefined, 'unknown'],
  ])('counts %s', (_case, ip, address) => {
    expect(clientAddressOf(ip)).toBe(address);
  });

  it('tells two /64 networks apart', () => {
    expect(clientAddressOf('2001:db8:1:2::1')).not.toBe(clientAddressOf('2001:db8:1:3::1'));
  });
});

describe('MemoryLockouts', () => {
  it('holds a lock for its duration, by the injected clock, and only for that address', async () => {
    const clock = new SetClock();
    const lockouts = new MemoryLockouts(clock);
    await lockouts.lock('203.0.113.7', 60_000);
    clock.current = new Date(clock.current.getTime() + 45_000);
    expect(await lockouts.remainingMs('203.0.113.7')).toBe(15_000);
    expect(await lockouts.remainingMs('203.0.113.8')).toBe(0);
    clock.current = new Date(clock.current.getTime() + 15_000);
    expect(await lockouts.remainingMs('203.0.113.7')).toBe(0);
  });
});
