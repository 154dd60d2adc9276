import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { auditChainConfig, type AuditChainConfig } from '../config/audit-chain.config.js';
import type { ChainLink } from './audit-event.repository.js';
import type { ChainProblem } from './chain-walker.js';
import type { AuditVerifyResultDto } from './dto/audit-verify-result.dto.js';

/** What this instance last found, for the health check, the doctor and the send path. */
export interface ChainStatus {
  state: 'unchecked' | 'ok' | 'broken';
  /** The newest seq verified (and checkpointed) so far. */
  verified_seq: number | null;
  first_broken_seq: number | null;
  problem: ChainProblem | null;
  checked_at: string | null;
}

/**
 * The chain's standing in this process: the highest checkpointed link (seq numbers are never
 * handed out again below it, even if the rows were deleted) and the last verification's result.
 */
@Injectable()
export class AuditChainState {
  private floorLink: ChainLink | null = null;
  private current: ChainStatus = {
    state: 'unchecked',
    verified_seq: null,
    first_broken_seq: null,
    problem: null,
    checked_at: null,
  };

  /** `config`: the settings it acts on, also shown by the doctor. */
  constructor(@Inject(auditChainConfig.KEY) readonly config: AuditChainConfig) {}

  get status(): ChainStatus {
    return this.current;
  }

  get refusesTexts(): boolean {
    return this.current.state === 'broken' && this.config.onBrokenChain === 'refuse';
  }

  /** The newest checkpointed event: the next event is never numbered at or below it. */
  get floor(): ChainLink | null {
    return this.floorLink;
  }

  raiseFloor(link: ChainLink): void {
    if (!this.floorLink || link.seq > this.floorLink.seq) this.floorLink = link;
  }

  recordResult(result: AuditVerifyResultDto, at: Date): void {
    this.current = {
      state: result.ok ? 'ok' : 'broken',
      verified_seq: result.ok ? result.last_seq : this.current.verified_seq,
      first_broken_seq: result.first_broken_seq,
      problem: result.problem,
      checked_at: at.toISOString(),
    };
  }

  /** With AUDIT_BROKEN_CHAIN=refuse, no new text is accepted while the chain is broken. */
  assertTextsAllowed(): void {
    if (!this.refusesTexts) return;
    throw new DomainError(
      ErrorCode.AUDIT_CHAIN_BROKEN,
      'The audit trail failed verification; new texts are refused until it is fixed (AUDIT_BROKEN_CHAIN=refuse).',
      {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        retryable: false,
        agentMessage:
          "I can't send texts right now because our records system needs attention. The clinic's staff will follow up.",
      },
    );
  }
}
