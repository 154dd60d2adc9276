import type { ChainStatus } from '../audit/chain-state.js';
import type { AuditChainConfig } from '../config/audit-chain.config.js';
import { fail, pass, warn, type CheckResult } from './check.js';

const NAME = 'Audit chain';

/** The running service's last verification of its audit chain, and where its checkpoints go. */
export function auditChainCheck(status: ChainStatus, config: AuditChainConfig): CheckResult {
  if (status.state === 'broken') {
    const texts =
      config.onBrokenChain === 'refuse' ? 'new texts are refused' : 'texts still go out';
    return fail(
      NAME,
      `broken at seq ${status.first_broken_seq} (${status.problem}); ${texts} (AUDIT_BROKEN_CHAIN=${config.onBrokenChain})`,
      'Run npm run audit:verify, then restore the events from a backup (docs/OPERATIONS.md, Audit chain).',
    );
  }
  if (!config.checkpointDir) {
    return warn(
      NAME,
      'no checkpoints outside the database: events cut from the end of the chain would go unnoticed',
      'Set AUDIT_CHECKPOINT_DIR to a directory the database administrators cannot write.',
    );
  }
  if (config.verifyIntervalMs === 0) {
    return warn(
      NAME,
      'not verified on a schedule (AUDIT_VERIFY_INTERVAL_MS=0)',
      'Unset AUDIT_VERIFY_INTERVAL_MS so each instance verifies and checkpoints every minute.',
    );
  }
  return status.state === 'ok'
    ? pass(
        NAME,
        `verified through seq ${status.verified_seq}; checkpoints in ${config.checkpointDir}`,
      )
    : pass(NAME, `first verification pending; checkpoints in ${config.checkpointDir}`);
}
