import { createHash } from 'node:crypto';
import { authConfig, checkKeyPlatforms } from './auth.config.js';
import { ConfigError } from './env.js';

const SECRET = 'voice-agent-secret-0123456789';
const OTHER_SECRET = 'rotated-secret-abcdefghijklmn';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('authConfig', () => {
  const original = process.env;

  beforeEach(() => {
    process.env = { ...original };
    delete process.env.API_KEYS;
    delete process.env.NODE_ENV;
  });

  afterEach(() => {
    process.env = original;
  });

  describe('with API_KEYS', () => {
    it('reads name:secret:scopes with + between scopes, keeping only the digest', () => {
      process.env.API_KEYS = `voice-agent:${SECRET}:sms.send+sms.read`;

      const config = authConfig();

      expect(config.keys).toEqual([
        { name: 'voice-agent', sha256: sha256(SECRET), scopes: ['sms.send', 'sms.read'] },
      ]);
      expect(config.developmentKey).toBeUndefined();
      expect(JSON.stringify(config)).not.toContain(SECRET);
    });

    it('gives an entry without scopes sms.send only', () => {
      process.env.API_KEYS = `voice-agent:${SECRET}`;

      expect(authConfig().keys[0].scopes).toEqual(['sms.send']);
    });

    it('binds an entry to the platforms of its fourth part, and any platform without it', () => {
      process.env.API_KEYS = `vapi-agent:${SECRET}:sms.send:vapi+mcp,any:${OTHER_SECRET}`;

      const [bound, free] = authConfig().keys;

      expect(bound.platforms).toEqual(['vapi', 'mcp']);
      expect(free.platforms).toBeUndefined();
    });

    it('takes a secret given as sha256=<hex>', () => {
      const hex = sha256(SECRET).toString('hex');
      process.env.API_KEYS = `ops:sha256=${hex.toUpperCase()}:audit.read+admin`;

      expect(authConfig().keys).toEqual([
        { name: 'ops', sha256: sha256(SECRET), scopes: ['audit.read', 'admin'] },
      ]);
    });

    it('keeps two entries of one name, so a key can be rotated', () => {
      process.env.API_KEYS = `voice-agent:${SECRET},voice-agent:${OTHER_SECRET}`;

      expect(authConfig().keys).toEqual([
        { name: 'voice-agent', sha256: sha256(SECRET), scopes: ['sms.send'] },
        { name: 'voice-agent', sha256: sha256(OTHER_SECRET), scopes: ['sms.send'] },
      ]);
    });

    it('ignores blank space around entries and empty entries', () => {
      process.env.API_KEYS = ` voice-agent:${SECRET} , ,ops:${OTHER_SECRET}:admin ,`;

      expect(authConfig().keys.map((k) => k.name)).toEqual(['voice-agent', 'ops']);
    });

    it('is required in production too, and then taken', () => {
      process.env.NODE_ENV = 'production';
      process.env.API_KEYS = `voice-agent:${SECRET}`;

      expect(authConfig().keys).toHaveLength(1);
    });
  });

  describe('refuses, naming API_KEYS and the entry', () => {
    it.each([
      [
        'a secret shorter than 24 characters',
        `voice-agent:${'s'.repeat(23)}`,
        'entry 1 ("voice-agent") has a secret shorter than 24 characters',
      ],
      [
        'an unknown scope',
        `voice-agent:${SECRET}:sms.send+sms.delete`,
        'entry 1 ("voice-agent") has unknown scopes sms.delete (known: sms.send, sms.read, sms.read_all, audit.read, admin)',
      ],
      [
        'a name with a space',
        `voice agent:${SECRET}`,
        'entry 1 has a name that is not [A-Za-z0-9_.-]{1,64}',
      ],
      [
        'a name longer than 64 characters',
        `${'n'.repeat(65)}:${SECRET}`,
        'entry 1 has a name that is not [A-Za-z0-9_.-]{1,64}',
      ],
      [
        'an entry without a secret',
        'voice-agent',
        'entry 1 ("voice-agent") must be name:secret, name:secret:scope+scope or name:secret:scope+scope:platform+platform',
      ],
      [
        'an entry without a name',
        `:${SECRET}`,
        'entry 1 must be name:secret, name:secret:scope+scope or name:secret:scope+scope:platform+platform',
      ],
      [
        'an entry with a fifth part',
        `voice-agent:${SECRET}:sms.send:vapi:extra`,
        'entry 1 ("voice-agent") must be name:secret, name:secret:scope+scope or name:secret:scope+scope:platform+platform',
      ],
      [
        'a platform that is not a name',
        `voice-agent:${SECRET}:sms.send:vapi+Sky pe+`,
        'entry 1 ("voice-agent") has platforms that are not [a-z][a-z0-9_-]{0,31}: "Sky pe", ""',
      ],
      [
        'a sha256= secret that is not 64 hex digits',
        'ops:sha256=abc123',
        'entry 1 ("ops") has a sha256= secret that is not 64 hex digits',
      ],
      [
        'a bad second entry',
        `voice-agent:${SECRET},ops:short`,
        'entry 2 ("ops") has a secret shorter than 24 characters',
      ],
    ])('%s', (_case, apiKeys, problem) => {
      process.env.API_KEYS = apiKeys;

      const error = thrownBy(() => authConfig());

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`Invalid configuration: API_KEYS ${problem}`);
    });

    it('reads any well-formed platform name: the app checks them against its ways in', () => {
      process.env.API_KEYS = `voice-agent:${SECRET}:sms.send:vapi+skype`;

      expect(authConfig().keys[0].platforms).toEqual(['vapi', 'skype']);
    });

    it('refuses a key bound to a platform no way in is registered as, naming the known ones', () => {
      process.env.API_KEYS = `any:${OTHER_SECRET},voice-agent:${SECRET}:sms.send:vapi+skype`;
      const known = ['rest', 'elevenlabs', 'bland', 'vapi', 'retell', 'mcp'];

      const error = thrownBy(() => checkKeyPlatforms(authConfig().keys, known));

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(
        'Invalid configuration: API_KEYS entry 2 ("voice-agent") has unknown platforms skype (known: rest, elevenlabs, bland, vapi, retell, mcp)',
      );
      expect(() => checkKeyPlatforms(authConfig().keys, [...known, 'skype'])).not.toThrow();
    });

    it('never repeats a refused secret', () => {
      process.env.API_KEYS = `voice-agent:${SECRET}:sms.delete`;

      expect((thrownBy(() => authConfig()) as Error).message).not.toContain(SECRET);
    });
  });

  describe('without API_KEYS', () => {
    it.each([
      ['unset', undefined],
      ['blank', '   '],
    ])('refuses to start in production (API_KEYS %s)', (_case, apiKeys) => {
      process.env.NODE_ENV = 'production';
      if (apiKeys !== undefined) process.env.API_KEYS = apiKeys;

      expect(() => authConfig()).toThrow(
        new ConfigError('API_KEYS', 'is required in production (NODE_ENV=production)'),
      );
    });

    it.each([undefined, 'development', 'test'])(
      'with NODE_ENV %s, makes a development key with every scope',
      (nodeEnv) => {
        if (nodeEnv !== undefined) process.env.NODE_ENV = nodeEnv;

        const config = authConfig();

        expect(config.developmentKey).toMatch(/^dev_[A-Za-z0-9_-]{32}$/);
        expect(config.keys).toEqual([
          {
            name: 'development',
            sha256: sha256(config.developmentKey as string),
            scopes: ['sms.send', 'sms.read', 'sms.read_all', 'audit.read', 'admin'],
          },
        ]);
      },
    );

    it('makes a new development key at every start', () => {
      expect(authConfig().developmentKey).not.toBe(authConfig().developmentKey);
    });
  });
});
