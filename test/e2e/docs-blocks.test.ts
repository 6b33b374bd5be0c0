/**
 * The ```ts blocks of README.md and docs/*.md compile against kindling's real API, as a user's project sees it: each
 * block is written into a scratch project extending kindling/tsconfig.base.json (with only the scaffolding
 * test/e2e/support/doc-blocks.ts registers), `kindling codegen` generates the state of its @stateful classes, and
 * TypeScript 7 (the fast lane; the project check runs both) type-checks it. A name the docs use that kindling does not
 * export, a wrong option or field name, a missing import fails here with the doc's file and line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type BlockSpec, DOC_BLOCKS, SUPPORT_FILES } from './support/doc-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Inside the repository so that '@tensorflow/tfjs-core' resolves from its node_modules; .tmp/ is ignored by git, and
// a dot directory is outside every tsconfig's include.
const scratch = join(root, '.tmp', `docs-blocks-${process.pid}`);

interface Block {
  readonly doc: string;
  readonly index: number; // 1-based, as the report names it
  readonly line: number; // of the block's first code line in the doc
  readonly code: string;
}

/** The ```ts blocks of a markdown file, including those indented inside a list. */
function tsBlocks(doc: string): Block[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```ts\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^ *```\s*$/.test(lines[end]!)) end++;
    blocks.push({ doc, index: blocks.length + 1, line: start + 1, code: lines.slice(start, end).map((l) => l.slice(indent)).join('\n') });
    i = end;
  }
  return blocks;
}

/** Which doc line a line of a scratch file came from, to report errors where the docs must change. */
type Origin = { readonly block: Block; readonly docLine: number } | null;

interface ScratchFile {
  text: string;
  origins: Origin[];
}

function append(file: ScratchFile, text: string, origin: (lineIndex: number) => Origin): void {
  const lines = text.replace(/\n$/, '').split('\n');
  file.text += `${lines.join('\n')}\n`;
  lines.forEach((_, k) => file.origins.push(origin(k)));
}

function buildProject(): { files: Map<string, ScratchFile>; blocks: Map<string, Block[]> } {
  const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const blocks = new Map(docs.map((doc) => [doc, tsBlocks(doc)] as const));
  const files = new Map<string, ScratchFile>();
  for (const [doc, found] of blocks) {
    const specs: readonly BlockSpec[] = DOC_BLOCKS[doc] ?? [];
    for (const [k, block] of found.entries()) {
      const spec = specs[k];
      if (!spec) continue; // the count check reports it
      const file = files.get(spec.file) ?? { text: '', origins: [] };
      files.set(spec.file, file);
      if (spec.before) append(file, spec.before, () => null);
      let code = block.code;
      let placeholder = -1; // the line of a filled placeholder, and how many lines its filling adds
      let added = 0;
      if (spec.fill) {
        placeholder = block.code.split('\n').findIndex((l) => l.includes(spec.fill![0]));
        if (placeholder < 0) throw new Error(`${doc} block ${block.index}: placeholder ${spec.fill[0]} not found`);
        code = code.replace(spec.fill[0], spec.fill[1]);
        added = spec.fill[1].split('\n').length - 1;
      }
      append(file, code, (i) => ({
        block,
        docLine: block.line + (placeholder < 0 || i <= placeholder ? i : Math.max(placeholder, i - added)),
      }));
      if (spec.after) append(file, spec.after, () => null);
    }
  }
  for (const [path, text] of Object.entries(SUPPORT_FILES)) files.set(path, { text, origins: [] });
  return { files, blocks };
}

function writeProject(files: Map<string, ScratchFile>): void {
  rmSync(scratch, { recursive: true, force: true });
  const paths = {
    kindling: ['../../src/index.ts'],
    'kindling/checkpoint': ['../../src/checkpoint/index.ts'],
    'kindling/runtime': ['../../src/runtime/index.ts'],
  };
  const config = (include: string[]) =>
    JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { noEmit: true, types: ['node'], paths }, include }, null, 2);
  mkdirSync(scratch, { recursive: true });
  writeFileSync(join(scratch, 'tsconfig.json'), config(['src']));
  writeFileSync(join(scratch, 'tsconfig.separate.json'), config(['separate']));
  for (const [path, file] of files) {
    const separate = isSeparate(path);
    const target = join(scratch, separate ? 'separate' : 'src', path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
}

function isSeparate(path: string): boolean {
  return Object.values(DOC_BLOCKS).some((specs) => specs.some((s) => s.file === path && s.separate));
}

function run(args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync(process.execPath, args, { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

interface TscError {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

function tscErrors(project: string): TscError[] {
  const { out } = run([join(root, 'node_modules/typescript7/bin/tsc'), '-p', project, '--pretty', 'false']);
  const errors: TscError[] = [];
  for (const line of out.split('\n')) {
    const m = /^(?:src|separate)\/(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (m) errors.push({ path: m[1]!, line: Number(m[2]), message: m[3]! });
    else if (/error TS\d+/.test(line)) errors.push({ path: '(outside the blocks)', line: 0, message: line });
  }
  return errors;
}

describe('TypeScript blocks of README.md and docs/*.md', () => {
  const { files, blocks } = buildProject();
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('every block is registered in test/e2e/support/doc-blocks.ts', () => {
    const counts = Object.fromEntries([...blocks].filter(([, b]) => b.length > 0).map(([doc, b]) => [doc, b.length]));
    const registered = Object.fromEntries(Object.entries(DOC_BLOCKS).map(([doc, specs]) => [doc, specs.length]));
    expect(counts).toEqual(registered);
  });

  it('compile as a user project compiles them, with only the errors the docs show on purpose', () => {
    writeProject(files);
    const codegen = run([join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'src/cli/bin.ts'), 'codegen', '-p', 'tsconfig.json']);
    expect(codegen.ok, `kindling codegen failed on the doc blocks:\n${codegen.out}`).toBe(true);

    const located = [...tscErrors('tsconfig.json'), ...tscErrors('tsconfig.separate.json')].map((error) => {
      const origin = files.get(error.path)?.origins[error.line - 1];
      const where = origin ? `${origin.block.doc}:${origin.docLine} (block ${origin.block.index})` : `${error.path}:${error.line} (scaffolding)`;
      return { ...error, where, origin };
    });
    const expected = Object.entries(DOC_BLOCKS).flatMap(([doc, specs]) =>
      specs.flatMap((spec, k) => (spec.errors ?? []).map((message) => ({ doc, index: k + 1, message }))),
    );
    const isExpected = (e: (typeof located)[number]) =>
      expected.some((x) => e.origin?.block.doc === x.doc && e.origin.block.index === x.index && e.message.includes(x.message));
    const unexpected = located.filter((e) => !isExpected(e)).map((e) => `${e.where}: ${e.message}`);
    const missing = expected
      .filter((x) => !located.some((e) => e.origin?.block.doc === x.doc && e.origin.block.index === x.index && e.message.includes(x.message)))
      .map((x) => `${x.doc} block ${x.index}: ${x.message}`);
    // unexpected: fix the doc, or the API it describes; missing: an error a doc shows that tsc no longer reports.
    expect({ unexpected, missing }).toEqual({ unexpected: [], missing: [] });
  });
});
