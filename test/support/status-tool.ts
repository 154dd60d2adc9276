import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { sign } from 'retell-sdk';
import { postJson, vapiToolCalls } from './voice-platforms.js';

export interface StatusAsk {
  /** An API key the way in accepts. */
  key: string;
  /** The conversation (the platform's call id) whose texts to report on. */
  conversation: string;
  vapiSecret: string;
  retellApiKey: string;
}

/**
 * check_text_status as each platform calls it, in its own documented shape (Vapi's tool-calls
 * message, Retell's signed custom function, the MCP SDK client, a REST POST); answers the
 * agent sentence.
 */
export async function askStatus(base: string, platform: string, ask: StatusAsk): Promise<string> {
  if (platform === 'rest') {
    const res = await postJson(
      `${base}/api/sms/check-text-status`,
      JSON.stringify({ conversation_id: ask.conversation }),
      { 'x-api-key': ask.key },
    );
    return res.body.agent_message as string;
  }
  if (platform === 'vapi') {
    const body = vapiToolCalls({
      callId: ask.conversation,
      calls: [{ id: 'call_status_1', name: 'check_text_status', args: {} }],
    });
    const res = await postJson(`${base}/api/vapi/tool-calls`, JSON.stringify(body), {
      authorization: `Bearer ${ask.key}`,
      'x-vapi-secret': ask.vapiSecret,
    });
    return (res.body.results as Array<{ result: string }>)[0].result;
  }
  if (platform === 'retell') {
    const raw = JSON.stringify({
      name: 'check_text_status',
      call: { call_id: ask.conversation, agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD' },
      args: {},
    });
    const res = await postJson(`${base}/api/retell/custom-function`, raw, {
      'x-api-key': ask.key,
      'x-retell-signature': await sign(raw, ask.retellApiKey),
    });
    return res.body.result as string;
  }
  if (platform !== 'mcp') throw new Error(`No way in named ${platform}`);
  const client = new Client({ name: 'status-tool-host', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${base}/mcp`), {
      requestInit: {
        headers: { Authorization: `Bearer ${ask.key}`, 'X-Conversation-Id': ask.conversation },
      },
    }),
  );
  try {
    const result = await client.callTool({ name: 'check_text_status', arguments: {} });
    return (result.content as Array<{ text: string }>)[0].text;
  } finally {
    await client.close();
  }
}
