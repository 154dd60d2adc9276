import type { TwilioAccountReader } from '../twilio-account.js';

/** The reads the Twilio checks make (TwilioAccountReader; a fake in unit specs). */
export type TwilioReads = Pick<
  TwilioAccountReader,
  | 'account'
  | 'incomingNumber'
  | 'messagingService'
  | 'serviceNumbers'
  | 'campaignStatuses'
  | 'tollfreeVerifications'
>;

export const TWILIO_CHECKS = {
  credentials: 'Twilio credentials',
  sender: 'Sender SMS capability',
  service: 'Messaging Service',
  registration: 'US sender registration',
  status: 'Status callbacks',
  inbound: 'Inbound webhook',
} as const;

export const tail = (sid: string) => `${sid.slice(0, 2)}…${sid.slice(-4)}`;
