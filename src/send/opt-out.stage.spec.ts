import type { ConsentChange, ConsentService } from '../consent/consent.service.js';
import type { UnitOfWork } from '../database/unit-of-work.js';
import { DEFAULT_TOOLS } from '../tools/default-tools.js';
import { optOutOfTextsTool } from '../tools/opt-out-tool.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import type { NormalizedPhone } from '../policy/phone-number.service.js';
import { OptOutStage } from './opt-out.stage.js';
import { SendContext } from './send-stage.js';

const PATIENT = '+12025550143';
const MANAGER = { transaction: 'the unit of work' };

function stageWith(optedOut: boolean) {
  const recorded: { e164: string; change: ConsentChange; manager: unknown }[] = [];
  const read: unknown[] = [];
  const consent = {
    isOptedOut: (_e164: string, manager: unknown) => {
      read.push(manager);
      return Promise.resolve(optedOut);
    },
    record: (e164: string, change: ConsentChange, manager: unknown) => {
      recorded.push({ e164, change, manager });
      return Promise.resolve();
    },
  };
  const unitOfWork = { run: (work: (m: unknown) => Promise<unknown>) => work(MANAGER) };
  const stage = new OptOutStage(
    consent as unknown as ConsentService,
    unitOfWork as unknown as UnitOfWork,
  );
  return { stage, recorded, read };
}

function sendOf(tool: ToolDefinition): SendContext {
  const send = new SendContext(
    {
      tool: tool.name,
      input: { agent_id: 'agent_7' },
      caller: { apiKeyName: 'vapi-agent', platform: 'vapi', clientIp: '203.0.113.9' },
      requestId: 'req-1',
    },
    Date.now() + 10_000,
  );
  send.set('tool', tool);
  send.set('dto', { phone_number: PATIENT, conversation_id: 'conv_1' });
  send.set('phone', { e164: PATIENT } as NormalizedPhone);
  return send;
}

describe('OptOutStage', () => {
  it('lets every texting tool go on to the send, recording nothing', () => {
    const { stage, recorded } = stageWith(false);
    for (const tool of DEFAULT_TOOLS) expect(stage.run(sendOf(tool))).toBeUndefined();
    expect(recorded).toEqual([]);
  });

  it('records the opt-out as the patient’s words on the call, in one unit of work', async () => {
    const { stage, recorded, read } = stageWith(false);

    const result = await stage.run(sendOf(optOutOfTextsTool));

    expect(read).toEqual([MANAGER]);
    expect(recorded).toEqual([
      {
        e164: PATIENT,
        manager: MANAGER,
        change: {
          state: 'opted_out',
          source: 'voice',
          actor: 'vapi-agent',
          requestId: 'req-1',
          conversationId: 'conv_1',
          facts: {
            platform: 'vapi',
            client_ip: '203.0.113.9',
            agent_id: 'agent_7',
            tool: 'record_text_opt_out',
          },
        },
      },
    ]);
    expect(result).toMatchObject({
      kind: 'opted_out',
      status: 200,
      body: { success: true, phone_number: '***-***-0143', already_opted_out: false },
    });
  });

  it('records nothing for a number already opted out, and says the same sentence', async () => {
    const first = await stageWith(false).stage.run(sendOf(optOutOfTextsTool));
    const { stage, recorded } = stageWith(true);

    const again = await stage.run(sendOf(optOutOfTextsTool));

    expect(recorded).toEqual([]);
    expect(again).toMatchObject({ body: { already_opted_out: true } });
    expect((again as { body: { agent_message: string } }).body.agent_message).toBe(
      (first as { body: { agent_message: string } }).body.agent_message,
    );
  });
});
