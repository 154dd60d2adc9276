import { bindCallContext } from './call-context.js';

describe('bindCallContext', () => {
  const context = {
    conversationId: 'call_123',
    callerNumber: '+12025550143',
    agentId: 'agent_9',
  };

  it("overrides the LLM's context fields with the platform's", () => {
    const input = {
      phone_number: '+12025550199',
      conversation_id: 'made-up',
      caller_id: '+19995550000',
      agent_id: 'other',
      patient_name: 'Jane',
    };

    expect(bindCallContext(input, context, { callerOnly: false })).toEqual({
      phone_number: '+12025550199',
      conversation_id: 'call_123',
      caller_id: '+12025550143',
      agent_id: 'agent_9',
      patient_name: 'Jane',
    });
  });

  it('texts the caller under caller_only when the LLM named no number, and keeps a named one for the policy to judge', () => {
    expect(bindCallContext({}, context, { callerOnly: true })).toMatchObject({
      phone_number: '+12025550143',
    });
    expect(
      bindCallContext({ phone_number: '+12025550199' }, context, { callerOnly: true }),
    ).toMatchObject({ phone_number: '+12025550199', caller_id: '+12025550143' });
    expect(bindCallContext({}, context, { callerOnly: false })).not.toHaveProperty('phone_number');
  });

  it("drops the LLM's context fields where the platform gives none (a web call)", () => {
    const input = { phone_number: '+12025550199', caller_id: '+12025550199', agent_id: 'x' };
    expect(bindCallContext(input, {}, { callerOnly: true })).toEqual({
      phone_number: '+12025550199',
    });
    expect(bindCallContext({ conversation_id: 'web-1' }, {}, { callerOnly: false })).toEqual({});
  });

  it.each([[null], ['text'], [[1, 2]], [42]])(
    'passes %p through for the pipeline to refuse',
    (input) => {
      expect(bindCallContext(input, context, { callerOnly: true })).toBe(input);
    },
  );

  it('does not change the input it was given', () => {
    const input = { phone_number: '+12025550199' };
    bindCallContext(input, context, { callerOnly: true });
    expect(input).toEqual({ phone_number: '+12025550199' });
  });
});
