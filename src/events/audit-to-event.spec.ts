import { eventOf } from './audit-to-event.js';

describe('eventOf sms.replied', () => {
  const replied = (intent: string) =>
    eventOf({
      actor: 'twilio',
      action: 'sms.replied',
      outcome: 'success',
      messageId: 'msg-1',
      recipient: '+12025550143',
      conversationId: 'conv_1',
      details: { intent, tool: 'send_appointment_confirmation', reply_sha256: 'ab' },
    });

  it.each(['appointment.confirmed', 'appointment.reschedule_requested', 'refill.requested'])(
    'a declared intent is its own event: %s',
    (intent) => {
      expect(replied(intent)).toEqual({
        type: intent,
        data: {
          message_id: 'msg-1',
          tool: 'send_appointment_confirmation',
          conversation_id: 'conv_1',
          to: '***-***-0143',
          intent,
        },
      });
    },
  );

  it('anything else is message.replied, and no hash of the reply goes out', () => {
    const event = replied('free_text');
    expect(event?.type).toBe('message.replied');
    expect(event?.data.intent).toBe('free_text');
    expect(JSON.stringify(event)).not.toContain('reply_sha256');
  });
});
