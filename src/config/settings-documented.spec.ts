import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * Every environment variable the code reads: in config factories, the name is the first
 * argument of a reader (readInt(env, 'PORT', ...), count('DAILY_SEND_CAP', ...),
 * new ConfigError('API_KEYS', ...)); elsewhere, process.env.NAME.
 */
function settingsReadByCode(): Set<string> {
  const inConfig = /\b\w+\(\s*(?:env\s*,\s*|process\.env\s*,\s*)?'([A-Z][A-Z0-9_]+)'/g;
  const anywhere = [
    /process\.env\.([A-Z][A-Z0-9_]+)/g,
    /process\.env\[\s*'([A-Z][A-Z0-9_]+)'\s*\]/g,
    /\brequired\(\s*'([A-Z][A-Z0-9_]+)'\s*\)/g,
  ];
  const names = new Set<string>();
  const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join('src', file), 'utf8');
    const isConfig = file.startsWith(`config${sep}`) || file.endsWith('.config.ts');
    for (const pattern of isConfig ? [inConfig, ...anywhere] : anywhere) {
      for (const m of text.matchAll(pattern)) names.add(m[1]);
    }
  }
  return names;
}

function settingsSection(): string {
  const doc = readFileSync('docs/OPERATIONS.md', 'utf8');
  const start = doc.indexOf('\n## Settings');
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end);
}

describe('docs/OPERATIONS.md', () => {
  const read = settingsReadByCode();
  const documented = new Set(
    [...settingsSection().matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]),
  );

  it('finds the settings in the code', () => {
    expect(read.size).toBeGreaterThan(40);
    expect(read).toContain('API_KEYS');
    expect(read).toContain('METRICS_PORT');
  });

  it('documents every setting the code reads', () => {
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
  });

  it('documents no setting the code does not read', () => {
    expect([...documented].filter((name) => !read.has(name)).sort()).toEqual([]);
  });
});
