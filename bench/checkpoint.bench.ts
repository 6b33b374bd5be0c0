/**
 * Checkpoint benchmark: kindling's save/load against raw file IO, memcpy and (when available) torch on a ~1 GiB
 * training state. Run with `npm run bench:checkpoint`; never part of `npm test`.
 *
 * Every operation runs in a fresh child process (so each peak RSS is that operation's own), operations are
 * interleaved and repeated in rotated order (the machine is shared and noisy), and medians are reported.
 * Environment: KINDLING_BENCH_ROUNDS (default 5), KINDLING_BENCH_MODEL=quick (the suite's 120 MiB quick-mode state), KINDLING_BENCH_DIR (where to create the scratch directory;
 * default <repo>/.tmp/, on the same disk as the repository), KINDLING_BENCH_JSON (also write the raw results there), KINDLING_BENCH_REPORT_FROM (print the
 * report of such a file again, measuring nothing).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildOp, ChildResult } from './helpers/checkpoint-ops.js';
import { parameterSpecs, stateBytes } from './helpers/checkpoint-state.js';
import type { EvictionMethod } from './helpers/page-cache.js';
import { compileChild } from './helpers/compile-child.js';
import { evictFromPageCache, warmPageCache } from './helpers/page-cache.js';
import { median, rotate } from './helpers/stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = dirname(here);
const ROUNDS = Number(process.env['KINDLING_BENCH_ROUNDS'] ?? 5);
const PYTHON = '/usr/bin/python3';
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TMPFS_MAGIC = 0x01021994;

type Cache = 'cold' | 'warm';
interface Measurement extends ChildResult {
  readonly label: string;
  readonly round: number;
  /** The machine's 1-minute load average when the child finished: how much else was competing for the 2 cores. */
  readonly loadAverage: number;
}

const results: Measurement[] = [];
const evictions = new Set<EvictionMethod>();

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function parseChild(label: string, round: number, stdout: string): Measurement {
  const last = stdout.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(last) as ChildResult;
  const m = { ...parsed, label, round, loadAverage: loadavg()[0] ?? NaN };
  results.push(m);
  const extra = m.extraSeconds === undefined ? '' : ` (+${m.extraSeconds.toFixed(2)} s in background)`;
  log(`  round ${round} ${label.padEnd(22)} ${m.seconds.toFixed(3)} s${extra}  peak RSS ${(m.peakRssBytes / MiB).toFixed(0)} MiB  load ${m.loadAverage.toFixed(1)}`);
  return m;
}

/** The compiled child script (set once in main). */
let childScript = '';

function runNode(op: ChildOp, file: string, label: string, round: number): Measurement {
  const child = spawnSync(process.execPath, [childScript, op, file], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
  });
  if (child.status !== 0) throw new Error(`${label} failed (exit ${child.status}):\n${child.stderr}`);
  return parseChild(label, round, child.stdout);
}

function runTorch(op: 'save' | 'load', file: string, spec: string, label: string, round: number): Measurement {
  const child = spawnSync(PYTHON, [join(here, 'helpers', 'torch_child.py'), op, file, spec], { encoding: 'utf8', maxBuffer: 16 * MiB });
  if (child.status !== 0) throw new Error(`${label} failed (exit ${child.status}):\n${child.stderr}`);
  return parseChild(label, round, child.stdout);
}

