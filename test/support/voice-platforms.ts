import type { INestApplication } from '@nestjs/common';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';
import type { Vapi } from '@vapi-ai/server-sdk';
import { DataSource } from 'typeorm';
import { toolParameters } from '../../src/agents/shared/index.js';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import type { RecipientPolicyMode } from '../../src/config/policy.config.js';
import type { SandboxProvider } from '../../src/providers/sandbox/sandbox.provider.js';
import { SMS_PROVIDER } from '../../src/providers/sms-provider.js';

/** Keys for the platform suites: one bound to each way in, one to REST only. */
export const VAPI_KEY = 'vapi-agent-key-0123456789abcdef';
export const RETELL_KEY = 'retell-agent-key-0123456789abcdef';
export const REST_KEY = 'rest-agent-key-0123456789abcdef';
export const PLATFORM_KEYS = [
  `vapi-agent:${VAPI_KEY}:sms.send:vapi`,
  `retell-agent:${RETELL_KEY}:sms.send:retell`,
  `rest-agent:${REST_KEY}:sms.send+sms.read:rest`,
].join(',');

/** Serves the app on a loopback port; the platform suites talk to it over real HTTP. */
export async function listenOnLoopback(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<HttpAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/**
 * What an LLM following the exported parameters would send for a tool: each field's example
 * from the served OpenAPI document (dated examples as of today, as Swagger UI shows them).
 */
export function exampleArgs(
  document: OpenAPIObject,
  tool: string,
  policy: RecipientPolicyMode,
): Record<string, unknown> {
  const parameters = toolParameters(document, tool, policy);
  const args: Record<string, unknown> = {};
  for (const field of parameters.required ?? []) {
    args[field] = exampleOf(document, tool, field);
  }
  return args;
}

function exampleOf(document: OpenAPIObject, tool: string, field: string): unknown {
  const operation = Object.values(document.paths).find((p) => p.post?.operationId === tool)?.post;
  const ref = (operation?.requestBody as { content: Record<string, { schema: { $ref: string } }> })
    .content['application/json'].schema.$ref;
  const schema = document.components?.schemas?.[ref.split('/').pop() as string] as SchemaObject;
  const seen = [schema, ...((schema.allOf ?? []) as SchemaObject[])];
  for (const part of seen) {
    const own = part.properties?.[field] as SchemaObject | undefined;
    if (own?.example !== undefined) return own.example;
    if ('$ref' in part) {
      const base = document.components?.schemas?.[
        (part as { $ref: string }).$ref.split('/').pop() as string
      ] as SchemaObject;
      const inherited = base.properties?.[field] as SchemaObject | undefined;
      if (inherited?.example !== undefined) return inherited.example;
    }
  }
  throw new Error(`${tool}.${field} has no example`);
}

export interface VapiCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  /** As the SDK types it (a JSON string), or as Vapi's docs show it (an object). */
  argumentsAs?: 'string' | 'object';
}

/** A `tool-calls` server message, typed by @vapi-ai/server-sdk. */
export function vapiToolCalls(options: {
  callId: string;
  customerNumber?: string;
  assistantId?: string;
  calls: VapiCall[];
}): { message: Vapi.ServerMessageToolCalls } {
  const toolCallList: Vapi.ToolCall[] = options.calls.map((call) => ({
    id: call.id,
    type: 'function',
    function: {
      name: call.name,
      arguments: (call.argumentsAs === 'object'
        ? call.args
        : JSON.stringify(call.args)) as unknown as string,
    },
  }));
  const vapiCall = {
    id: options.callId,
    orgId: 'org-test',
    type: 'inboundPhoneCall',
    assistantId: options.assistantId ?? 'a1b2c3d4-0000-4000-8000-000000000001',
    ...(options.customerNumber ? { customer: { number: options.customerNumber } } : {}),
  } as Vapi.Call;
  return {
    message: {
      type: 'tool-calls',
      timestamp: 1_764_000_000_000,
      call: vapiCall,
      toolCallList,
      toolWithToolCallList: toolCallList.map((toolCall) => ({
        type: 'function',
        toolCall,
        function: { name: toolCall.function.name },
      })),
    },
  };
}

/** Texts the sandbox took for a number. */
export function sentTo(app: INestApplication, number: string): number {
  return app
    .get<SandboxProvider>(SMS_PROVIDER)
    .recent()
    .filter((m) => m.to === number).length;
}

export interface AuditRow {
  action: string;
  details: Record<string, unknown>;
}

export async function auditOf(app: INestApplication, requestId: string): Promise<AuditRow[]> {
  const rows = await app
    .get(DataSource)
    .getRepository(AuditEventEntity)
    .find({ where: { requestId }, order: { seq: 'ASC' } });
  return rows.map((r) => ({
    action: r.action,
    details: JSON.parse(r.details ?? '{}') as Record<string, unknown>,
  }));
}
