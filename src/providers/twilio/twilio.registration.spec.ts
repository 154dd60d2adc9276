import type { TwilioConfig } from './twilio.config.js';
import { describeTwilio } from './twilio.registration.js';

describe("Twilio's registration", () => {
  it('masks the Twilio sender and shortens the Messaging Service for the boot banner', () => {
    const twilio = {
      enabled: true,
      accountSid: `AC${'0'.repeat(32)}`,
      authToken: 'token-never-shown',
      fromNumber: '+12025550100',
      messagingServiceSid: `MG${'0'.repeat(28)}abcd`,
    } as TwilioConfig;
    expect(describeTwilio(twilio)).toBe('Twilio, from ***-***-0100 via Messaging Service MG…abcd');
  });
});
