import { ConfigError } from '../../config/env.js';
import { mcpConfig, originOf } from './mcp.config.js';

describe('mcpConfig', () => {
  const original = process.env;
  beforeEach(() => {
    process.env = { ...original };
    delete process.env.MCP_ALLOWED_ORIGINS;
  });
  afterEach(() => {
    process.env = original;
  });

  it('allows no browser origin by default', () => {
    expect(mcpConfig()).toEqual({ allowedOrigins: [] });
  });

  it('reads origins as browsers send them', () => {
    process.env.MCP_ALLOWED_ORIGINS = 'https://Console.Example.org, http://localhost:5173/';

    expect(mcpConfig().allowedOrigins).toEqual([
      'https://console.example.org',
      'http://localhost:5173',
    ]);
  });

  it.each(['console.example.org', 'https://console.example.org/app', 'null', 'ftp://x.example'])(
    'refuses %s at boot, naming the variable',
    (entry) => {
      process.env.MCP_ALLOWED_ORIGINS = entry;

      expect(() => mcpConfig()).toThrow(ConfigError);
      expect(() => mcpConfig()).toThrow(/MCP_ALLOWED_ORIGINS/);
    },
  );
});

describe('originOf', () => {
  it.each([
    ['https://voice.clinic.example', 'https://voice.clinic.example'],
    ['https://voice.clinic.example:443', 'https://voice.clinic.example'],
    ['http://voice.clinic.example:8080', 'http://voice.clinic.example:8080'],
    ['null', undefined],
    ['https://user@voice.clinic.example', undefined],
    ['chrome-extension://abcdef', undefined],
  ])('reads %s as %s', (value, origin) => {
    expect(originOf(value)).toBe(origin);
  });
});
