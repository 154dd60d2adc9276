import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { templatesConfig } from './templates.config.js';

describe('templatesConfig', () => {
  const original = process.env;
  let dir: string;

  beforeEach(() => {
    process.env = { ...original };
    delete process.env.TEMPLATES_DIR;
    dir = mkdtempSync(join(tmpdir(), 'templates-config-'));
  });
  afterEach(() => {
    process.env = original;
    rmSync(dir, { recursive: true, force: true });
  });

  it('has no directory by default: the built-in templates only', () => {
    expect(templatesConfig()).toEqual({ dir: undefined });
  });

  it('resolves TEMPLATES_DIR to an absolute path', () => {
    process.env.TEMPLATES_DIR = dir;

    expect(templatesConfig()).toEqual({ dir: resolve(dir) });
  });

  it.each([
    ['a missing directory', () => join(dir, 'missing')],
    ['a file', () => join(dir, 'es.json')],
  ])('refuses %s, naming the variable', (_case, path) => {
    writeFileSync(join(dir, 'es.json'), '{}');
    process.env.TEMPLATES_DIR = path();

    expect(() => templatesConfig()).toThrow(
      `Invalid configuration: TEMPLATES_DIR must be a directory of <language>.json files, got "${path()}"`,
    );
  });
});
