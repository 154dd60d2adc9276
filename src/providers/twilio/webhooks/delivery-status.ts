import type { MessageStatus } from '../../../messages/message.entity.js';

/**
 * How far along a message is. A callback only moves a message forward, so a late "sent"
 * never overwrites "delivered", and a repeated callback changes nothing.
 */
export const STATUS_RANK: Record<MessageStatus, number> = {
  accepted: 0,
  unknown: 0,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  undelivered: 5,
  failed: 5,
  canceled: 5,
};

/** Twilio's MessageStatus values that update a message; others (read, receiving...) are recorded only. */
const FROM_TWILIO: Record<string, MessageStatus> = {
  accepted: 'accepted',
  scheduled: 'scheduled',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'canceled',
};

export function messageStatusFromTwilio(status: string): MessageStatus | undefined {
  return FROM_TWILIO[status.toLowerCase()];
}

/** Statuses a message may move on from to reach `next`. */
export function statusesBefore(next: MessageStatus): MessageStatus[] {
  return (Object.keys(STATUS_RANK) as MessageStatus[]).filter(
    (s) => STATUS_RANK[s] < STATUS_RANK[next],
  );
}
