import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuditEventEntity } from '../../src/audit/audit-event.entity.js';
import type { Platform } from '../../src/config/auth.config.js';
import { ConsentService } from '../../src/consent/consent.service.js';
import { ToolRegistry } from '../../src/tools/tool-registry.js';
import { expectErrorContract } from './error-contract.js';
import { TEST_API_KEY } from './test-app.js';

/**
 * The refusals every way in must carry alike: one table, run by each platform's spec through
 * its own client or payload, each asserting its platform's rendering of the same code and
 * sentence (a Vapi `error`, an MCP `isError` result, ...). A new way in runs the table.
 */
export interface RefusalCase {
  /** Names the case in test titles and request ids. */
  id: string;
  /** What the agent was talked into, as a test title reads it. */
  name: string;
  /** The tool the LLM calls. */
  tool: string;
  /** The tool's input besides the recipient. */
  fields: Record<string, unknown>;
  /** The number the LLM names, when it is not the patient's. */
  phoneNumber?: string;
  /** What must be true of the patient first: opted out, or at the recipient limit. */
  arrange?: 'opted-out' | 'recipient-limit-reached';
  code: string;
  /** The REST tools' status for it. */
  status: number;
  /** The sentence the agent says, whatever the platform. */
  agentMessage: string;
  /** The one audit event it leaves. */
  auditAction: 'sms.rejected' | 'sms.rate_limited';
  /** Whether a REST tool endpoint takes the same call, to compare answers with. */
  overRest: boolean;
  /** Platforms whose requests cannot carry the case, and why. */
  notOn?: Partial<Record<Platform, string>>;
}

/** Settings the table needs: the recipient limit case sends two texts first. */
export const REFUSAL_ENV = { RATE_LIMIT_PER_RECIPIENT_10MIN: '2' };

export const REFUSAL_CASES: readonly RefusalCase[] = [
  {
    id: 'unknown-field',
    name: 'a field the tool does not take',
    tool: 'send_sms',
    fields: { message: 'Hi.', favourite_color: 'blue' },
    code: 'VALIDATION_FAILED',
    status: 400,
    agentMessage:
      "Some details were missing or not right (favourite_color), so I didn't send anything.",
    overRest: true,
    auditAction: 'sms.rejected',
    notOn: { bland: 'the body template carries only the fields the export names' },
  },
  {
    id: 'missing-message',
    name: 'a missing message',
    tool: 'send_sms',
    fields: {},
    code: 'VALIDATION_FAILED',
    status: 400,
    agentMessage: "Some details were missing or not right (message), so I didn't send anything.",
    overRest: true,
    auditAction: 'sms.rejected',
  },
  {
    id: 'unreadable-number',
    name: 'an unreadable number',
    tool: 'send_sms',
    fields: { message: 'Hi.' },
    phoneNumber: '12',
    code: 'INVALID_PHONE_NUMBER',
    status: 400,
    agentMessage: "That phone number doesn't look right. Could you say it again, digit by digit?",
    overRest: true,
    auditAction: 'sms.rejected',
  },
  {
    id: 'opted-out',
    name: 'an opted-out patient (STOP)',
    tool: 'send_sms',
    fields: { message: 'Hello again.' },
    arrange: 'opted-out',
    code: 'RECIPIENT_OPTED_OUT',
    status: 422,
    agentMessage:
      "This number has opted out of texts, so I can't send it. I can give you the information by phone instead, or the patient can reply START to opt back in.",
    overRest: true,
    auditAction: 'sms.rejected',
  },
  {
    id: 'link-not-allowed',
    name: 'a link that is not allowed',
    tool: 'send_copay_card',
    fields: { patient_name: 'Jane Doe', copay_url: 'https://evil.example.net/card' },
    code: 'LINK_NOT_ALLOWED',
    status: 422,
    agentMessage: "I can only send links to our approved websites, so I didn't send that text.",
    overRest: true,
    auditAction: 'sms.rejected',
  },
  {
    id: 'recipient-limit',
    name: 'the recipient limit reached',
    tool: 'send_sms',
    fields: { message: 'One more.' },
    arrange: 'recipient-limit-reached',
    code: 'RATE_LIMITED',
    status: 429,
    agentMessage:
      "I've already sent several texts to this number recently, so I can't send another right now.",
    overRest: true,
    auditAction: 'sms.rate_limited',
  },
  {
    id: 'unknown-tool',
    name: 'a tool that is not registered',
    tool: 'send_fax',
    fields: { message: 'Hi.' },
    code: 'NOT_FOUND',
    status: 404,
    agentMessage: "I don't have a way to send that kind of text.",
    overRest: false,
    auditAction: 'sms.rejected',
    notOn: {
      bland: 'a Bland tool is an exported endpoint: there is none for an unknown tool',
      mcp: 'the MCP SDK answers with a JSON-RPC error before any call runs (its own test)',
    },
  },
];

/** The cases a platform's requests can carry, as it.each rows: [name, case]. */
export function refusalCasesFor(platform: Platform): [string, RefusalCase][] {
  return REFUSAL_CASES.filter((c) => !c.notOn?.[platform]).map((c) => [c.name, c]);
}

/** The tool input the LLM sends for a case, texting `to` unless the case names a number. */
export function refusalInput(refusal: RefusalCase, to: string): Record<string, unknown> {
  return { phone_number: refusal.phoneNumber ?? to, ...refusal.fields };
}

/**
 * Makes the case's precondition true for `to`: records a STOP, or sends the two texts the
 * recipient limit (REFUSAL_ENV) allows through the platform's own `send`.
 */
export async function arrangeRefusal(
  app: INestApplication,
  refusal: RefusalCase,
  to: string,
  send: (to: string, message: string) => Promise<unknown>,
): Promise<void> {
  if (refusal.arrange === 'opted-out') {
    await app
      .get(ConsentService)
      .record(to, { state: 'opted_out', source: 'keyword', keyword: 'STOP', actor: 'twilio' });
  } else if (refusal.arrange === 'recipient-limit-reached') {
    for (const message of ['First.', 'Second.']) await send(to, message);
  }
}

export interface RestRefusal {
  status: number;
  code: string;
  agentMessage: string;
  requestId: string;
}

/** The same input at the tool's REST endpoint, refused alike, for the platform's answer to match. */
export async function restRefusal(
  app: INestApplication,
  refusal: RefusalCase,
  input: Record<string, unknown>,
): Promise<RestRefusal> {
  const path = app.get(ToolRegistry).get(refusal.tool)?.path;
  if (!path) throw new Error(`${refusal.tool} has no REST endpoint`);
  const res = await request(app.getHttpServer())
    .post(`/api/sms/${path}`)
    .set('X-API-Key', TEST_API_KEY)
    .send(input);
  expect(res.status).toBe(refusal.status);
  expectErrorContract(res.body, refusal.code);
  return {
    status: res.status,
    code: res.body.error?.code,
    agentMessage: res.body.agent_message,
    requestId: res.body.request_id,
  };
}

/** The refusal is in the audit log once, with its code and the platform it came through. */
export async function expectAuditedOnce(
  app: INestApplication,
  requestId: string,
  refusal: RefusalCase,
  platform: Platform,
): Promise<void> {
  const events = await app.get(DataSource).getRepository(AuditEventEntity).findBy({ requestId });
  expect(events.map((e) => e.action)).toEqual([refusal.auditAction]);
  expect(JSON.parse(events[0].details ?? '{}')).toMatchObject({ code: refusal.code, platform });
}
