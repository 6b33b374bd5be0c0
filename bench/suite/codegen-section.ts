/**
 * Items 6 and 7 of the suite. 6: generated stateDict()+loadStateDict() against hand-written code, the reflective
 * engine and class-transformer (bench/codegen/runtime-compare.ts: contenders interleaved, order rotating, per-round
 * ratios). 7: cold `kindling codegen` (a fresh process, no generated files yet) over synthetic projects of 100 and
 * 500 components, and a watch-mode regeneration after one file changes (watch-regeneration.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BenchScheduler } from '../codegen/bench-component.js';
import { benchValues, fill } from '../codegen/bench-values.js';
import { buildKindling, type BuiltKindling } from '../codegen/built-kindling.js';
import { runCodegenCli } from '../codegen/cold-codegen.js';
import { HandWrittenScheduler } from '../codegen/hand-written.js';
import { ReflectiveScheduler } from '../codegen/reflective-component.js';
import { contenders, measure, type RuntimeResult } from '../codegen/runtime-compare.js';
import { writeSyntheticProject } from '../codegen/synthetic-project.js';
import { median, rotate } from '../helpers/stats.js';
import type { Row } from './rows.js';
import type { Spread } from './samples.js';
import { regenerationWork } from './watch-breakdown.js';
import { measureWatch } from './watch-regeneration.js';
import { dirtyKb, quiesce, type QuiesceOptions } from './writeback.js';

export interface CodegenOptions {
  readonly repo: string;
  readonly runtimeRounds: number;
  readonly coldRuns: number;
  readonly sizes: readonly number[];
  readonly watchEdits: number;
  /** Component count of the project the watch runs in. */
  readonly watchSize: number;
  readonly quiesce: QuiesceOptions;
  readonly log: (line: string) => void;
}

export interface CodegenResult {
  readonly rows: Row[];
  readonly raw: Record<string, unknown>;
  readonly notes: string[];
}

function machineNow(): { loadAverage: number; dirtyKb: number } {
  return { loadAverage: loadavg()[0] ?? Number.NaN, dirtyKb: dirtyKb() };
}

function spreadOf(values: readonly number[], machine: readonly { loadAverage: number; dirtyKb: number }[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
    loadAverage: median(machine.map((m) => m.loadAverage)),
    dirtyKb: median(machine.map((m) => m.dirtyKb)),
  };
}

/** The implementations must save the same state, or the comparison would be meaningless. */
function checkSameState(): void {
  const generated = fill(new BenchScheduler(), benchValues()).stateDict();
  for (const other of [new HandWrittenScheduler(), new ReflectiveScheduler()]) {
    const saved = fill(other, benchValues()).stateDict();
    if (!isDeepStrictEqual(generated, saved)) throw new Error(`${other.constructor.name} saves a different state than the generated code`);
    const reloaded = other.constructor === HandWrittenScheduler ? new HandWrittenScheduler() : new ReflectiveScheduler();
    reloaded.loadStateDict(generated as never);
    if (!isDeepStrictEqual(reloaded.stateDict(), generated)) throw new Error(`${other.constructor.name} does not round-trip the generated state`);
  }
}

