import { UnitOfWork } from '../database/unit-of-work.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { Poller } from '../common/poller.js';
import { KeyedDigests } from '../common/keyed-digest.js';
import { sendingConfig } from '../config/sending.config.js';
import type { MessageEntity, MessageStatus } from './message.entity.js';
import { MessageStore } from './message.store.js';
import type { ProviderMessage } from '../providers/sms-provider.js';
import { ResilientProvider } from '../providers/resilient-provider.js';

/** Old enough that no request is still working on it (the request deadline is far shorter). */
const MIN_AGE_MS = 60_000;
/** Past this, a send the provider does not know about certainly did not happen. */
const NOT_FOUND_AFTER_MS = 10 * 60_000;
const LOOK_BACK_MS = 48 * 3_600_000;
const BATCH = 100;
const UNSETTLED: MessageStatus[] = ['unknown', 'accepted'];

export interface ReconcileResult {
  checked: number;
  settled: number;
}

/**
 * Finds out what happened to sends whose answer never came (status unknown, or a row left
 * accepted by a crash): looks the recipient's messages up at the provider and matches the text
 * by its keyed digest. Never sends anything. Safe on several instances: settling is conditional.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private readonly poller = new Poller(
    () => this.reconcile(),
    (error) => this.logger.error({ err: error }, 'Reconciliation failed'),
  );

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly store: MessageStore,
    private readonly transport: ResilientProvider,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    private readonly digests: KeyedDigests,
    @Inject(sendingConfig.KEY) private readonly config: ConfigType<typeof sendingConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.poller.start(this.config.reconcileIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }

  async reconcile(): Promise<ReconcileResult> {
    const now = this.clock.now().getTime();
    const rows = await this.store.findCreatedBetween(
      UNSETTLED,
      new Date(now - LOOK_BACK_MS),
      new Date(now - MIN_AGE_MS),
      BATCH,
    );
    let settled = 0;
    for (const row of rows) {
      const createdAt = new Date(row.createdAt);
      const found = await this.transport.findRecent(
        row.recipient,
        new Date(createdAt.getTime() - 120_000),
      );
      const match = await this.unclaimedMatch(row, found);
      if (match) {
        settled += await this.settle(row, match.status ?? 'sent', match.providerSid);
      } else if (now - createdAt.getTime() > NOT_FOUND_AFTER_MS) {
        settled += await this.settle(row, 'failed', null);
      }
    }
    return { checked: rows.length, settled };
  }

  /** The provider's message with this text (its digest keyed as stored) that no other row owns. */
  private async unclaimedMatch(
    row: MessageEntity,
    found: ProviderMessage[],
  ): Promise<ProviderMessage | undefined> {
    const sameText = found.filter((m) => this.digests.of(m.bodySha256) === row.bodySha256);
    for (const candidate of sameText) {
      const owner = await this.store.findByProviderSid(candidate.providerSid);
      if (!owner) return candidate;
    }
    return undefined;
  }

  private async settle(
    row: MessageEntity,
    status: MessageStatus,
    providerSid: string | null,
  ): Promise<number> {
    return this.unitOfWork.run(async (manager) => {
      const moved = await this.store.advance(manager, row.id, UNSETTLED, {
        status,
        providerSid: providerSid ?? row.providerSid,
        errorCode: status === 'failed' ? 'NOT_FOUND_AT_PROVIDER' : row.errorCode,
      });
      if (!moved) return 0;
      await this.audit.append(
        {
          actor: 'system',
          action: 'sms.reconciled',
          outcome: status === 'failed' ? 'failure' : 'success',
          messageId: row.id,
          recipient: row.recipient,
          conversationId: row.conversationId,
          details: { tool: row.tool, from_status: row.status, status, provider_sid: providerSid },
        },
        manager,
      );
      return 1;
    });
  }
}
