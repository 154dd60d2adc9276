import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module.js';
import { auditConfig } from '../config/audit.config.js';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { SYSTEM_ACTOR } from './audit-event.js';
import { AuditLogModule } from './audit-log.module.js';
import { AuditChainBrokenError, AuditLogService } from './audit-log.service.js';

const USAGE = 'usage: node dist/audit/cli.js verify|purge';

/** Only what the audit log needs: configuration, the database (never migrated from here). */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: [databaseConfig, auditConfig],
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

export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

const CONSOLE: CliOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * `verify` prints { ok, checked, first_broken_seq, ... } and answers 1 when the chain is
 * broken; `purge` removes events past AUDIT_RETENTION_DAYS and prints what it did.
 * Any other failure (no database, no table, bad configuration) answers 2.
 */
export async function runAuditCli(args: string[], io: CliOutput = CONSOLE): Promise<number> {
  const command = args[0];
  if (args.length !== 1 || (command !== 'verify' && command !== 'purge')) {
    io.err(USAGE);
    return 2;
  }
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(AuditCliModule, {
      logger: ['error'],
      abortOnError: false,
    });
    const audit = app.get(AuditLogService);
    if (command === 'verify') {
      const result = await audit.verify();
      io.out(JSON.stringify(result));
      return result.ok ? 0 : 1;
    }
    io.out(JSON.stringify(await audit.purge(new Date(), SYSTEM_ACTOR)));
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
