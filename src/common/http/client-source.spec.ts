import { clientAddressOf, sourceOf } from './client-source.js';

describe('sourceOf', () => {
  it('keeps an IPv4 address, also when the socket reports it IPv4-mapped', () => {
    expect(sourceOf('203.0.113.7')).toBe('203.0.113.7');
    expect(sourceOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as one source, however it is written', () => {
    const sources = [
      '2001:db8:1:2::a',
      '2001:0db8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:DB8:1:2:0:0:0:1',
      '2001:db8:1:2::192.0.2.1',
      'fe80::1%eth0',
    ].map(sourceOf);
    expect(sources.slice(0, 4)).toEqual(Array(4).fill('2001:db8:1:2::/64'));
    expect(sources[4]).toBe('fe80::/64');
    expect(sourceOf('2001:db8:1:3::a')).toBe('2001:db8:1:3::/64');
  });

  it('names anything else unknown', () => {
    expect(sourceOf(undefined)).toBe('unknown');
    expect(sourceOf('not-an-address')).toBe('unknown');
    // What a misconfigured proxy could pass on from X-Forwarded-For: never a source.
    expect(sourceOf('+12025550143')).toBe('unknown');
    expect(sourceOf('2001:db8:1:2::/64')).toBe('unknown');
  });
});

describe('clientAddressOf', () => {
  it('keeps the whole address, IPv4-mapped as IPv4 and IPv6 in canonical form', () => {
    expect(clientAddressOf('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddressOf('2001:0DB8:1:2:0:0:0:A')).toBe('2001:db8:1:2::a');
    expect(clientAddressOf('fe80::1%eth0')).toBe('fe80::1');
    expect(clientAddressOf('::1')).toBe('::1');
  });

  it('names anything else unknown', () => {
    expect(clientAddressOf(undefined)).toBe('unknown');
    expect(clientAddressOf('+12025550143')).toBe('unknown');
    expect(clientAddressOf('2001:db8::/64')).toBe('unknown');
  });
});
