import { normalizeIp } from '@nestjs/throttler';

interface TrackedRequest {
  apiKey?: { name: string };
}

export function apiKeyNameOf(req: TrackedRequest): string {
  return req.apiKey?.name ?? 'anonymous';
}

/**
 * The address failed keys are counted against: an IPv4 address as it is (IPv4-mapped IPv6
 * included), an IPv6 address by its /64, the block one subscriber usually holds whole.
 */
export function clientAddressOf(ip: string | undefined): string {
  return normalizeIp(ip ?? 'unknown', 64);
}
