import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction, AuditReader } from '../../audit/audit-event.js';
import { ReadAuditor } from '../../audit/read-auditor.js';
import type { AuditEventEntity } from '../../audit/audit-event.entity.js';
import { AuditEventRepository } from '../../audit/audit-event.repository.js';
import { maskPhone } from '../../common/mask.js';
import { MessageStore } from '../../messages/message.store.js';
import type { MessageReader } from '../../messages/messages.service.js';
import { ToolRegistry } from '../../tools/tool-registry.js';
import { SMS_PROVIDER, type SmsProvider } from '../sms-provider.js';
import { SandboxProvider } from './sandbox.provider.js';

export type OutboxStatus = 'sent' | 'scheduled' | 'canceled' | 'refused';

/** One line of the sandbox outbox: a text the sandbox "sent", or a tool request it refused. */
export interface OutboxEntry {
  status: OutboxStatus;
  at: Date;
  /** Masked, e.g. ***-***-0101; empty when a refused request had no usable number. */
  to: string;
  providerSid?: string;
  messageId?: string;
  body?: string;
  sendAt?: Date;
  tool?: string | null;
  errorCode?: string;
  httpStatus?: number;
  /** For RATE_LIMITED: which limit, e.g. per-recipient-10min. */
  limit?: string;
  requestId?: string | null;
}

const OUTBOX_SIZE = 100;
const PAGE = 500;
const REFUSALS: AuditAction[] = ['sms.rejected', 'sms.rate_limited'];
const TOOL_ROUTE = /^\/api\/sms\/([a-z0-9-]+)$/;

/**
 * What the sandbox did with each tool request since this process started, newest first: the
 * texts it kept and the requests it refused, read back from the audit log's refusal events
 * (code, tool, masked number and time; the audit log never holds the text). A key sees the
 * texts and refusals of its own requests; sms.read_all sees every key's.
 */
@Injectable()
export class SandboxOutboxService {
  private readonly since = new Date();

  constructor(
    @Inject(SMS_PROVIDER) private readonly transport: SmsProvider,
    private readonly auditEvents: AuditEventRepository,
    private readonly tools: ToolRegistry,
    private readonly messages: MessageStore,
    private readonly reads: ReadAuditor,
  ) {}

  async recent(reader: MessageReader, who: AuditReader): Promise<OutboxEntry[]> {
    if (!(this.transport instanceof SandboxProvider)) return [];
    const kept = this.transport.recent();
    const senders = reader.readsAll
      ? undefined
      : await this.messages.sendersOf(kept.map((m) => m.messageId));
    const isOwn = (messageId: string) => senders?.get(messageId) === reader.apiKeyName;
    const sent: OutboxEntry[] = kept
      .filter((m) => !senders || isOwn(m.messageId))
      .map((m) => ({
        status: m.canceled ? 'canceled' : 'sent',
        at: m.at,
        to: maskPhone(m.to),
        providerSid: m.providerSid,
        messageId: m.messageId,
        body: m.body,
      }));
    const refused = (await this.refusals(reader)).map((e) => this.toEntry(e));
    const entries = [...sent, ...refused]
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, OUTBOX_SIZE);
    // Texts of many patients: one event with the count (the texts themselves are never audited).
    await this.reads.record(who, { resource: 'sandbox_outbox', count: entries.length });
    return entries;
  }

  /**
   * The reader's newest refusal events since boot (a refused request without a key belongs to
   * no key); a sandbox keeps few, so paging through is cheap.
   */
  private async refusals(reader: MessageReader): Promise<AuditEventEntity[]> {
    const kept: AuditEventEntity[] = [];
    for (const action of REFUSALS) {
      let afterSeq = 0;
      for (;;) {
        const rows = await this.auditEvents.page({ action, from: this.since }, afterSeq, PAGE);
        kept.push(...rows.filter((e) => reader.readsAll || e.actor === reader.apiKeyName));
        if (kept.length > OUTBOX_SIZE) kept.splice(0, kept.length - OUTBOX_SIZE);
        if (rows.length < PAGE) break;
        afterSeq = rows[rows.length - 1].seq;
      }
    }
    return kept;
  }

  private toEntry(event: AuditEventEntity): OutboxEntry {
    const details = parseDetails(event.details);
    const route = typeof details.route === 'string' ? details.route : '';
    const path = TOOL_ROUTE.exec(route)?.[1];
    const digits = event.recipientMasked?.replace(/\D/g, '') ?? '';
    return {
      status: 'refused',
      at: new Date(event.at),
      to: digits ? `***-***-${digits.slice(-4)}` : '',
      tool:
        typeof details.tool === 'string'
          ? details.tool
          : (this.tools.all().find((t) => t.path === path)?.name ?? null),
      errorCode: typeof details.code === 'string' ? details.code : undefined,
      httpStatus: typeof details.http_status === 'number' ? details.http_status : undefined,
      ...(typeof details.limit === 'string' ? { limit: details.limit } : {}),
      requestId: event.requestId,
    };
  }
}

function parseDetails(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}
