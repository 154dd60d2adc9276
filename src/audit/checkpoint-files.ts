import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = /^checkpoints-(\d{4}-\d{2})\.ndjson$/;

/**
 * Checkpoint lines in a directory, one file per UTC month, only ever appended to (and
 * flushed to disk before append() resolves). A directory is the simplest place outside the
 * database; copy it to write-once storage (docs/OPERATIONS.md, Audit chain) so that whoever
 * can write the database cannot also rewrite it.
 */
export class CheckpointFiles {
  constructor(readonly dir: string) {}

  /** Creates the directory if needed; throws when the service could not write there. */
  async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await access(this.dir, constants.W_OK);
  }

  async append(line: string, at: Date): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = await open(join(this.dir, fileFor(at)), 'a', 0o600);
    try {
      await file.appendFile(`${line}\n`, 'utf8');
      await file.datasync();
    } finally {
      await file.close();
    }
  }

  /** Each file's lines, the newest file first. */
  async *newestFirst(): AsyncGenerator<string[]> {
    for (const name of (await this.files()).reverse()) yield this.read(name);
  }

  /** Each file's lines from the month of `time` on, oldest first. */
  async *from(time: Date): AsyncGenerator<string[]> {
    const first = fileFor(time);
    for (const name of await this.files()) if (name >= first) yield this.read(name);
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).filter((name) => FILE.test(name)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async read(name: string): Promise<string[]> {
    const text = await readFile(join(this.dir, name), 'utf8');
    return text.split('\n').filter((line) => line.trim() !== '');
  }
}

function fileFor(at: Date): string {
  return `checkpoints-${at.toISOString().slice(0, 7)}.ndjson`;
}
