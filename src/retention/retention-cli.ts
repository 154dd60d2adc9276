import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONSOLE, type CliOutput } from '../common/cli-output.js';
import { operatorActor } from '../common/operator.js';
import { parseArgs } from 'node:util';
import { Clock } from '../common/clock.js';
import { auditConfig } from '../config/audit.config.js';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { retentionConfig } from '../config/retention.config.js';
import { dataSourceOptions } from '../database/data-source-options.js';
import { RetentionModule } from './retention.module.js';
import { RetentionService } from './retention.service.js';

const USAGE = 'usage: node dist/retention/cli.js [--operator <name>] (default: your OS user name)';
/** Like an API key name, plus @: an email-style name reads well in the audit trail. */

const CLI_CONFIGS = [databaseConfig, auditConfig, retentionConfig];

/** Only what the purge needs: configuration and the database (never migrated from here). */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      load: CLI_CONFIGS,
    }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (config: DatabaseConfig) => ({
        ...dataSourceOptions(config),
        migrationsRun: false,
      }),
    }),
    RetentionModule,
  ],
})
class RetentionCliModule {}

export type { CliOutput };

/** --operator, or the OS user: the person the audit trail names for this purge. */
function operatorOf(args: string[]): string {
  const { values } = parseArgs({ args, options: { operator: { type: 'string' } }, strict: true });
  return operatorActor(values.operator);
}

/**
 * `npm run retention:purge`: every table's retention and the audit trail's, now, recorded in
 * the audit trail as the operator's. Prints the run; answers 1 when a table's purge failed or
 * another instance is purging, 2 when it cannot run at all.
 */
export async function runRetentionCli(args: string[], io: CliOutput = CONSOLE): Promise<number> {
  let actor: string;
  try {
    actor = operatorOf(args);
  } catch (error) {
    io.err((error as Error).message);
    io.err(USAGE);
    return 2;
  }
  let app: INestApplicationContext | undefined;
  try {
    // Checked before Nest starts, so a bad setting opens no database connection.
    for (const config of CLI_CONFIGS) config();
    app = await NestFactory.createApplicationContext(RetentionCliModule, {
      logger: ['error'],
      abortOnError: false,
    });
    const run = await app
      .get(RetentionService)
      .purgeAll(app.get(Clock).now(), { actor, trigger: 'manual' });
    if (!run) {
      io.err('Another instance is purging right now; run this again in a minute.');
      return 1;
    }
    io.out(JSON.stringify(run));
    return run.tables.some((table) => table.error) ? 1 : 0;
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  } finally {
    await app?.close();
  }
}
