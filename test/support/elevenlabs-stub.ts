import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for the parts of the ElevenLabs API the sync command calls (wire format,
 * snake_case), on 127.0.0.1. Point the SDK's baseUrl at `baseUrl`.
 *
 * Like the real API it stores tools with defaults we never send (pre_tool_speech, empty
 * dynamic_variable, ...), so "nothing changed" is tested against what comes back, and it
 * refuses a property with two value sources (HTTP 422).
 */
export interface StubCall {
  method: string;
  path: string;
  apiKey: string | undefined;
  body: unknown;
}

type Json = Record<string, unknown>;

export interface ElevenLabsStub {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  readonly calls: StubCall[];
  /** Stored tool configs by id, as the API would return them. */
  readonly tools: Map<string, Json>;
  readonly secrets: Map<string, { name: string; value: string }>;
  readonly agents: Map<string, { name: string; toolIds: string[] }>;
  /** Calls that change something: every POST and PATCH. */
  writes(): StubCall[];
  close(): Promise<void>;
}

const VALUE_SOURCES = ['description', 'dynamic_variable', 'constant_value', 'is_omitted'];

export async function startElevenLabsStub(
  seed: { agents?: Record<string, string[]>; tools?: Record<string, Json> } = {},
): Promise<ElevenLabsStub> {
  const calls: StubCall[] = [];
  const tools = new Map<string, Json>(Object.entries(seed.tools ?? {}));
  const secrets = new Map<string, { name: string; value: string }>();
  const agents = new Map(
    Object.entries(seed.agents ?? {}).map(([id, toolIds]) => [id, { name: id, toolIds }]),
  );
  let nextId = 1;
  const newId = (prefix: string) => `${prefix}_${String(nextId++).padStart(4, '0')}`;

  function route(method: string, path: string, body: Json): [number, unknown] {
    let match: RegExpMatchArray | null;
    if (method === 'GET' && path === '/v1/convai/secrets') {
      return [200, { secrets: [...secrets].map(([id, s]) => secretView(id, s.name)) }];
    }
    if (method === 'POST' && path === '/v1/convai/secrets') {
      const id = newId('secret');
      secrets.set(id, { name: String(body.name), value: String(body.value) });
      return [200, { type: 'stored', secret_id: id, name: body.name }];
    }
    if ((match = path.match(/^\/v1\/convai\/secrets\/([^/]+)$/)) && method === 'PATCH') {
      if (!secrets.has(match[1])) return [404, { detail: 'secret not found' }];
      secrets.set(match[1], { name: String(body.name), value: String(body.value) });
      return [200, { type: 'stored', secret_id: match[1], name: body.name }];
    }
    if (method === 'GET' && path === '/v1/convai/tools') {
      return [
        200,
        { tools: [...tools].map(([id, config]) => toolView(id, config)), has_more: false },
      ];
    }
    if (method === 'POST' && path === '/v1/convai/tools') {
      const problem = dialectProblem(body.tool_config as Json);
      if (problem) return [422, { detail: problem }];
      const id = newId('tool');
      tools.set(id, withDefaults(body.tool_config as Json));
      return [200, toolView(id, tools.get(id) as Json)];
    }
    if ((match = path.match(/^\/v1\/convai\/tools\/([^/]+)$/))) {
      const config = tools.get(match[1]);
      if (!config) return [404, { detail: 'tool not found' }];
      if (method === 'GET') return [200, toolView(match[1], config)];
      if (method === 'PATCH') {
        const problem = dialectProblem(body.tool_config as Json);
        if (problem) return [422, { detail: problem }];
        tools.set(match[1], withDefaults(body.tool_config as Json));
        return [200, toolView(match[1], tools.get(match[1]) as Json)];
      }
    }
    if ((match = path.match(/^\/v1\/convai\/agents\/([^/]+)$/))) {
      const agent = agents.get(match[1]);
      if (!agent) return [404, { detail: 'agent not found' }];
      if (method === 'PATCH') {
        const toolIds = (
          body as { conversation_config?: { agent?: { prompt?: { tool_ids?: string[] } } } }
        ).conversation_config?.agent?.prompt?.tool_ids;
        if (toolIds) agent.toolIds = toolIds;
      }
      if (method === 'GET' || method === 'PATCH') return [200, agentView(match[1], agent)];
    }
    return [404, { detail: `stub has no ${method} ${path}` }];
  }

  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Json) : {};
      const path = new URL(req.url ?? '/', 'http://stub').pathname;
      const method = req.method ?? 'GET';
      calls.push({ method, path, apiKey: req.headers['xi-api-key'] as string | undefined, body });
      const [status, answer] =
        req.headers['xi-api-key'] === undefined
          ? [401, { detail: 'xi-api-key missing' }]
          : route(method, path, body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    tools,
    secrets,
    agents,
    writes: () => calls.filter((c) => c.method === 'POST' || c.method === 'PATCH'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A webhook tool config the stub holds, for seeding a tool someone made by hand. */
export function webhookTool(name: string, url: string): Json {
  return {
    type: 'webhook',
    name,
    description: `${name}, made in the dashboard.`,
    api_schema: { url, method: 'GET' },
  };
}

function secretView(id: string, name: string): Json {
  return {
    type: 'stored',
    secret_id: id,
    name,
    used_by: { tools: [], agents: [], others: [] },
  };
}

function toolView(id: string, config: Json): Json {
  return {
    id,
    tool_config: config,
    access_info: {
      is_creator: true,
      creator_name: 'Test',
      creator_email: 'test@example.com',
      role: 'admin',
    },
    usage_stats: { avg_latency_secs: 0 },
  };
}

function agentView(id: string, agent: { name: string; toolIds: string[] }): Json {
  return {
    agent_id: id,
    name: agent.name,
    conversation_config: {
      agent: { prompt: { prompt: 'You are a clinic assistant.', tool_ids: agent.toolIds } },
    },
    metadata: { created_at_unix_secs: 1_764_000_000, updated_at_unix_secs: 1_764_000_000 },
  };
}

/** Stores a config the way the API returns it: our fields plus defaults. */
function withDefaults(config: Json): Json {
  const copy = structuredClone(config);
  const schema = (copy.api_schema as Json).request_body_schema as Json | undefined;
  if (schema) fillPropertyDefaults(schema);
  return {
    pre_tool_speech: 'auto',
    execution_mode: 'immediate',
    assignments: [],
    dynamic_variables: { dynamic_variable_placeholders: {} },
    ...copy,
    api_schema: {
      content_type: 'application/json',
      query_params_schema: null,
      ...(copy.api_schema as Json),
    },
  };
}

function fillPropertyDefaults(schema: Json): void {
  for (const [name, property] of Object.entries(
    (schema.properties ?? {}) as Record<string, Json>,
  )) {
    if (property.type === 'object') fillPropertyDefaults(property);
    else
      (schema.properties as Record<string, Json>)[name] = {
        dynamic_variable: '',
        constant_value: '',
        ...property,
      };
  }
}

function dialectProblem(config: Json): string | undefined {
  const schema = (config.api_schema as Json | undefined)?.request_body_schema as Json | undefined;
  for (const [name, property] of Object.entries(
    (schema?.properties ?? {}) as Record<string, Json>,
  )) {
    const sources = VALUE_SOURCES.filter((key) => property[key] !== undefined);
    if (sources.length !== 1) return `${name} must have exactly one of ${VALUE_SOURCES.join(', ')}`;
  }
  return undefined;
}
