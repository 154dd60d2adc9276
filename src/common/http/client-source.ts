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
