import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { ElevenLabsToolBody } from './tool-definitions.js';

export type ElevenLabsApi = Pick<ElevenLabsClient, 'conversationalAi'>;

export interface SyncOptions {
  agentId: string;
  /** The tool bodies, once the secret's id is known. */
  definitions: (secretId: string) => ElevenLabsToolBody[];
  secret: {
    name: string;
    /** Use this secret as is (ELEVENLABS_SECRET_ID). */
    id?: string;
    /** Create the secret, or set its value if one of that name exists (--create-secret). */
    value?: string;
  };
  /** One line per action, for the operator. */
  report?: (line: string) => void;
  /** Things worth knowing that are not actions (duplicates, ignored options). */
  warn?: (line: string) => void;
}

export type ToolAction = 'created' | 'updated' | 'unchanged';

export interface SyncResult {
  secretId: string;
  tools: { name: string; id: string; action: ToolAction }[];
  agentToolIds: string[];
  agentUpdated: boolean;
}

/** A failure the operator can fix; printed without a stack. */
export class SyncError extends Error {
  override readonly name = 'SyncError';
}

const PAGE_SIZE = 100;

/**
 * Creates or updates each tool by name and attaches them to the agent. Running it again with
 * the same definitions sends no writes: a tool is updated only when its config differs.
 */
export async function syncTools(api: ElevenLabsApi, options: SyncOptions): Promise<SyncResult> {
  const report = options.report ?? (() => undefined);
  const warn = options.warn ?? (() => undefined);
  const ai = api.conversationalAi;

  // A wrong agent id fails here, before anything is written.
  const agent = await ai.agents.get(options.agentId);
  const attached = agent.conversationConfig.agent?.prompt?.toolIds ?? [];
  const secretId = await resolveSecret(api, options.secret, report, warn);
  // Loaded here, not when the doctor (in the service) imports this file: the schemas are large.
  const serialization = await import('@elevenlabs/elevenlabs-js/serialization/index.js');
  const desired = options.definitions(secretId).map((body) => ({
    name: body.tool_config.name,
    // Also a check at run time that the body is exactly what the SDK's schema accepts.
    model: serialization.ToolRequestModel.parseOrThrow(body, { unrecognizedObjectKeys: 'fail' }),
  }));

  const existing = await listWebhookTools(api);

  const tools: SyncResult['tools'] = [];
  for (const { name, model } of desired) {
    const matches = existing.filter((t) => nameOf(t.toolConfig) === name);
    if (matches.length > 1) {
      warn(
        `${matches.length} workspace tools are named ${name}; using the one the agent has, else the first.`,
      );
    }
    const match = matches.find((t) => attached.includes(t.id)) ?? matches[0];
    let id: string;
    let action: ToolAction;
    if (!match) {
      id = (await ai.tools.create(model)).id;
      action = 'created';
    } else {
      id = match.id;
      const current = await ai.tools.get(id);
      action = sameToolConfig(model.toolConfig, current.toolConfig) ? 'unchanged' : 'updated';
      if (action === 'updated') await ai.tools.update(id, model);
    }
    tools.push({ name, id, action });
    report(`${name}: ${action} (${id})`);
  }

  const missing = tools.map((t) => t.id).filter((id) => !attached.includes(id));
  const agentToolIds = [...attached, ...missing];
  if (missing.length > 0) {
    // The API replaces the list, so send the agent's own tools along with ours.
    await ai.agents.update(options.agentId, {
      conversationConfig: { agent: { prompt: { toolIds: agentToolIds } } },
    });
    report(
      `agent ${options.agentId}: attached ${missing.length} tool(s); it now has ${agentToolIds.length}`,
    );
  } else {
    report(`agent ${options.agentId}: already has all ${tools.length} tools`);
  }
  return { secretId, tools, agentToolIds, agentUpdated: missing.length > 0 };
}

async function resolveSecret(
  api: ElevenLabsApi,
  secret: SyncOptions['secret'],
  report: (line: string) => void,
  warn: (line: string) => void,
): Promise<string> {
  const secrets = api.conversationalAi.secrets;
  if (secret.value !== undefined) {
    if (secret.id)
      warn(`--create-secret given: ignoring ELEVENLABS_SECRET_ID, using "${secret.name}".`);
    const found = await findSecret(api, secret.name);
    if (found) {
      await secrets.update(found.secretId, { name: secret.name, value: secret.value });
      report(`secret ${secret.name}: value set (${found.secretId})`);
      return found.secretId;
    }
    const created = await secrets.create({ name: secret.name, value: secret.value });
    report(`secret ${secret.name}: created (${created.secretId})`);
    return created.secretId;
  }
  if (secret.id) {
    report(`secret: using ELEVENLABS_SECRET_ID (${secret.id})`);
    return secret.id;
  }
  const found = await findSecret(api, secret.name);
  if (!found) {
    throw new SyncError(
      `The workspace has no secret named "${secret.name}". Run with --create-secret (it stores GATEWAY_API_KEY), or set ELEVENLABS_SECRET_ID.`,
    );
  }
  report(`secret ${secret.name}: found (${found.secretId})`);
  return found.secretId;
}

export async function findSecret(
  api: ElevenLabsApi,
  name: string,
): Promise<ElevenLabs.ConvAiWorkspaceStoredSecretConfig | undefined> {
  let cursor: string | undefined;
  do {
    const page = await api.conversationalAi.secrets.list({
      search: name,
      pageSize: PAGE_SIZE,
      cursor,
    });
    const found = page.secrets.find((s) => s.name === name);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

export async function listWebhookTools(
  api: ElevenLabsApi,
): Promise<ElevenLabs.ToolResponseModel[]> {
  const tools: ElevenLabs.ToolResponseModel[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.conversationalAi.tools.list({ pageSize: PAGE_SIZE, cursor });
    tools.push(...page.tools.filter((t) => t.toolConfig.type === 'webhook'));
    cursor = page.hasMore ? page.nextCursor : undefined;
  } while (cursor);
  return tools;
}

function nameOf(config: { type: string }): string | undefined {
  return 'name' in config && typeof config.name === 'string' ? config.name : undefined;
}

/** Where we own every key: anything extra there that is not empty means the config differs. */
const OWNED = new Set(['requestBodySchema', 'requestHeaders']);

/**
 * Whether a stored tool already has the config we would send. The API fills defaults we never
 * set (pre_tool_speech, empty dynamic_variable, ...): outside the body schema and the headers
 * those are ignored; inside, only empty ones are.
 */
export function sameToolConfig(desired: unknown, existing: unknown): boolean {
  return same(desired, existing, false);
}

function same(desired: unknown, existing: unknown, owned: boolean): boolean {
  if (isEmpty(desired) && isEmpty(existing)) return true;
  if (Array.isArray(desired)) {
    return (
      Array.isArray(existing) &&
      desired.length === existing.length &&
      desired.every((item, i) => same(item, existing[i], owned))
    );
  }
  if (isObject(desired)) {
    if (!isObject(existing)) return false;
    for (const [key, value] of Object.entries(desired)) {
      if (!same(value, existing[key], owned || OWNED.has(key))) return false;
    }
    return !owned || Object.keys(existing).every((key) => key in desired || isEmpty(existing[key]));
  }
  return desired === existing;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.values(value).every(isEmpty);
}
