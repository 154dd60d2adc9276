import { parseCommand } from './cli.js';
import { sameToolConfig } from './tool-sync.js';

/** A tool config as the SDK hands it over (camelCase), the way we send it. */
function desired() {
  return {
    type: 'webhook',
    name: 'send_sms',
    description: 'Send a text.',
    responseTimeoutSecs: 15,
    toolErrorHandlingMode: 'passthrough',
    apiSchema: {
      url: 'https://gateway.example.com/api/sms/send',
      method: 'POST',
      requestHeaders: { 'X-API-Key': { secretId: 'secret_1' } },
      requestBodySchema: {
        type: 'object',
        description: 'Send a text message',
        required: ['phone_number', 'message'],
        properties: {
          phone_number: { type: 'string', description: 'The number.' },
          message: { type: 'string', description: 'The text.' },
          conversation_id: { type: 'string', dynamicVariable: 'system__conversation_id' },
        },
      },
    },
  };
}

type Config = ReturnType<typeof desired>;

/** The same config as the API stores it: defaults filled in where we set nothing. */
function stored(edit: (config: Config) => void = () => undefined): Record<string, unknown> {
  const config = desired();
  edit(config);
  const properties = config.apiSchema.requestBodySchema.properties as Record<string, object>;
  for (const [name, property] of Object.entries(properties)) {
    properties[name] = {
      dynamicVariable: '',
      constantValue: '',
      isSystemProvided: false,
      enum: null,
      ...property,
    };
  }
  return {
    ...config,
    preToolSpeech: 'auto',
    executionMode: 'immediate',
    assignments: [],
    dynamicVariables: { dynamicVariablePlaceholders: {} },
    apiSchema: { ...config.apiSchema, contentType: 'application/json', queryParamsSchema: null },
  };
}

describe('sameToolConfig', () => {
  it('holds for the stored copy of what we sent, whatever defaults the API added', () => {
    expect(sameToolConfig(desired(), stored())).toBe(true);
  });

  it.each<[string, (config: Config) => void]>([
    ['the description', (c) => (c.description = 'Send an SMS.')],
    ['the timeout', (c) => (c.responseTimeoutSecs = 20)],
    ['the URL', (c) => (c.apiSchema.url = 'https://old.example.com/api/sms/send')],
    ['the secret', (c) => (c.apiSchema.requestHeaders['X-API-Key'].secretId = 'secret_0')],
    [
      'a field description',
      (c) => (c.apiSchema.requestBodySchema.properties.message.description = 'Text.'),
    ],
    ['the required list', (c) => (c.apiSchema.requestBodySchema.required = ['phone_number'])],
    [
      'a field the DTO no longer has',
      (c) =>
        Object.assign(c.apiSchema.requestBodySchema.properties, {
          pharmacy: { type: 'string', description: 'Old field.' },
        }),
    ],
    [
      'a field the DTO gained',
      (c) => delete (c.apiSchema.requestBodySchema.properties as Record<string, unknown>).message,
    ],
    [
      'the value source of a field',
      (c) =>
        Object.assign(c.apiSchema.requestBodySchema.properties.phone_number, {
          dynamicVariable: 'system__caller_id',
        }),
    ],
    ['an extra header', (c) => Object.assign(c.apiSchema.requestHeaders, { 'X-Debug': 'on' })],
  ])('fails when the stored tool differs in %s', (_what, edit) => {
    expect(sameToolConfig(desired(), stored(edit))).toBe(false);
  });
});

describe('parseCommand', () => {
  it('reads the three commands', () => {
    expect(parseCommand(['tools'])).toEqual({ command: 'tools', createSecret: false });
    expect(parseCommand(['prompt'])).toEqual({ command: 'prompt', createSecret: false });
    expect(parseCommand(['sync', '--agent', 'agent_1', '--create-secret'])).toEqual({
      command: 'sync',
      agentId: 'agent_1',
      createSecret: true,
    });
  });

  it.each([
    [[], 'No command given.'],
    [['push'], 'Unknown command "push".'],
    [['sync'], 'sync needs --agent <agent_id>.'],
    [['tools', 'extra'], 'Unexpected argument "extra".'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });

  it('refuses an unknown option', () => {
    expect(() => parseCommand(['sync', '--agnet', 'a'])).toThrow(/Unknown option/);
  });
});
