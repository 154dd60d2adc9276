import { isIPv4, isIPv6 } from 'node:net';

/**
 * Where a client's failures are counted from: an IPv4 address, or the /64 an IPv6 address is
 * in (one host is given a whole /64, so counting its addresses one by one would count nothing).
 */
export function sourceOf(ip: string | undefined): string {
  const address = ip?.replace(/%.*$/, '') ?? '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return 'unknown';
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  // An embedded IPv4 address (a.b.c.d) stands for the last two groups.
  const width = (groups: string[]) => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const zeros = Array<string>(8 - width(left) - width(right)).fill('0');
  const groups = [...left, ...zeros, ...right].slice(0, 4);
  return `${groups.map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
