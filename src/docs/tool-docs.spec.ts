import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOOLS } from '../tools/default-tools.js';
import { servedTools } from '../tools/tool-registry.js';
import { sendLabReadyTool } from '../../test/support/lab-ready-tool.js';
import { replaceBlock } from './doc-blocks.js';
import { DOCS_COMMAND, GENERATED_BLOCKS, generateDocs, writeDocs } from './tool-docs.js';
import { markdownTable, templateVariablesTable, toolsTable } from './tool-tables.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the docs written from the tool registry', () => {
  it(`match it (when not: run ${DOCS_COMMAND})`, () => {
    const stale = generateDocs(ROOT)
      .filter((f) => f.generated !== f.committed)
      .map((f) => `${f.file} is out of date with the tool registry: run ${DOCS_COMMAND}`);

    expect(stale).toEqual([]);
  });
});

describe('generateDocs', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'docs-'));
    mkdirSync(join(root, 'docs'));
    for (const file of new Set(GENERATED_BLOCKS.map((b) => b.file))) {
      writeFileSync(join(root, file), readFileSync(join(ROOT, file)));
    }
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the docs stale when a tool is added, and up to date once written', () => {
    const tools = servedTools([...DEFAULT_TOOLS, sendLabReadyTool]);

    const stale = generateDocs(root, tools).filter((f) => f.generated !== f.committed);
    expect(stale.map((f) => f.file).sort()).toEqual(
      ['README.md', 'docs/ELEVENLABS.md', 'docs/TEMPLATES.md'].sort(),
    );
    for (const { file, generated } of stale) {
      expect(generated).toContain('send_lab_ready');
      writeFileSync(join(root, file), generated);
    }

    expect(generateDocs(root, tools).every((f) => f.generated === f.committed)).toBe(true);
  });

  it('leaves everything outside the blocks as it was', () => {
    writeFileSync(
      join(root, 'README.md'),
      'before\n<!-- tools:start -->\nold\n<!-- tools:end -->\nafter\n',
    );

    expect(writeDocs(root)).toContain('README.md');
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    expect(text.startsWith('before\n<!-- tools:start -->\n\n| tool ')).toBe(true);
    expect(text.endsWith('|\n\n<!-- tools:end -->\nafter\n')).toBe(true);
    expect(writeDocs(root)).toEqual([]);
  });
});

describe('replaceBlock', () => {
  it('refuses a file without the block, naming the markers', () => {
    expect(() => replaceBlock('no markers', 'tools', 'x')).toThrow(
      'no <!-- tools:start --> ... <!-- tools:end --> block to write the generated text into',
    );
  });

  it('refuses a file with the block twice', () => {
    const block = '<!-- tools:start -->\n<!-- tools:end -->\n';
    expect(() => replaceBlock(block + block, 'tools', 'x')).toThrow(
      'more than one <!-- tools:start --> block',
    );
  });
});

describe('the generated blocks', () => {
  it.each(GENERATED_BLOCKS.map((b) => [b.file, b.block, b] as const))(
    '%s: %s names every served tool that belongs there',
    (_file, block, generated) => {
      const text = generated.content(servedTools());
      const named = servedTools().filter((t) => block !== 'template-variables' || !t.kind);

      expect(named.filter((tool) => !text.includes(tool.name))).toEqual([]);
    },
  );
});

describe('the tables', () => {
  it('pad every column to its widest cell, as Prettier does', () => {
    expect(
      markdownTable(
        ['a', 'long header'],
        [
          ['wide cell', ''],
          ['b', 'c'],
        ],
      ),
    ).toBe(
      [
        '| a         | long header |',
        '| --------- | ----------- |',
        '| wide cell |             |',
        '| b         | c           |',
      ].join('\n'),
    );
  });

  it("list a tool's endpoint, required fields with their values, and its own optional fields", () => {
    const row = toolsTable([sendLabReadyTool]).split('\n')[2];

    expect(row.split('|').map((cell) => cell.trim())).toEqual([
      '',
      'send_lab_ready',
      '`POST /api/sms/send-lab-ready`',
      'phone_number, lab (blood, imaging)',
      '',
      '',
    ]);
  });

  it('say which variables a template may find empty or spelled out, and the choices', () => {
    const table = templateVariablesTable(DEFAULT_TOOLS);

    expect(table).toMatch(
      /\| send_prescription_reminder +\| first_name, medication_name, refill_date \(spelled out, or empty\), pharmacy_name \(or empty\) +\| +\|/,
    );
    expect(table).toMatch(
      /\| send_prior_auth_update +\| first_name +\| status: approved, denied, pending \|/,
    );
  });

  it('leave the status tool out of the template variables: it texts nothing', () => {
    expect(templateVariablesTable(servedTools())).not.toContain('check_text_status');
  });
});
