import { registerAs } from '@nestjs/config';
import { readInt } from './env.js';

export const dispatchConfig = registerAs('dispatch', () => {
  const env = process.env;
  return {
    /** How often each instance looks for due scheduled texts; 0 turns the poller off. */
    intervalMs: readInt(env, 'DISPATCH_INTERVAL_MS', 5000, { min: 0, max: 3_600_000 }),
    /** Due texts one poll claims at most. */
    batchSize: readInt(env, 'DISPATCH_BATCH_SIZE', 50, { min: 1, max: 1000 }),
    /** A text whose time passed longer ago than this (service down) is not sent, but expired. */
    maxLateMs: readInt(env, 'DISPATCH_MAX_LATE_MINUTES', 360, { min: 1, max: 10_080 }) * 60_000,
  };
});

export type DispatchConfig = ReturnType<typeof dispatchConfig>;
