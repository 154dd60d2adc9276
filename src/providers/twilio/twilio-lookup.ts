import type twilio from 'twilio';
import type { LineType, LineTypeAnswer } from '../sms-provider.js';

const KNOWN: ReadonlySet<string> = new Set<LineType>([
  'mobile',
  'landline',
  'fixedVoip',
  'nonFixedVoip',
  'tollFree',
  'personal',
  'pager',
  'voicemail',
  'sharedCost',
  'premium',
  'uan',
  'unknown',
]);

/** Twilio Lookup v2 with Line Type Intelligence (billed per lookup). */
export async function lookupLineType(client: twilio.Twilio, to: string): Promise<LineTypeAnswer> {
  const answer = await client.lookups.v2
    .phoneNumbers(to)
    .fetch({ fields: 'line_type_intelligence' });
  // The SDK turns line_type_intelligence into a LineTypeIntelligenceInfo (camelCase fields).
  const info = (answer.lineTypeIntelligence ?? {}) as { type?: unknown; carrierName?: unknown };
  const type = typeof info.type === 'string' && KNOWN.has(info.type) ? info.type : 'unknown';
  return {
    type: type as LineType,
    carrier: typeof info.carrierName === 'string' ? info.carrierName.slice(0, 128) : null,
  };
}
