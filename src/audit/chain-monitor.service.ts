import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { auditChainConfig, type AuditChainConfig } from '../config/audit-chain.config.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SYSTEM_ACTOR } from './audit-event.js';
import { AuditLogService } from './audit-log.service.js';
import { ChainCheckpoints, type Checkpoint } from './chain-checkpoints.js';
import { AuditChainState, type ChainStatus } from './chain-state.js';
import { AuditChainVerifier } from './chain-verifier.js';
import { ChainWriter } from './chain-writer.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';

/**
 * Verifies the chain on a schedule, so a break is found when it happens rather than when
 * someone asks: each run reads only the events since the last checkpoint, then checkpoints
 * the new head outside the database (and once more at shutdown). A break sets
 * audit_chain_broken, shows in /health/ready and the doctor, and is recorded once as
 * audit.chain_broken; AUDIT_BROKEN_CHAIN decides whether texts go on.
 */
@Injectable()
export class AuditChainMonitor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditChainMonitor.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ChainStatus>;
  /** The newest link verified: where the next run starts. */
  private verified: Checkpoint | null = null;
  private recordedBreak?: string;

  constructor(
    private readonly audit: AuditLogService,
    private readonly writer: ChainWriter,
    private readonly verifier: AuditChainVerifier,
    private readonly checkpoints: ChainCheckpoints,
    private readonly state: AuditChainState,
    private readonly clock: Clock,
    @Inject(auditChainConfig.KEY) private readonly config: AuditChainConfig,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.checkpoints.prepare();
    await this.writer.reanchorIfUnkeyed();
    const latest = await this.checkpoints.latest();
    if (latest) {
      this.state.raiseFloor(latest);
      this.verified = latest;
    }
    if (this.config.verifyIntervalMs === 0) return;
    this.timer = setInterval(() => void this.tick(), this.config.verifyIntervalMs);
    // Never keeps the process alive on its own.
    this.timer.unref();
    // A chain broken while the service was down shows now, not a minute later.
    void this.tick();
  }

  /** The final checkpoint, while the database is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.tick();
  }

  /** One run; a run still going is not overlapped. Never throws: failures are logged. */
  tick(): Promise<ChainStatus> {
    this.running ??= this.check()
      .catch((error: unknown) => {
        this.logger.error({ err: error }, 'Verifying the audit chain failed');
        return this.state.status;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** The whole chain (GET /api/audit/verify), its result recorded like a scheduled run's. */
  async verifyAll(): Promise<AuditVerifyResultDto> {
    const at = this.clock.now();
    const result = await this.verifier.verify();
    await this.observe(result, at);
    return result;
  }

  private async check(): Promise<ChainStatus> {
    // Before reading the head: a checkpoint claims no more than existed at its time.
    const at = this.clock.now();
    const result = this.verified
      ? await this.verifier.verifyFrom(this.verified)
      : await this.verifier.verify();
    await this.observe(result, at);
    if (result.ok && result.last_seq !== null && result.last_seq !== this.verified?.seq) {
      const link = { seq: result.last_seq, hash: result.last_hash! };
      this.verified = (await this.checkpoints.write(link, at)) ?? { ...link, at: at.toISOString() };
      this.state.raiseFloor(this.verified);
      this.metrics?.recordAuditCheckpoint(this.verified.seq, at);
    }
    return this.state.status;
  }

  private async observe(result: AuditVerifyResultDto, at: Date): Promise<void> {
    this.state.recordResult(result, at);
    this.metrics?.setAuditChainStatus(!result.ok, this.state.status.verified_seq);
    if (result.ok) {
      this.recordedBreak = undefined;
      return;
    }
    const breakId = `${result.first_broken_seq}:${result.problem}`;
    if (this.recordedBreak === breakId) return;
    this.recordedBreak = breakId;
    const texts = this.config.onBrokenChain === 'refuse' ? 'refused' : 'sent';
    this.logger.error(
      { firstBrokenSeq: result.first_broken_seq, problem: result.problem, texts },
      'The audit chain is broken',
    );
    await this.audit
      .append({
        actor: SYSTEM_ACTOR,
        action: 'audit.chain_broken',
        outcome: 'failure',
        details: {
          first_broken_seq: result.first_broken_seq,
          problem: result.problem,
          last_seq: result.last_seq,
          checkpoint_seq: result.checkpoint?.seq ?? null,
          texts,
        },
      })
      .catch((error: unknown) =>
        this.logger.error({ err: error }, 'Recording the broken audit chain failed'),
      );
  }
}
