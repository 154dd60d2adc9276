import { parsePlatform } from './cli.js';

describe('tools:export --platform', () => {
  it.each(['elevenlabs', 'mcp', 'bland', 'vapi', 'retell'])(
    'takes %s, a way in with an exporter',
    (name) => {
      expect(parsePlatform(['--platform', name]).name).toBe(name);
    },
  );

  it('refuses a way in with nothing to export, and an unknown one', () => {
    expect(() => parsePlatform(['--platform', 'rest'])).toThrow('Unknown platform "rest".');
    expect(() => parsePlatform(['--platform', 'acme'])).toThrow('Unknown platform "acme".');
    expect(() => parsePlatform([])).toThrow('--platform is required.');
  });
});
