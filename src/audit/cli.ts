import 'reflect-metadata';
import { runAuditCli } from './audit-cli.js';

// npm run audit:verify | audit:purge | audit:hash | audit:search, against DATABASE_URL or
// SQLITE_PATH (hash and search need no database).
process.exitCode = await runAuditCli(process.argv.slice(2));
