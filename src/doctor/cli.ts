import 'reflect-metadata';
import { runDoctorCli } from './doctor-cli.js';

// npm run doctor: the going-live checklist for the settings in this environment (and .env).
process.exitCode = await runDoctorCli();
