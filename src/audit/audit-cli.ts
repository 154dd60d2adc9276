import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSOLE, type CliOutput } from '../common/cli-output.js';
import { operatorActor } from '../common/operator.js';
import { CommonModule } from '../common/common.module.js';
import { auditChainConfig } from '../config/audit-chain.config.js';
import { auditConfig } from '../config/audit.config.js';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { AuditLogModule } from './audit-log.module.js';
import { AuditChainBrokenError, AuditLogService } from './audit-log.service.js';
import { recipientHashOf, searchExport } from './audit-offline.js';
import { ChainCheckpoints } from './chain-checkpoints.js';
import { AuditChainState } from './chain-state.js';

const USAGE = [
  'usage: node dist/audit/cli.js verify',
  '       node dist/audit/cli.js purge [--operator <name>]',
  '       node dist/audit/cli.js hash <number>',
  '       node dist/audit/cli.js search <export.ndjson> <number>',
].join('\n');

/** Only what the audit log needs: configuration, the database (never migrated from here). */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [databaseConfig, auditConfig, auditChainConfig],
    }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => ({
        ...dataSourceOptions(config),
        migrationsRun: false,
      }),
    }),
    CommonModule,
    AuditLogModule,
  ],
})
class AuditCliModule {}

export type { CliOutput };

type Command =
  | { name: 'verify' }
  | { name: 'purge'; operator: string }
  | { name: 'hash'; number: string }
  | { name: 'search'; file: string; number: string };

function parse(args: string[]): Command | null {
  const [name, ...rest] = args;
  if (name === 'verify' && rest.length === 0) return { name };
  if (name === 'purge' && (rest.length === 0 || (rest.length === 2 && rest[0] === '--operator'))) {
    try {
      return { name, operator: operatorActor(rest[1]) };
    } catch {
      return null;
    }
  }
  if (name === 'hash' && rest.length === 1) return { name, number: rest[0] };
  if (name === 'search' && rest.length === 2) return { name, file: rest[0], number: rest[1] };
  return null;
}

/**
 * `verify` prints { ok, checked, first_broken_seq, problem, ..., checkpoint } and answers 1 when
 * the chain is broken; `purge` removes events past AUDIT_RETENTION_DAYS, recorded as run by
 * the operator (--operator, else the OS user). `hash` and `search` need no database: the
 * keyed hash of a number, and the events of an NDJSON export for it (1 when none).
 * Any other failure (no database, no table, bad configuration) answers 2.
 */
export async function runAuditCli(args: string[], io: CliOutput = CONSOLE): Promise<number> {
  const command = parse(args);
  if (!command) {
    io.err(USAGE);
    return 2;
  }
  try {
    if (command.name === 'hash') {
      io.out(JSON.stringify(recipientHashOf(command.number)));
      return 0;
    }
    if (command.name === 'search') {
      const found = await searchExport(command.file, command.number, io.out);
      io.err(`${found.matched} of ${found.searched} events are for that number.`);
      return found.matched > 0 ? 0 : 1;
    }
    return await withDatabase(command, io);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
}

async function withDatabase(
  command: { name: 'verify' } | { name: 'purge'; operator: string },
  io: CliOutput,
): Promise<number> {
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AuditCliModule, {
      logger: ['error'],
      abortOnError: false,
    });
    const audit = app.get(AuditLogService);
    if (command.name === 'verify') {
      const result = await audit.verify();
      io.out(JSON.stringify(result));
      return result.ok ? 0 : 1;
    }
    // Seq numbers below the newest checkpoint are never handed out again, here too.
    const latest = await app.get(ChainCheckpoints).latest();
    if (latest) app.get(AuditChainState).raiseFloor(latest);
    io.out(JSON.stringify(await audit.purge(command.operator)));
    return 0;
  } catch (error) {
    if (error instanceof AuditChainBrokenError) {
      io.out(JSON.stringify(error.result));
      io.err(error.message);
      return 1;
    }
    io.err(error instanceof Error ? error.message : String(error));
    if (/audit_events/.test(String(error))) {
      io.err('Has the service run its migrations on this database? The CLI runs none.');
    }
    return 2;
  } finally {
    await app?.close();
  }
}