function runtimeRows(options: CodegenOptions, raw: Record<string, unknown>): Row[] {
  checkSameState();
  const settings = { opsPerRound: 20_000, warmupRounds: 3, rounds: options.runtimeRounds };
  const c = contenders();
  const pairs: { key: 'handWritten' | 'reflective' | 'classTransformer' | 'save' | 'load'; a: string; b: string; what: string; target?: Row['target'] }[] = [
    { key: 'handWritten', a: 'generated', b: 'hand-written', what: 'generated ÷ hand-written, stateDict()+loadStateDict() time', target: { op: '≤', value: 1.2 } },
    { key: 'reflective', a: 'reflective', b: 'generated', what: 'reflective engine ÷ generated, stateDict()+loadStateDict() time' },
    { key: 'classTransformer', a: 'class-transformer', b: 'generated', what: 'class-transformer ÷ generated, save+restore time', target: { op: '≥', value: 10 } },
    // The breakdown of the first ratio: each half on its own.
    { key: 'save', a: 'generated', b: 'hand-written', what: 'generated ÷ hand-written, stateDict() only' },
    { key: 'load', a: 'generated', b: 'hand-written', what: 'generated ÷ hand-written, loadStateDict() only (same state again and again)' },
  ];
  const rows: Row[] = [];
  for (const p of pairs) {
    options.log(`codegen runtime: ${p.a} vs ${p.b}, ${settings.rounds} rounds…`);
    const before = machineNow();
    const results = measure(c[p.key], settings);
    const after = machineNow();
    raw[`runtime.${p.key}`] = results;
    const named = (name: string): RuntimeResult => results.find((r) => r.name === name)!;
    const a = named(p.a);
    const b = named(p.b);
    const ratios = a.rounds.map((x, i) => x / b.rounds[i]!);
    rows.push({
      item: '6',
      what: p.what,
      unit: '×',
      figure: spreadOf(ratios, [before, after]),
      ...(p.target ? { target: p.target } : {}),
      note: `${p.a} ${a.nsPerOp.toFixed(0)} ns/op vs ${p.b} ${b.nsPerOp.toFixed(0)} ns/op (medians of ${settings.opsPerRound} ops per round)`,
    });
  }
  return rows;
}

function removeGenerated(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.state.generated.ts')) rmSync(join(entry.parentPath, entry.name));
  }
}

function countGenerated(dir: string): number {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.state.generated.ts')).length;
}

type Variant = 'built' | 'source';

