/**
 * The codegen benchmark (`npm run bench:codegen`; never part of `npm test`):
 *   (a) cold `kindling codegen` over 500 synthetic components (target ≤ 5 s, median of fresh processes);
 *   (b) generated stateDict()+loadStateDict() vs a hand-written implementation (target ≤ 1.2×);
 *   (c) the same vs class-transformer instanceToPlain()+plainToInstance() (target ≥ 10× faster).
 * Prints a Markdown report for BENCHMARKS.md. Options: `--classes N`, `--cold-runs N`, `--skip-cold`, `--skip-runtime`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { BenchScheduler } from './codegen/bench-component.js';
import { benchValues, fill } from './codegen/bench-values.js';
import { HandWrittenScheduler } from './codegen/hand-written.js';
import { type ColdRun, runCodegenCli } from './codegen/cold-codegen.js';
import { contenders, measure, type RuntimeResult } from './codegen/runtime-compare.js';
import { fixed, max, median, min } from './codegen/stats.js';
import { writeSyntheticProject } from './codegen/synthetic-project.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} needs a positive integer`);
  return value;
}

const CLASSES = option('classes', 500);
const COLD_RUNS = option('cold-runs', 5);
const ROUNDS = option('rounds', 25);
const lines: string[] = [];
const report = (line = '') => {
  lines.push(line);
  console.log(line);
};

function countGenerated(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.state.generated.ts')) n++;
  }
  return n;
}

function cold(): void {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-codegen-bench-'));
  try {
    const project = writeSyntheticProject({
      dir,
      classes: CLASSES,
      kindlingEntry: join(REPO_ROOT, 'src/index.ts'),
      typeRoots: join(REPO_ROOT, 'node_modules/@types'),
    });
    report(`### (a) Cold codegen, ${CLASSES} components (${project.fieldCount} persisted fields, ${project.sourceFiles.length} files)`);
    report();
    const first = runCodegenCli(REPO_ROOT, dir);
    if (first.exitCode !== 0) throw new Error(`codegen failed (exit ${first.exitCode}):\n${first.stdout}\n${first.stderr}`);
    const generated = countGenerated(dir);
    if (generated !== CLASSES) throw new Error(`expected ${CLASSES} generated files, found ${generated}`);

    // The generated project must compile, or the timing would be of a broken generator.
    const tsc7 = join(REPO_ROOT, 'node_modules/typescript7/bin/tsc');
    try {
      execFileSync(process.execPath, [tsc7, '-p', project.tsconfig], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const out = (e as { stdout?: string }).stdout ?? '';
      throw new Error(`the generated synthetic project does not type-check:\n${out.split('\n').slice(0, 20).join('\n')}`);
    }

    // Regenerate and check alternately, so that a change of machine load hits both alike.
    const write: ColdRun[] = [];
    const check: ColdRun[] = [];
    for (let i = 0; i < COLD_RUNS; i++) {
      write.push(runCodegenCli(REPO_ROOT, dir));
      check.push(runCodegenCli(REPO_ROOT, dir, ['--check']));
    }
    for (const r of [...write, ...check]) {
      if (r.exitCode !== 0) throw new Error(`codegen run failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
    }
    const cpu = (runs: readonly ColdRun[]) => runs.map((r) => r.cpuSeconds).filter((c): c is number => c !== undefined);
    const rss = (runs: readonly ColdRun[]) => runs.map((r) => r.maxRssMiB).filter((c): c is number => c !== undefined);
    const row = (label: string, runs: readonly ColdRun[]) => {
      const wall = runs.map((r) => r.seconds);
      const c = cpu(runs);
      const m = rss(runs);
      report(
        `| ${label} | ${fixed(median(wall))} s | ${fixed(min(wall))}–${fixed(max(wall))} s | ` +
          `${c.length ? `${fixed(median(c))} s` : 'n/a'} | ${m.length ? `${fixed(median(m), 0)} MiB` : 'n/a'} | ${runs.length} |`,
      );
    };
    report('| run (fresh process each) | wall median | wall range | CPU (user+sys) median | peak RSS | runs |');
    report('|---|---|---|---|---|---|');
    row('first generation (no generated files yet)', [first]);
    row('`codegen` (regenerate, files exist)', write);
    row('`codegen --check` (nothing stale)', check);
    report();
    report(`Generated project type-checks with TypeScript 7 (\`tsc -p\` on the synthetic project): yes. Target ≤ 5 s: ` +
      `${median(write.map((r) => r.seconds)) <= 5 ? 'met' : 'MISSED'} (wall median of \`codegen\`).`);
    report();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runtimeTable(title: string, results: readonly RuntimeResult[], baseline: string): void {
  const base = results.find((r) => r.name === baseline)!;
  report(`| ${title} | median ns/op | range ns/op | vs ${baseline} |`);
  report('|---|---|---|---|');
  for (const r of results) {
    report(`| ${r.name} | ${fixed(r.nsPerOp, 0)} | ${fixed(min(r.rounds), 0)}–${fixed(max(r.rounds), 0)} | ${fixed(r.nsPerOp / base.nsPerOp)}× |`);
  }
  report();
}

/** The implementations must save the same state, or the comparison would be meaningless. */
function checkSameState(): void {
  const generated = fill(new BenchScheduler(), benchValues()).stateDict();
  const hand = fill(new HandWrittenScheduler(), benchValues()).stateDict();
  if (!isDeepStrictEqual(generated, hand)) {
    throw new Error(`hand-written and generated states differ:\n${String(generated)}\n${String(hand)}`);
  }
  const reloaded = new HandWrittenScheduler();
  reloaded.loadStateDict(generated);
  if (!isDeepStrictEqual(reloaded.stateDict(), generated)) throw new Error('hand-written load does not round-trip');
}

