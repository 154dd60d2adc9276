import type { ChildProcess } from 'node:child_process';

export function startInstances(options: {
  ports: number[];
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  inheritOutput?: boolean;
}): Promise<{
  urls: string[];
  processes: ChildProcess[];
  /** Each process's exit code, or the signal that ended it. */
  stop(signal?: NodeJS.Signals): Promise<Array<number | NodeJS.Signals>>;
}>;
