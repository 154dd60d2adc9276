import { normalizeIp } from '@nestjs/throttler';
import { isIP } from 'node:net';

/**
 * Where a client's failures are counted from: an IPv4 address (IPv4-mapped IPv6 included), or
 * the /64 an IPv6 address is in, the block one subscriber usually holds whole (so counting its
 * addresses one by one would count nothing). Anything that is not an address is 'unknown'.
 */
export function sourceOf(ip: string | undefined): string {
  if (!ip || !isIP(ip.replace(/%.*$/, ''))) return 'unknown';
  return normalizeIp(ip, 64);
}

/**
 * The client's own address, as the audit log records it: an IPv4 address (IPv4-mapped IPv6
 * as IPv4) or an IPv6 address in its canonical form, never a zone. Anything that is not an
 * address is 'unknown', so a forwarded header cannot write a number or junk into the trail.
 */
export function clientAddressOf(ip: string | undefined): string {
  const address = ip?.replace(/%.*$/, '');
  if (!address || !isIP(address)) return 'unknown';
  // At /128 nothing is masked: the whole address, canonical, with the suffix left off.
  return normalizeIp(address, 128).replace(/\/128$/, '');
}
