import type { ExecutionContext } from '@nestjs/common';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { RecipientHasher } from '../common/recipient-hasher.js';
import { IS_SEND_ROUTE } from './send-route.decorator.js';

interface TrackedRequest {
  body?: unknown;
  apiKey?: { name: string };
  recipientHash?: string | null;
}

export function isSendRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(IS_SEND_ROUTE, context.getClass()) === true;
}

function bodyField(req: TrackedRequest, field: string): string | undefined {
  const body = req.body;
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : undefined;
}

/**
 * The keyed hash of the recipient as E.164, computed once per request. Guards run before
 * validation, so an unreadable number yields null: validation will refuse that request.
 */
export function recipientHashOf(
  req: TrackedRequest,
  hasher: RecipientHasher,
  defaultCountry: CountryCode,
): string | null {
  if (req.recipientHash !== undefined) return req.recipientHash;
  const raw = bodyField(req, 'phone_number');
  const parsed = raw ? parsePhoneNumberFromString(raw, defaultCountry) : undefined;
  req.recipientHash = parsed?.isPossible() ? hasher.hash(parsed.number) : null;
  return req.recipientHash;
}

export function conversationOf(req: TrackedRequest): string | undefined {
  return bodyField(req, 'conversation_id');
}

export function apiKeyNameOf(req: TrackedRequest): string {
  return req.apiKey?.name ?? 'anonymous';
}
