import { readFileSync } from 'node:fs';
import { DEFAULT_TOOLS } from '../tools/default-tools.js';
import { RestModule } from './rest/rest.module.js';
import { platformBodyPaths, WAYS_IN, wayInModules, wayInNames } from './ways-in.js';

describe('the ways in', () => {
  it('registers each platform a key can be bound to once, by a name API_KEYS accepts', () => {
    const names = wayInNames();
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_-]{0,31}$/);
  });

  it('hands the REST way in the served tools: an endpoint per tool', () => {
    const rest = wayInModules(DEFAULT_TOOLS.slice(0, 2)).find(
      (module) => 'module' in module && module.module === RestModule,
    );
    // One tool controller per served tool, and the preview.
    expect(rest && 'controllers' in rest ? rest.controllers : []).toHaveLength(3);
  });

  it('keeps the raw body of the routes whose platform signs or posts the whole call', () => {
    expect(platformBodyPaths()).toEqual(['/api/vapi', '/api/retell']);
  });

  it('has its export documented in docs/PLATFORMS.md, for each way in that exports', () => {
    const doc = readFileSync('docs/PLATFORMS.md', 'utf8');
    for (const wayIn of WAYS_IN.filter((candidate) => candidate.exporter)) {
      expect(doc).toContain(`npm run tools:export -- --platform ${wayIn.name}`);
    }
  });
});