function runtime(): void {
  const options = { opsPerRound: 20_000, warmupRounds: 5, rounds: ROUNDS };
  report(`### (b, c) Runtime: one scheduler component with 12 fields (100-element history, 10 metrics, a Map, a Date, …)`);
  report();
  report(`${options.rounds} interleaved rounds of ${options.opsPerRound} operations after ${options.warmupRounds} warm-up rounds; medians.`);
  report();
  checkSameState();
  const c = contenders();
  const vsHand = measure(c.handWritten, options);
  runtimeTable('(b) stateDict() + loadStateDict()', vsHand, 'generated');
  const vsTransformer = measure(c.classTransformer, options);
  runtimeTable('(c) save + restore', vsTransformer, 'generated');
  runtimeTable('stateDict() only', measure(c.save, options), 'generated');
  runtimeTable('loadStateDict() only', measure(c.load, options), 'generated');
  const named = (list: readonly RuntimeResult[], name: string) => list.find((r) => r.name === name)!;
  // Per-round ratios pair measurements taken within one round (a second or so apart), which a shared machine's
  // changing load disturbs less than the ratio of two medians.
  const perRound = (a: RuntimeResult, b: RuntimeResult) => median(a.rounds.map((x, i) => x / b.rounds[i]!));
  const gen = named(vsHand, 'generated');
  const hand = named(vsHand, 'hand-written');
  const gen2 = named(vsTransformer, 'generated');
  const ct = named(vsTransformer, 'class-transformer');
  const handRatio = [gen.nsPerOp / hand.nsPerOp, perRound(gen, hand)] as const;
  const ctRatio = [ct.nsPerOp / gen2.nsPerOp, perRound(ct, gen2)] as const;
  report('| ratio | ratio of medians | median of per-round ratios | target | met? |');
  report('|---|---|---|---|---|');
  report(`| generated ÷ hand-written (time) | ${fixed(handRatio[0])}× | ${fixed(handRatio[1])}× | ≤ 1.2× | ${handRatio.every((r) => r <= 1.2) ? 'yes' : handRatio.some((r) => r <= 1.2) ? 'borderline' : '**no**'} |`);
  report(`| class-transformer ÷ generated (time) | ${fixed(ctRatio[0])}× | ${fixed(ctRatio[1])}× | ≥ 10× | ${ctRatio.every((r) => r >= 10) ? 'yes' : ctRatio.some((r) => r >= 10) ? 'borderline' : '**no**'} |`);
  report();
}

report(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${fixed(totalmem() / 2 ** 30, 1)} GiB RAM ` +
  `(${fixed(freemem() / 2 ** 30, 1)} GiB free), Node ${process.version}, ${new Date().toISOString()}, ` +
  `load average at start ${loadavg().map((l) => fixed(l)).join(' / ')} (the machine is shared: a load above ${cpus().length} inflates every figure)`);
report();
if (!process.argv.includes('--skip-cold')) cold();
if (!process.argv.includes('--skip-runtime')) runtime();
