// The architecture rules of ../shared/DESIGN.md ("Folders" and the rules under it), checked by
// `npm run lint`. src/send is the pipeline, src/agents/<platform>/ the ways in,
// src/providers/<name>/ the providers and src/providers/*.ts their interface.
// A `pathNot` marked "KNOWN VIOLATION" is code that breaks a rule today: remove the exception
// when the code moves, never add one to make a new import pass.

const SPEC = '\\.spec\\.ts$';
const PIPELINE = '^src/send/';
const WAYS_IN = '^src/agents/';
// What a way in may use of the pipeline: the pipeline itself, its input and answers.
const PIPELINE_API =
  '^src/send/(send\\.module|send-pipeline|preview\\.service|tool-call|refusals|failure-words)\\.ts$|^src/send/dto/';
// An npm package, resolved (node_modules/<name>/...) or not (the bare specifier).
const npm = (names) => `(^|/)node_modules/(${names})/|^(${names})(/|$)`;
const SDKS = {
  twilio: 'twilio',
  mcp: '@modelcontextprotocol/sdk',
  vapi: '@vapi-ai/server-sdk',
  retell: 'retell-sdk',
  elevenlabs: '@elevenlabs/elevenlabs-js',
};
const ALL_SDKS = Object.values(SDKS).join('|');

/** DESIGN: only the folder that owns a platform imports its SDK. */
function onlyIn(name, sdk, owner, known = []) {
  return {
    name: `only-${name}-imports-${sdk.replace(/[@/]/g, '-').replace(/^-/, '')}`,
    comment: `DESIGN: "only providers/<name>/ imports its SDK"; for a way in, its own folder under agents/. ${sdk} belongs to ${owner}.`,
    severity: 'error',
    from: { pathNot: [owner, ...known] },
    to: { path: npm(sdk) },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'DESIGN: "no import cycles".',
      severity: 'error',
      from: {},
      to: { circular: true },
    },

    onlyIn('twilio-provider', SDKS.twilio, '^src/providers/twilio/'),
    onlyIn('mcp-way-in', SDKS.mcp, '^src/agents/mcp/'),
    onlyIn('vapi-way-in', SDKS.vapi, '^src/agents/vapi/'),
    onlyIn('retell-way-in', SDKS.retell, '^src/agents/retell/'),
    onlyIn('elevenlabs-way-in', SDKS.elevenlabs, '^src/agents/elevenlabs/'),

    {
      name: 'only-providers-name-a-provider',
      comment:
        'DESIGN: "nothing outside providers/ names a provider"; others use the SmsProvider interface in src/providers/*.ts.',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: ['^src/providers/', SPEC],
      },
      to: { path: '^src/providers/[^/]+/' },
    },

    {
      name: 'pipeline-imports-no-way-in',
      comment: 'DESIGN: "the pipeline imports no way in".',
      severity: 'error',
      from: { path: PIPELINE },
      to: { path: WAYS_IN },
    },
    {
      name: 'pipeline-imports-no-express',
      comment: 'DESIGN: "the pipeline imports ... no express": it runs the same for every way in.',
      severity: 'error',
      from: { path: PIPELINE },
      to: { path: npm('express|@types/express|@nestjs/platform-express') },
    },
    {
      name: 'pipeline-imports-no-sdk',
      comment: 'DESIGN: "the pipeline imports ... no SDK".',
      severity: 'error',
      from: { path: PIPELINE },
      to: { path: npm(ALL_SDKS) },
    },
    {
      name: 'pipeline-imports-no-provider',
      comment:
        'DESIGN: "nothing outside providers/ names a provider": the pipeline sends through the interface in src/providers/*.ts only.',
      severity: 'error',
      from: { path: PIPELINE },
      to: { path: '^src/providers/[^/]+/' },
    },

    {
      name: 'way-in-uses-pipeline-not-stages',
      comment:
        'DESIGN: "a way in uses the pipeline, not its stages": SendPipeline, ToolCall/SendResult and the agent sentences only.',
      severity: 'error',
      from: { path: WAYS_IN, pathNot: SPEC },
      to: {
        path: PIPELINE,
        pathNot: PIPELINE_API,
      },
    },

    {
      name: 'way-in-uses-shared-index',
      comment:
        'DESIGN: "shared way-in helpers in one documented file": a way in imports them from src/agents/shared/index.ts, which says when each is needed.',
      severity: 'error',
      from: { path: WAYS_IN, pathNot: '^src/agents/shared/' },
      to: { path: '^src/agents/shared/', pathNot: '^src/agents/shared/index\\.ts$' },
    },

    {
      name: 'no-test-code-in-src',
      comment:
        'The service never ships test helpers. Unit specs beside their code may use the shared suites in test/.',
      severity: 'error',
      from: { path: '^src/', pathNot: SPEC },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type from an SDK ties a file to that SDK as much as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
