#!/usr/bin/env node
import 'reflect-metadata';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AppModule } from '../../app.module.js';
import { ElevenLabsService, type ToolExport } from './elevenlabs.service.js';
import { buildPromptSnippet } from './prompt-snippet.js';
import { buildElevenLabsTools } from './tool-definitions.js';
import { SyncError, syncTools } from './tool-sync.js';

const USAGE = `Usage: node dist/agents/elevenlabs/cli.js <command>

  tools                               print the tool bodies for POST /v1/convai/tools (JSON)
  prompt                              print the system-prompt snippet for the tools
  sync --agent <agent_id> [--create-secret]
                                      create or update the tools in ElevenLabs and attach them

sync reads ELEVENLABS_API_KEY, ELEVENLABS_BASE_URL (optional), PUBLIC_BASE_URL, and with
--create-secret GATEWAY_API_KEY (the key ElevenLabs sends as X-API-Key). See docs/ELEVENLABS.md.`;

export interface CliCommand {
  command: 'tools' | 'prompt' | 'sync';
  agentId?: string;
  createSecret: boolean;
}

export function parseCommand(argv: string[]): CliCommand {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      agent: { type: 'string' },
      'create-secret': { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (command !== 'tools' && command !== 'prompt' && command !== 'sync') {
    throw new UsageError(command ? `Unknown command "${command}".` : 'No command given.');
  }
  if (rest.length > 0) throw new UsageError(`Unexpected argument "${rest[0]}".`);
  if (command === 'sync' && !values.agent) throw new UsageError('sync needs --agent <agent_id>.');
  return { command, agentId: values.agent, createSecret: values['create-secret'] ?? false };
}

class UsageError extends Error {}

/**
 * Boots the app in memory to read its OpenAPI document, then closes it. It never opens the
 * configured database or Redis, and nothing the boot prints reaches stdout, which carries
 * only the result so it can be piped.
 */
export async function readToolExport(): Promise<ToolExport> {
  process.env.DATABASE_URL = '';
  process.env.SQLITE_PATH = ':memory:';
  process.env.REDIS_URL = '';
  // Nor the metrics listener, whose port the running service already holds.
  process.env.METRICS_PORT = '';
  // Without API_KEYS the app would print a development key that this process never serves.
  process.env.API_KEYS ||= `cli:${randomBytes(24).toString('base64url')}`;
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr);
  try {
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
      bodyParser: false,
      abortOnError: false,
      logger: ['error', 'warn'],
    });
    try {
      await app.init();
      return app.get(ElevenLabsService).toolExport();
    } finally {
      await app.close();
    }
  } finally {
    process.stdout.write = stdoutWrite;
  }
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new SyncError(`${name} is not set.`);
  return value;
}

async function run(command: CliCommand): Promise<void> {
  const exported = await readToolExport();
  const { document, tools, settings } = exported;
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const warn = (text: string) => process.stderr.write(`${text}\n`);

  if (command.command !== 'sync') {
    const bodies = buildElevenLabsTools(document, tools, settings);
    for (const variable of exported.placeholders) {
      warn(`${variable} is not set: the output holds a placeholder for it.`);
    }
    print(
      command.command === 'tools'
        ? JSON.stringify(bodies, null, 2)
        : buildPromptSnippet(bodies, settings.recipientPolicy),
    );
    return;
  }

  if (exported.placeholders.includes('PUBLIC_BASE_URL')) {
    throw new SyncError(
      'PUBLIC_BASE_URL is not set: ElevenLabs needs the URL it reaches this service at.',
    );
  }
  if (!settings.publicBaseUrl.startsWith('https://')) {
    warn(
      `PUBLIC_BASE_URL is ${settings.publicBaseUrl}: ElevenLabs should reach the service over https.`,
    );
  }
  const client = new ElevenLabsClient({
    apiKey: required('ELEVENLABS_API_KEY'),
    baseUrl: process.env.ELEVENLABS_BASE_URL?.trim() || undefined,
  });
  const result = await syncTools(client, {
    agentId: command.agentId as string,
    definitions: (secretId) => buildElevenLabsTools(document, tools, { ...settings, secretId }),
    secret: {
      ...exported.secret,
      value: command.createSecret ? required('GATEWAY_API_KEY') : undefined,
    },
    report: print,
    warn,
  });
  const bodies = buildElevenLabsTools(document, tools, { ...settings, secretId: result.secretId });
  print("\nAdd this to the agent's system prompt:\n");
  print(buildPromptSnippet(bodies, settings.recipientPolicy));
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await run(command);
  } catch (error) {
    process.stderr.write(`${describe(error)}\n`);
    process.exitCode = 1;
  }
}

/** A bad setting or an API refusal, in one line; a stack only for the unexpected. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error instanceof SyncError || error.name === 'ConfigError') return error.message;
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined) {
    const body = JSON.stringify((error as { body?: unknown }).body ?? '');
    return `ElevenLabs answered ${status}: ${body}`;
  }
  return error.stack ?? error.message;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
