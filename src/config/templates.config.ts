import { registerAs } from '@nestjs/config';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, readString } from './env.js';

export const templatesConfig = registerAs('templates', () => {
  const raw = readString(process.env, 'TEMPLATES_DIR');
  const dir = raw === undefined ? undefined : resolve(raw);
  if (dir !== undefined && !isDirectory(dir)) {
    throw new ConfigError(
      'TEMPLATES_DIR',
      `must be a directory of <language>.json files, got "${raw}"`,
    );
  }
  return {
    /** <language>.json files whose templates replace the defaults tool by tool (docs/TEMPLATES.md). */
    dir,
  };
});

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export type TemplatesConfig = ReturnType<typeof templatesConfig>;
