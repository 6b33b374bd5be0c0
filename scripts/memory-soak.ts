/**
 * The memory soak: runs scripts/memory-soak-child.ts (a real fit with validation, checkpointing, EMA, a scheduler,
 * LearningRateMonitor and a CSVLogger logging every step) in a child process with `--expose-gc`, and reads the
 * samples it prints every `--every` steps: the process's RSS, the live JS heap after a collection (and the part of it
 * that is compiled code), external and ArrayBuffer memory, and tfjs's tensor count. Samples before `--warmup` steps
 * are left out (the first epochs allocate the optimizer's moments, the EMA copies, the first compiled code). It
 * prints, per measure, the first and last sample after warmup and the least-squares slope per 1,000 steps.
 *
 * heapUsed keeps growing slowly for thousands of steps in a healthy process, because V8 goes on optimizing functions
 * and keeps their code and metadata in the heap. So the verdict on the heap comes from two heap snapshots (at warmup
 * and at the end, in a second run of the same training, so that writing them does not show in the first run's RSS):
 * the program's objects, without the JIT's, must not grow by more than `--object-growth-limit` bytes
 * per 1,000 steps (default 16 KiB: one leaked object of a few dozen bytes a step shows). The kinds that grew most are
 * listed.
 *
 *   npm run soak:memory                       # 1,000 steps
 *   npm run soak:memory -- --steps 10000      # 10,000 steps
 *
 * Options: --steps N (default 1000), --every K (default 100), --warmup W (default 200), --backend wasm|cpu (default
 * wasm), --no-snapshots (samples only; the verdict is then on tensors alone), --samples (print every sample),
 * --keep-dir. Exits 1 when the tensor count changes after warmup or the program's objects grow past the limit. RSS is
 * reported, not judged: the allocator returns memory to the system when it likes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { growth, liveObjects, netBytes } from './heap-snapshot-diff.js';
import type { MemorySample } from './memory-soak-child.js';
import { countOption, stringOption } from './cli-args.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(root, 'scripts/memory-soak-child.ts');
type Measure = Exclude<keyof MemorySample, 'step'>;
const MEASURES: readonly Measure[] = ['rss', 'heapUsed', 'codeSpace', 'external', 'arrayBuffers', 'numTensors', 'numBytes'];

/** Least-squares slope of y over x. */
function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

function human(measure: Measure, value: number): string {
  if (measure === 'numTensors') return String(Math.round(value * 100) / 100);
  const sign = value < 0 ? '-' : '';
  const v = Math.abs(value);
  if (v >= 1024 * 1024) return `${sign}${(v / 1024 / 1024).toFixed(2)} MiB`;
  if (v >= 1024) return `${sign}${(v / 1024).toFixed(1)} KiB`;
  return `${sign}${v.toFixed(0)} B`;
}

interface ChildRun {
  readonly samples: MemorySample[];
  /** Heap snapshot files by step. */
  readonly snapshots: Map<number, string>;
}

async function runChild(dir: string, args: readonly string[]): Promise<ChildRun> {
  mkdirSync(dir, { recursive: true });
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, dir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const samples: MemorySample[] = [];
  const snapshots = new Map<number, string>();
  let done = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('sample ')) samples.push(JSON.parse(line.slice('sample '.length)) as MemorySample);
    else if (line.startsWith('snapshot ')) {
      const [, step, file] = line.split(' ');
      snapshots.set(Number(step), file!);
    } else if (line.startsWith('done ')) done = true;
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0 || !done) throw new Error(`memory-soak-child exited with ${code}${done ? '' : ' before it finished'}:\n${stderr}`);
  return { samples, snapshots };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const steps = countOption(args, 'steps', 1000);
  const every = countOption(args, 'every', 100);
  const warmup = countOption(args, 'warmup', 200);
  const objectLimit = countOption(args, 'object-growth-limit', 16 * 1024);
  const backend = stringOption(args, 'backend', 'wasm');
  const snapshotsOn = !args.includes('--no-snapshots');
  // The first and last sampled steps after warmup.
  const from = Math.ceil(warmup / every) * every;
  const to = Math.floor(steps / every) * every;
  if (to <= from) throw new Error(`no samples after warmup ${warmup}: use more --steps or a smaller --every`);
  const dir = mkdtempSync(join(tmpdir(), 'kindling-memory-soak-'));
  const started = performance.now();
  let run: ChildRun;
  let objects: { net: number; top: ReturnType<typeof growth> } | undefined;
  const childArgs = ['--steps', String(steps), '--every', String(every), '--backend', backend];
  try {
    run = await runChild(join(dir, 'samples'), childArgs);
    // A second, identical run for the heap snapshots: writing one takes memory the process keeps, which would show
    // in the first run's RSS samples.
    if (snapshotsOn) {
      const { snapshots } = await runChild(join(dir, 'snapshots'), [...childArgs, '--snapshot-at', `${from},${to}`]);
      const a = snapshots.get(from);
      const b = snapshots.get(to);
      if (a === undefined || b === undefined) throw new Error(`the child wrote no heap snapshot at step ${a === undefined ? from : to}`);
      const before = liveObjects(a);
      const after = liveObjects(b);
      objects = { net: netBytes(before, after), top: growth(before, after).slice(0, 5) };
    }
  } finally {
    if (args.includes('--keep-dir')) console.log(`run directory: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const { samples } = run;
  const measured = samples.filter((s) => s.step >= from);
  const first = measured[0]!;
  const last = measured.at(-1)!;
  const xs = measured.map((s) => s.step);
  console.log(`memory soak: ${steps} steps (${backend}), samples every ${every} from step ${first.step} to ${last.step}, ${seconds.toFixed(1)} s${snapshotsOn ? ' (two runs)' : ''}`);
  console.log(`start (step 0): rss ${human('rss', samples[0]!.rss)}, heapUsed ${human('heapUsed', samples[0]!.heapUsed)}, numTensors ${samples[0]!.numTensors}`);
  if (args.includes('--samples')) for (const s of samples) console.log(`  step ${String(s.step).padStart(6)}: ${MEASURES.map((m) => `${m} ${human(m, s[m])}`).join(', ')}`);
  for (const m of MEASURES) {
    const perThousand = slope(xs, measured.map((s) => s[m])) * 1000;
    console.log(`${m.padEnd(12)} first ${human(m, first[m]).padStart(10)}  last ${human(m, last[m]).padStart(10)}  slope ${human(m, perThousand).padStart(10)} / 1,000 steps`);
  }
  // numBytes is not compared: the batch alive at the sample is smaller at an epoch's last batch.
  const tensorsFlat = measured.every((s) => s.numTensors === first.numTensors);
  let objectsFlat = true;
  if (objects !== undefined) {
    const perThousand = (objects.net / (to - from)) * 1000;
    objectsFlat = perThousand <= objectLimit;
    console.log(`program objects (heap snapshots at steps ${from} and ${to}, JIT code left out): ${human('heapUsed', objects.net)} net, ${human('heapUsed', perThousand)} / 1,000 steps`);
    for (const t of objects.top) console.log(`  +${human('heapUsed', t.bytes)} (${t.count >= 0 ? '+' : ''}${t.count}) ${t.kind}`);
  }
  const verdict = [`tensors ${tensorsFlat ? 'flat' : 'CHANGED'}`, ...(objects === undefined ? [] : [`program objects ${objectsFlat ? 'flat' : `GROW (limit ${human('heapUsed', objectLimit)} / 1,000 steps)`}`])];
  console.log(`verdict: ${verdict.join(', ')}`);
  process.exitCode = tensorsFlat && objectsFlat ? 0 : 1;
}

await main();