async function coldAndWatchRows(options: CodegenOptions, raw: Record<string, unknown>): Promise<Row[]> {
  const rows: Row[] = [];
  options.log('codegen: building kindling (tsc -p tsconfig.build.json) for the runs of the compiled CLI…');
  const built = buildKindling(options.repo);
  try {
    for (const size of options.sizes) {
      const dirs = { built: mkdtempSync(join(tmpdir(), `kindling-bench-codegen-${size}-built-`)), source: mkdtempSync(join(tmpdir(), `kindling-bench-codegen-${size}-`)) };
      try {
        await coldRowsFor(options, raw, rows, size, dirs, built);
      } finally {
        for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    built.remove();
  }
  return rows;
}

/**
 * Cold runs of the compiled CLI over a project that resolves `kindling` to declarations (what a user runs: the target
 * row), alternating with runs from source through tsx over `src/index.ts` (this repository's `npm run codegen`; the
 * figure earlier runs reported), and the watch figures in the source project.
 */
async function coldRowsFor(
  options: CodegenOptions,
  raw: Record<string, unknown>,
  rows: Row[],
  size: number,
  dirs: Record<Variant, string>,
  built: BuiltKindling,
): Promise<void> {
  const projects = {
    built: writeSyntheticProject({ dir: dirs.built, classes: size, kindlingEntry: built.entry, typeRoots: join(options.repo, 'node_modules/@types') }),
    source: writeSyntheticProject({ dir: dirs.source, classes: size, kindlingEntry: join(options.repo, 'src/index.ts'), typeRoots: join(options.repo, 'node_modules/@types') }),
  };
  const runs: Record<Variant, { seconds: number; cpuSeconds?: number; loadAverage: number; dirtyKb: number }[]> = { built: [], source: [] };
  for (let i = 0; i < options.coldRuns; i++) {
    for (const variant of rotate<Variant>(['built', 'source'], i)) {
      const dir = dirs[variant];
      removeGenerated(dir);
      const before = quiesce(options.quiesce);
      const run = runCodegenCli(options.repo, dir, [], variant === 'built' ? built.bin : undefined);
      if (run.exitCode !== 0) throw new Error(`codegen (${variant}) over ${size} components failed (exit ${run.exitCode}):\n${run.stdout}\n${run.stderr}`);
      const generated = countGenerated(dir);
      if (generated !== size) throw new Error(`codegen (${variant}) over ${size} components wrote ${generated} generated files`);
      runs[variant].push({ seconds: run.seconds, ...(run.cpuSeconds === undefined ? {} : { cpuSeconds: run.cpuSeconds }), loadAverage: before.loadAverage, dirtyKb: before.dirtyKb });
      options.log(`  codegen (${variant}) ${size} components, run ${i}: ${run.seconds.toFixed(2)} s wall, ${run.cpuSeconds?.toFixed(2) ?? '?'} s CPU, load ${before.loadAverage.toFixed(1)}`);
    }
  }
  for (const variant of ['built', 'source'] as const) {
    // The generated project must compile, or the timing would be of a broken generator.
    try {
      execFileSync(process.execPath, [join(options.repo, 'node_modules/typescript7/bin/tsc'), '-p', projects[variant].tsconfig], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const out = (e as { stdout?: string }).stdout ?? '';
      throw new Error(`the generated ${size}-component project (${variant}) does not type-check:\n${out.split('\n').slice(0, 20).join('\n')}`);
    }
    raw[`cold.${size}${variant === 'built' ? '' : '.source'}`] = runs[variant];
    const cpu = runs[variant].flatMap((r) => (r.cpuSeconds === undefined ? [] : [r.cpuSeconds]));
    const cpuNote = `CPU (user+sys) median ${cpu.length ? `${median(cpu).toFixed(2)} s` : 'n/a'}; the generated project type-checks (TypeScript 7)`;
    rows.push(
      variant === 'built'
        ? {
            item: '7',
            what: `cold \`kindling codegen\`, ${size} components (${projects.built.fieldCount} fields), fresh process, wall: the compiled CLI, \`kindling\` resolved to its declarations (as in a user's project)`,
            unit: 's',
            figure: spreadOf(runs.built.map((r) => r.seconds), runs.built),
            ...(size === 500 ? { target: { op: '≤', value: 5 } as const } : {}),
            note: cpuNote,
          }
        : {
            item: '7',
            what: `same from source: \`npm run codegen\` (tsx) with \`kindling\` mapped to src/index.ts, ${size} components`,
            unit: 's',
            figure: spreadOf(runs.source.map((r) => r.seconds), runs.source),
            note: `reference (the figure before 2026-12-03): tsx compiles the CLI and codegen parses kindling's sources, which a user's install does not; ${cpuNote}`,
          },
    );
  }
  if (size !== options.watchSize) return;
  const dir = dirs.source;
  const project = projects.source;
  options.log(`codegen --watch over ${size} components, ${options.watchEdits} edits…`);
  const components = project.sourceFiles.filter((f) => f.includes('/components/'));
  const edits = await measureWatch(options.repo, dir, components, options.watchEdits);
  raw[`watch.${size}`] = edits;
  rows.push({
    item: '7',
    what: `\`codegen --watch\`: one file edited → its generated file on disk, ${size} components`,
    unit: 's',
    figure: spreadOf(edits.map((e) => e.seconds), edits),
    target: { op: '≤', value: 0.5 },
    note: 'includes chokidar change detection and the 100 ms debounce',
  });
  const before = machineNow();
  const work = regenerationWork(dir, components, options.watchEdits);
  raw[`watch.work.${size}`] = work;
  rows.push({
    item: '7',
    what: `watch breakdown: the regeneration work alone (scan update + emit + write), in-process, ${size} components`,
    unit: 's',
    figure: spreadOf(work, [before, machineNow()]),
    note: 'the rest of the watch figure is change detection, the 100 ms debounce and scheduling',
  });
}

export async function runCodegenSection(options: CodegenOptions): Promise<CodegenResult> {
  const raw: Record<string, unknown> = {};
  const rows = [...runtimeRows(options, raw), ...(await coldAndWatchRows(options, raw))];
  const notes: string[] = [];
  for (const r of rows) {
    if (!r.figure || !r.target) continue;
    const ok = r.target.op === '≥' ? r.figure.median >= r.target.value : r.figure.median <= r.target.value;
    if (!ok) notes.push(`Item ${r.item} missed: ${r.what}: ${r.figure.median.toFixed(2)}${r.unit} (${r.note ?? ''}) at load average ${r.figure.loadAverage.toFixed(1)}.`);
  }
  return { rows, raw, notes };
}
