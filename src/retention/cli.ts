import 'reflect-metadata';
import { runRetentionCli } from './retention-cli.js';

// npm run retention:purge [-- --operator <name>], against DATABASE_URL or SQLITE_PATH.
process.exitCode = await runRetentionCli(process.argv.slice(2));
