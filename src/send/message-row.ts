import { createHash, randomUUID } from 'node:crypto';
import type { MessageBody } from '../tools/templates/message-body.js';
import type { ToolRequestDto } from '../tools/dto/tool-request.dto.js';
import type { NewMessage } from '../messages/message.store.js';
import type { NormalizedPhone } from '../policy/phone-number.service.js';
import type { Schedule } from '../scheduling/send-scheduler.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import type { ToolCall } from './tool-call.js';

export interface RowFacts {
  tool: ToolDefinition;
  dto: ToolRequestDto;
  call: ToolCall;
  phone: NormalizedPhone;
  recipientHash: string;
  body: MessageBody;
  /** The text without the first-text footer: duplicates are judged on it. */
  requestedTextSha256: string;
  schedule?: Schedule;
  transport: string;
  /** 0 turns the duplicate window off. */
  dedupeWindowMs: number;
}

/** The message row a text claims: who asked, for whom, which text (as a hash), and its keys. */
export function newMessageRow(facts: RowFacts): NewMessage {
  const { tool, dto, call, phone, body, schedule } = facts;
  const fields = dto as ToolRequestDto & { send_at?: string; media_url?: string };
  return {
    id: randomUUID(),
    tool: tool.name,
    apiKeyName: call.caller.apiKeyName,
    idempotencyKey: call.idempotencyKey ?? null,
    requestFingerprint: call.idempotencyKey ? fingerprint(tool.name, dto) : null,
    // Agents cannot send a fresh Idempotency-Key per call: the same text to the same number
    // from the same key (and conversation) within the window is one send.
    dedupeKey:
      facts.dedupeWindowMs > 0
        ? sha256(
            [
              call.caller.apiKeyName,
              tool.name,
              phone.e164,
              facts.requestedTextSha256,
              dto.conversation_id ?? '',
              // A reminder asked for another time is another send.
              fields.send_at ?? '',
              fields.media_url ?? '',
            ].join('\n'),
          )
        : null,
    recipient: phone.e164,
    recipientHash: facts.recipientHash,
    bodySha256: body.sha256,
    segments: body.segments,
    encoding: body.encoding,
    transport: facts.transport,
    conversationId: dto.conversation_id ?? null,
    callerId: dto.caller_id ?? null,
    agentId: dto.agent_id ?? null,
    sendAt: schedule?.sendAt ?? null,
  };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A stable digest of what was asked: the same key with a different request is a conflict. */
function fingerprint(tool: string, dto: ToolRequestDto): string {
  const sorted = Object.fromEntries(
    Object.entries(dto as unknown as Record<string, unknown>).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
  );
  return sha256(JSON.stringify({ tool, body: sorted }));
}
