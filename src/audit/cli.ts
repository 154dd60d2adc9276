import 'reflect-metadata';
import { runAuditCli } from './audit-cli.js';

// npm run audit:verify | npm run audit:purge, against DATABASE_URL or SQLITE_PATH.
process.exitCode = await runAuditCli(process.argv.slice(2));
