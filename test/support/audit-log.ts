import type { DataSource } from 'typeorm';
import { AuditEventRepository } from '../../src/audit/audit-event.repository.js';
import { AuditLogService } from '../../src/audit/audit-log.service.js';
import { ChainCheckpoints } from '../../src/audit/chain-checkpoints.js';
import { ChainKeyring } from '../../src/audit/chain-keys.js';
import { AuditChainMonitor } from '../../src/audit/chain-monitor.service.js';
import { AuditChainState } from '../../src/audit/chain-state.js';
import { AuditChainVerifier } from '../../src/audit/chain-verifier.js';
import { ChainWriter } from '../../src/audit/chain-writer.js';
import { Clock } from '../../src/common/clock.js';
import { RecipientHasher } from '../../src/common/recipient-hasher.js';
import { chainKeyOf, type AuditChainConfig } from '../../src/config/audit-chain.config.js';
import type { DatabaseConfig } from '../../src/config/database.config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { UnitOfWork } from '../../src/database/unit-of-work.js';
import { MetricsService } from '../../src/metrics/metrics.service.js';

export const AUDIT_TEST_CONFIG = {
  hashKey: 'audit-chain-spec-hash-key-0123456789abcdef',
  retentionDays: 30,
};

export const AUDIT_CHAIN_TEST_CONFIG: AuditChainConfig = {
  key: chainKeyOf('audit-chain-spec-chain-key-0123456789abcdef'),
  previousKeys: [],
  checkpointDir: null,
  verifyIntervalMs: 0,
  onBrokenChain: 'record',
  retentionFloorDays: 1,
};

/** The real time, moved on by advance(): a purge can be run "thirty days later". */
export class TestClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface AuditLog {
  dataSource: DataSource;
  audit: AuditLogService;
  events: AuditEventRepository;
  unitOfWork: UnitOfWork;
  verifier: AuditChainVerifier;
  checkpoints: ChainCheckpoints;
  state: AuditChainState;
  writer: ChainWriter;
  monitor: AuditChainMonitor;
  metrics: MetricsService;
  keys: ChainKeyring;
  clock: TestClock;
  close(): Promise<void>;
}

/**
 * The audit log's services as the module wires them, built without Nest. `on` reuses another
 * log's database, e.g. to be a second instance or to run with other keys.
 */
export async function openAuditLog(
  database: DatabaseConfig,
  options: { chain?: Partial<AuditChainConfig>; on?: DataSource } = {},
): Promise<AuditLog> {
  const { DataSource } = await import('typeorm');
  const dataSource =
    options.on ?? new DataSource({ ...dataSourceOptions(database), migrationsRun: true });
  if (!dataSource.isInitialized) await dataSource.initialize();
  const config = { ...AUDIT_CHAIN_TEST_CONFIG, ...options.chain };
  const clock = new TestClock();
  const unitOfWork = new UnitOfWork(dataSource);
  const events = new AuditEventRepository(dataSource);
  const keys = new ChainKeyring(config.key, config.previousKeys);
  const checkpoints = new ChainCheckpoints(config, keys);
  const state = new AuditChainState(config);
  const writer = new ChainWriter(events, unitOfWork, keys, state, clock);
  const verifier = new AuditChainVerifier(events, keys, checkpoints, config);
  const hasher = new RecipientHasher(AUDIT_TEST_CONFIG);
  const metrics = new MetricsService();
  const audit = new AuditLogService(
    events,
    unitOfWork,
    hasher,
    AUDIT_TEST_CONFIG,
    writer,
    verifier,
    clock,
    metrics,
  );
  const monitor = new AuditChainMonitor(
    audit,
    writer,
    verifier,
    checkpoints,
    state,
    clock,
    config,
    metrics,
  );
  return {
    dataSource,
    audit,
    events,
    unitOfWork,
    verifier,
    checkpoints,
    state,
    writer,
    monitor,
    metrics,
    keys,
    clock,
    close: async () => {
      if (!options.on) await dataSource.destroy();
    },
  };
}

export { sendEvent, tamper } from './audit-tamper.js';
