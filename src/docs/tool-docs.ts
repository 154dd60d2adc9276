import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPromptSnippet } from '../agents/elevenlabs/prompt-snippet.js';
import type { ToolDefinition } from '../tools/tool-definition.js';
import { servedTools } from '../tools/tool-registry.js';
import { replaceBlock } from './doc-blocks.js';
import { templateVariablesTable, toolsTable } from './tool-tables.js';

/** The command that rewrites the generated blocks. */
export const DOCS_COMMAND = 'npm run docs:tools';

/** A block of a document that is written from the tool registry, never by hand. */
interface GeneratedBlock {
  /** Relative to the repository root. */
  file: string;
  block: string;
  content(tools: readonly ToolDefinition[]): string;
}

export const GENERATED_BLOCKS: readonly GeneratedBlock[] = [
  { file: 'README.md', block: 'tools', content: toolsTable },
  {
    file: 'docs/ELEVENLABS.md',
    block: 'prompt',
    // What `npm run elevenlabs:prompt` prints with RECIPIENT_POLICY=any.
    content: (tools) =>
      [
        '```text',
        buildPromptSnippet(
          tools.map(({ name, description }) => ({ tool_config: { name, description } })),
          'any',
        ),
        '```',
      ].join('\n'),
  },
  {
    file: 'docs/ELEVENLABS.md',
    block: 'sync-output',
    // What `npm run elevenlabs:sync` reports on its first run for an agent with one tool.
    content: (tools) =>
      [
        '```text',
        'secret agent-sms-gateway-api-key: created (secret_...)',
        ...tools.map((tool) => `${tool.name}: created (tool_...)`),
        `agent agent_0123456789: attached ${tools.length} tool(s); it now has ${tools.length + 1}`,
        '```',
      ].join('\n'),
  },
  { file: 'docs/TEMPLATES.md', block: 'template-variables', content: templateVariablesTable },
];

export interface GeneratedFile {
  file: string;
  committed: string;
  generated: string;
}

/** Each file with generated blocks: as it is under `root`, and as the registry writes it. */
export function generateDocs(
  root: string,
  tools: readonly ToolDefinition[] = servedTools(),
): GeneratedFile[] {
  const files = [...new Set(GENERATED_BLOCKS.map((b) => b.file))];
  return files.map((file) => {
    const committed = readFileSync(join(root, file), 'utf8');
    const generated = GENERATED_BLOCKS.filter((b) => b.file === file).reduce(
      (text, b) => replaceBlock(text, b.block, b.content(tools)),
      committed,
    );
    return { file, committed, generated };
  });
}

/** Writes the files whose blocks are out of date; returns their names. */
export function writeDocs(root: string): string[] {
  const stale = generateDocs(root).filter((f) => f.generated !== f.committed);
  for (const { file, generated } of stale) writeFileSync(join(root, file), generated);
  return stale.map((f) => f.file);
}
