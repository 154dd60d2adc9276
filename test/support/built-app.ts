import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** util-linux `script`: runs a command under a pseudo-terminal, as a person's shell would. */
export const SCRIPT = '/usr/bin/script';
export const MAIN = join(import.meta.dirname, '..', '..', 'dist', 'main.js');

/**
 * The built app (dist/main.js) as a child process on 127.0.0.1, a free port and its own SQLite
 * file, configured only through `env` (nothing of the parent's configuration leaks in).
 */
export interface BuiltApp {
  /** Everything written to stdout and stderr so far (with a terminal, both arrive as one). */
  output(): string;
  /** Resolves with the output once it matches, or rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'TZ', 'SYSTEMROOT'];

export function startBuiltApp(
  env: Record<string, string>,
  { terminal = false }: { terminal?: boolean } = {},
): BuiltApp {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-built-'));
  const fullEnv: Record<string, string> = {
    ...Object.fromEntries(
      PASSED_THROUGH.filter((k) => process.env[k]).map((k) => [k, process.env[k] as string]),
    ),
    HOST: '127.0.0.1',
    PORT: '0',
    SQLITE_PATH: join(dir, 'gateway.sqlite'),
    ...env,
  };
  const child: ChildProcess = terminal
    ? spawn(SCRIPT, ['-qfec', `${process.execPath} ${MAIN}`, '/dev/null'], {
        env: fullEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, [MAIN], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    output: () => text,
    async waitFor(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = text.match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > until) {
          throw new Error(`Output never matched ${pattern}:\n${text}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Without ANSI colours and carriage returns, as a person reads it. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '');
}