function hasTorch(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function prepareCache(file: string, cache: Cache): void {
  if (cache === 'cold') evictions.add(evictFromPageCache(file));
  else warmPageCache(file);
}

function runRound(round: number, dir: string, spec: string, torch: boolean): void {
  const file = (name: string): string => join(dir, name);
  const writes: (() => void)[] = [
    () => runNode('raw-write', file('raw.bin'), 'raw write', round),
    () => runNode('raw-write-fsync', file('raw-fsync.bin'), 'raw write + fsync', round),
    () => runNode('save', file('state.kindling'), 'save', round),
    () => runNode('save-nocrc', file('nocrc.kindling'), 'save, no checksums', round),
    () => runNode('checksum', file('unused'), 'checksum of the state (no IO)', round),
    () => runNode('async-save', file('async.kindling'), 'async save', round),
    () => runNode('memcpy-slice', file('unused'), 'memcpy (slice)', round),
    () => runNode('memcpy-set', file('unused'), 'memcpy (set)', round),
    () => runNode('idle', file('unused'), 'idle process', round),
  ];
  if (torch) writes.push(() => runTorch('save', file('state.pt'), spec, 'torch.save', round));
  for (const write of rotate(writes, round)) write();

  for (const cache of rotate<Cache>(['cold', 'warm'], round)) {
    const reads: (() => void)[] = [
      () => (prepareCache(file('state.kindling'), cache), runNode('raw-read', file('state.kindling'), `raw read (${cache})`, round)),
      () => (prepareCache(file('state.kindling'), cache), runNode('load', file('state.kindling'), `load (${cache})`, round)),
      () => (prepareCache(file('state.kindling'), cache), runNode('load-noverify', file('state.kindling'), `load, no verify (${cache})`, round)),
      () => (prepareCache(file('state.kindling'), cache), runNode('load-into', file('state.kindling'), `load into (${cache})`, round)),
    ];
    if (torch) reads.push(() => (prepareCache(file('state.pt'), cache), runTorch('load', file('state.pt'), spec, `torch.load (${cache})`, round)));
    for (const read of rotate(reads, round)) read();
  }
  for (const name of ['raw.bin', 'raw-fsync.bin', 'state.kindling', 'nocrc.kindling', 'async.kindling', 'state.pt']) rmSync(file(name), { force: true });
}

interface Summary {
  readonly label: string;
  readonly seconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly extraSeconds?: number;
  readonly peakRssBytes: number;
  readonly runs: number;
}

function summarize(): Map<string, Summary> {
  const byLabel = new Map<string, Measurement[]>();
  for (const m of results) byLabel.set(m.label, [...(byLabel.get(m.label) ?? []), m]);
  const out = new Map<string, Summary>();
  for (const [label, ms] of byLabel) {
    const seconds = ms.map((m) => m.seconds);
    const extras = ms.flatMap((m) => (m.extraSeconds === undefined ? [] : [m.extraSeconds]));
    out.set(label, {
      label,
      seconds: median(seconds),
      minSeconds: Math.min(...seconds),
      maxSeconds: Math.max(...seconds),
      ...(extras.length ? { extraSeconds: median(extras) } : {}),
      peakRssBytes: median(ms.map((m) => m.peakRssBytes)),
      runs: ms.length,
    });
  }
  return out;
}

/** Median over rounds of the per-round ratio a/b (pairs measured close together, so drift cancels). */
function pairedRatio(a: string, b: string): number {
  const ratios: number[] = [];
  const rounds = new Set(results.map((m) => m.round)).size;
  for (let r = 0; r < rounds; r++) {
    const x = results.find((m) => m.label === a && m.round === r);
    const y = results.find((m) => m.label === b && m.round === r);
    if (x && y) ratios.push(x.seconds / y.seconds);
  }
  return median(ratios);
}

function machine(dir: string): Record<string, string> {
  const sh = (cmd: string, args: string[]): string => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    date: new Date().toISOString(),
    node: process.version,
    nproc: sh('nproc', []),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / GiB).toFixed(1)} GiB total, ${(freemem() / GiB).toFixed(1)} GiB free at start`,
    disk: sh('df', ['-hT', dir]).split('\n').pop() ?? 'unknown',
    commit: sh('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']),
  };
}

function report(torchVersion: string | undefined, info: Record<string, string>): void {
  const s = summarize();
  const bytes = stateBytes();
  const rows = [...s.values()].map((x) => {
    const rate = x.label.startsWith('idle') ? '' : `${(bytes / GiB / x.seconds).toFixed(2)} GiB/s`;
    const bg = x.extraSeconds === undefined ? '' : ` (+${x.extraSeconds.toFixed(2)} s background)`;
    return `| ${x.label} | ${x.seconds.toFixed(3)}${bg} | ${x.minSeconds.toFixed(3)}–${x.maxSeconds.toFixed(3)} | ${rate} | ${(x.peakRssBytes / MiB).toFixed(0)} MiB |`;
  });
  const t = (label: string): number => s.get(label)?.seconds ?? NaN;
  const best = (label: string): number => s.get(label)?.minSeconds ?? NaN;
  /** Time of `a` over time of `b`, three ways: medians, paired per round, and best (least disturbed) runs. */
  const ratio = (name: string, a: string, b: string, target: string): string[] =>
    s.has(a) && s.has(b)
      ? [`| ${name} | ${(t(a) / t(b)).toFixed(2)}× | ${pairedRatio(a, b).toFixed(2)}× | ${(best(a) / best(b)).toFixed(2)}× | ${target} |`]
      : [];
  const idle = s.get('idle process')?.peakRssBytes ?? 0;
  const rssLimit = bytes + 64 * MiB;
  const rssRows = [...s.values()]
    .filter((x) => !x.label.startsWith('idle'))
    .map((x) => {
      const overState = x.peakRssBytes - bytes;
      const verdict = x.peakRssBytes <= rssLimit ? 'yes' : 'no';
      const own = x.peakRssBytes - idle - bytes;
      return `| ${x.label} | ${(x.peakRssBytes / MiB).toFixed(0)} MiB | ${(overState / MiB).toFixed(0)} MiB | ${verdict} | ${(own / MiB).toFixed(0)} MiB |`;
    });

  const lines = [
    `State: ${parameterSpecs().length} parameters × 3 (weights, exp_avg, exp_avg_sq), float32, ${bytes} bytes (${(bytes / GiB).toFixed(3)} GiB), ${3 * parameterSpecs().length} tensors.`,
    `Rounds: ${new Set(results.map((m) => m.round)).size}, every operation in a fresh process; medians. Cold-cache eviction: ${[...evictions].join(', ') || 'none recorded'}.`,
    `Machine load (1-minute load average on ${cpus().length} CPUs) while measuring: median ${median(results.map((m) => m.loadAverage)).toFixed(1)}, max ${Math.max(...results.map((m) => m.loadAverage)).toFixed(1)}.`,
    `torch: ${torchVersion ?? 'not available (skipped)'}`,
    '',
    ...Object.entries(info).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '| operation | median s | range s | throughput | peak RSS (median) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    'Ratios of times: for "throughput vs" rows, the baseline time over the kindling time (higher is better).',
    '',
    '| ratio | ratio of medians | median of per-round ratios | ratio of best runs | target |',
    '|---|---|---|---|---|',
    ...ratio('save (checksums, fsync) throughput vs raw write + fsync', 'raw write + fsync', 'save', '≥ 0.85×'),
    ...ratio('save without checksums (fsync) throughput vs raw write + fsync', 'raw write + fsync', 'save, no checksums', '(reference)'),
    ...ratio('save (checksums, fsync) throughput vs raw write, no fsync', 'raw write', 'save', '(reference only: not like for like)'),
    ...ratio('load throughput vs raw read, cold cache', 'raw read (cold)', 'load (cold)', '≥ 0.95×'),
    ...ratio('load throughput vs raw read, warm cache', 'raw read (warm)', 'load (warm)', '≥ 0.95×'),
    ...ratio('load without checksum verification vs raw read, cold cache', 'raw read (cold)', 'load, no verify (cold)', '(reference)'),
    ...ratio('load without checksum verification vs raw read, warm cache', 'raw read (warm)', 'load, no verify (warm)', '(reference)'),
    ...ratio('in-place load throughput vs raw read, cold cache', 'raw read (cold)', 'load into (cold)', '(no target)'),
    ...ratio('in-place load throughput vs raw read, warm cache', 'raw read (warm)', 'load into (warm)', '(no target)'),
    ...ratio('async save blocking time vs memcpy (slice)', 'async save', 'memcpy (slice)', '≤ 1.5×'),
    ...ratio('async save blocking time vs memcpy (set, preallocated)', 'async save', 'memcpy (set)', '(reference)'),
  ];
  if (torchVersion) {
    lines.push(
      ...ratio('save time vs torch.save (+ fsync)', 'save', 'torch.save', '(lower is faster)'),
      ...ratio('load time vs torch.load, cold cache', 'load (cold)', 'torch.load (cold)', '(lower is faster)'),
      ...ratio('load time vs torch.load, warm cache', 'load (warm)', 'torch.load (warm)', '(lower is faster)'),
    );
  }
  lines.push(
    '',
    `Peak RSS target: state + 64 MiB = ${(rssLimit / MiB).toFixed(0)} MiB. An idle child (node + the compiled modules, no state) peaks at ${(idle / MiB).toFixed(0)} MiB; the last column subtracts it (torch children: python + torch, not subtracted separately).`,
    '',
    '| operation | peak RSS | over state | ≤ state + 64 MiB | over state + idle node child |',
    '|---|---|---|---|---|',
    ...rssRows,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Re-renders the report of an earlier run from its KINDLING_BENCH_JSON file, without measuring anything. */
function reportFrom(file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    info: Record<string, string>;
    torchVersion?: string;
    evictions?: EvictionMethod[];
    results: Measurement[];
  };
  results.push(...saved.results);
  for (const method of saved.evictions ?? []) evictions.add(method);
  report(saved.torchVersion, saved.info);
}

function main(): void {
  const from = process.env['KINDLING_BENCH_REPORT_FROM'];
  if (from) return reportFrom(from);
  const base = process.env['KINDLING_BENCH_DIR'] ?? join(repo, '.tmp');
  mkdirSync(base, { recursive: true });
  if (statfsSync(base).type === TMPFS_MAGIC) {
    throw new Error(`${base} is on tmpfs (memory), which would measure RAM, not the disk; set KINDLING_BENCH_DIR to a disk directory`);
  }
  // A fresh directory of our own: only it is deleted at the end, never anything the user pointed us at.
  const dir = mkdtempSync(join(base, 'bench-checkpoint-'));
  const info = machine(dir);
  const torchVersion = hasTorch();
  if (!torchVersion) log(`torch not importable by ${PYTHON}: skipping the torch.save/torch.load comparison`);
  const spec = join(dir, 'spec.json');
  try {
    log('compiling the child script with tsc…');
    childScript = compileChild(repo, join(dir, 'child'));
    writeFileSync(spec, JSON.stringify(parameterSpecs()));
    log(`checkpoint benchmark: ${(stateBytes() / GiB).toFixed(3)} GiB state, ${ROUNDS} rounds, files in ${dir}`);
    for (let round = 0; round < ROUNDS; round++) runRound(round, dir, spec, torchVersion !== undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const jsonOut = process.env['KINDLING_BENCH_JSON'];
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ info, torchVersion, evictions: [...evictions], stateBytes: stateBytes(), results }, null, 2));
  report(torchVersion, info);
}

main();
