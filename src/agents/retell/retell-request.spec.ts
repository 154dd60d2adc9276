import { readRetellFunctionCall, retellIdempotencyKey } from './retell-request.js';

const request = (args: unknown, call: Record<string, unknown> = {}) =>
  readRetellFunctionCall(
    {
      name: 'send_sms',
      call: { call_id: 'call_1', direction: 'inbound', from_number: '+12025550143', ...call },
      args,
    },
    16_384,
  );

describe('Retell custom-function requests', () => {
  it('keys a call by its call, function and arguments, whatever the order of the keys', () => {
    const key = retellIdempotencyKey(request({ message: 'Hi.', phone_number: '+12025550143' }));
    expect(retellIdempotencyKey(request({ phone_number: '+12025550143', message: 'Hi.' }))).toBe(
      key,
    );
    expect(
      retellIdempotencyKey(request({ phone_number: '+12025550143', message: 'Hi!' })),
    ).not.toBe(key);
    expect(
      retellIdempotencyKey(
        request({ message: 'Hi.', phone_number: '+12025550143' }, { call_id: 'call_2' }),
      ),
    ).not.toBe(key);
    expect(key).toMatch(/^retell:call_1:send_sms:[0-9a-f]{64}$/);
  });

  it('binds the patient from the direction of the call', () => {
    expect(request({}).context).toEqual({
      conversationId: 'call_1',
      callerNumber: '+12025550143',
      agentId: undefined,
    });
    const outbound = request(
      {},
      { direction: 'outbound', from_number: '+12025550100', to_number: '+12025550199' },
    );
    expect(outbound.context.callerNumber).toBe('+12025550199');
  });

  it('refuses a body without the call ("Payload: args only")', () => {
    expect(() => readRetellFunctionCall({ phone_number: '+12025550143' }, 16_384)).toThrow(
      'args only',
    );
  });
});
