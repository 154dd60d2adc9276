import { UnitOfWork } from '../database/unit-of-work.js';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, In, type Repository } from 'typeorm';
import { AuditLogService } from '../audit/audit-log.service.js';
import { Clock } from '../common/clock.js';
import { sendingConfig } from '../config/sending.config.js';
import { MessageEntity, type MessageStatus } from './message.entity.js';
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
 * by its SHA-256. Never sends anything. Safe on several instances: settling is conditional.
 */
@Injectable()
export class ReconciliationService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconciliationService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    @InjectRepository(MessageEntity) private readonly messages: Repository<MessageEntity>,
    private readonly transport: ResilientProvider,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    @Inject(sendingConfig.KEY) private readonly config: ConfigType<typeof sendingConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reconcileIntervalMs === 0) return;
    this.timer = setInterval(() => {
      this.reconcile().catch((error: unknown) =>
        this.logger.error({ err: error }, 'Reconciliation failed'),
      );
    }, this.config.reconcileIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async reconcile(): Promise<ReconcileResult> {
    const now = this.clock.now().getTime();
    const rows = await this.messages.find({
      where: {
        status: In(UNSETTLED),
        createdAt: Between(new Date(now - LOOK_BACK_MS), new Date(now - MIN_AGE_MS)),
      },
      order: { createdAt: 'ASC' },
      take: BATCH,
    });
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

  /** The provider's message with this text that no other row already owns. */
  private async unclaimedMatch(
    row: MessageEntity,
    found: ProviderMessage[],
  ): Promise<ProviderMessage | undefined> {
    for (const candidate of found.filter((m) => m.bodySha256 === row.bodySha256)) {
      const owner = await this.messages.findOneBy({ providerSid: candidate.providerSid });
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
      const update = await manager.update(
        MessageEntity,
        { id: row.id, status: In(UNSETTLED) },
        {
          status,
          providerSid: providerSid ?? row.providerSid,
          errorCode: status === 'failed' ? 'NOT_FOUND_AT_PROVIDER' : row.errorCode,
        },
      );
      if (!update.affected) return 0;
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
