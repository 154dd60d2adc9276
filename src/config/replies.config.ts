import { registerAs } from '@nestjs/config';
import { readInt } from './env.js';

const DAY_MS = 86_400_000;

export const repliesConfig = registerAs('replies', () => ({
  /** A reply answers the latest text sent to its number within this many days; older, none. */
  windowMs: readInt(process.env, 'REPLY_WINDOW_DAYS', 7, { min: 1, max: 90 }) * DAY_MS,
}));

export type RepliesConfig = ReturnType<typeof repliesConfig>;
