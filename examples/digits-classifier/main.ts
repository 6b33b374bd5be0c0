/**
 * `npm start`: kindling's flagship example. It trains the DigitsClassifier (classifier.ts) on the shipped digits three
 * times, each in its own process (train.ts):
 *
 *   1. uninterrupted, to the end;
 *   2. again from scratch, killed with SIGKILL in the middle of an epoch;
 *   3. in a fresh process, resumed from the last checkpoint the killed run wrote, to the end;
 *
 * and then checks that runs 1 and 3 end in bit-identical states: parameters, optimizer, LR scheduler, RNG, loop
 * progress, every callback's state (the AccuracyJournal's included) and the datamodule's loader positions, and that
 * the metrics.csv rows logged after the resume point are the same. Runs 2–3 use the same directory as run 1 (which is
 * moved aside first), so that the paths ModelCheckpoint keeps in its state are the same too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadCheckpoint, readCheckpointInfo } from 'kindling/checkpoint';
import { firstDifference } from './first-difference.js';
import type { TrainResult } from './train.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TRAIN = join(root, 'examples/digits-classifier/train.ts');
/** The killed run dies a little after this epoch started, so it resumes from the checkpoint of the epoch before. */
const KILL_IN_EPOCH = 5;

interface Finished {
  result: TrainResult | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs train.ts; `onLine` sees every stdout line and may return true to have the process killed (SIGKILL). */
function train(args: string[], onLine: (line: string) => boolean = () => false, showProgress = false): Promise<Finished> {
  // `node --import tsx`, not the tsx command: that would run the script in a grandchild, which SIGKILL would not reach.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', TRAIN, ...args, ...(showProgress ? ['--progress'] : [])], {
    cwd: root,
    stdio: ['ignore', 'pipe', showProgress ? 'inherit' : 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
  let result: TrainResult | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('result ')) result = JSON.parse(line.slice('result '.length)) as TrainResult;
    else if (onLine(line)) setTimeout(() => child.kill('SIGKILL'), 150);
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`train.ts ${args.join(' ')} failed (exit ${code}):\n${errors}`));
      else resolve({ result, code, signal });
    }),
  );
}

function metricsRows(runDir: string, version: string): string[] {
  const file = join(runDir, 'kindling_logs', version, 'metrics.csv');
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : [];
}

/** metrics.csv rows (with the header) whose `step` column is greater than `step`. */
function rowsAfter(rows: string[], step: number): string[] {
  const [header, ...body] = rows;
  if (header === undefined) return [];
  const stepColumn = header.split(',').indexOf('step');
  return [header, ...body.filter((row) => Number(row.split(',')[stepColumn]) > step)];
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main(): Promise<void> {
  const started = performance.now();
  const base = mkdtempSync(join(tmpdir(), 'kindling-flagship-'));
  const runDir = join(base, 'run');
  const referenceDir = join(base, 'uninterrupted');
  try {
    console.log('kindling flagship: an MLP (64-64-10, dropout) on the shipped 8×8 digits, AdamW with warmup + cosine LR,');
    console.log('ModelCheckpoint, EarlyStopping, a progress bar and a user callback with generated state.\n');

    console.log('1. training without interruption…');
    mkdirSync(runDir);
    const reference = (await train([runDir])).result!;
    renameSync(runDir, referenceDir);

    console.log(`2. training again, killed with SIGKILL during epoch ${KILL_IN_EPOCH}…`);
    mkdirSync(runDir);
    const killed = await train([runDir], (line) => line === `epoch ${KILL_IN_EPOCH} started`, true);
    if (killed.signal !== 'SIGKILL') throw new Error('the run to interrupt finished before it was killed');
    const last = join(runDir, 'checkpoints', 'last.ckpt');
    if (!existsSync(last)) {
      console.log('resume: impossible: the killed run left no checkpoints/last.ckpt (its ModelCheckpoint saves had not reached the disk)');
      process.exitCode = 1;
      return;
    }
    const lastTree = await loadCheckpoint(last);
    const resumeStep = lastTree['globalStep'] as number;
    console.log(`   killed; last.ckpt is from epoch ${lastTree['epoch'] as number}, step ${resumeStep}`);

    console.log('3. resuming from last.ckpt in a new process…');
    const resumed = (await train([runDir, '--resume', last], () => false, true)).result!;

    const [a, b] = await Promise.all([loadCheckpoint(join(referenceDir, 'final.ckpt')), loadCheckpoint(join(runDir, 'final.ckpt'))]);
    const stateDifference = firstDifference(a, b);
    const versions = readdirSync(join(runDir, 'kindling_logs')).sort();
    const resumedRows = rowsAfter(metricsRows(runDir, versions.at(-1)!), resumeStep);
    const referenceRows = rowsAfter(metricsRows(referenceDir, 'version_0'), resumeStep);
    const rowDifference = resumedRows.findIndex((row, i) => row !== referenceRows[i]);
    const metricsDifference =
      resumedRows.length !== referenceRows.length
        ? `metrics.csv: ${resumedRows.length - 1} rows after step ${resumeStep} in the resumed run, ${referenceRows.length - 1} in the uninterrupted one`
        : rowDifference >= 0
          ? `metrics.csv row ${rowDifference} after step ${resumeStep}: "${resumedRows[rowDifference]}" vs "${referenceRows[rowDifference]}"`
          : undefined;
    const lastInfo = await readCheckpointInfo(last);

    console.log('');
    console.log(`epochs: ${resumed.epochs} of at most 12${resumed.stoppedEarly ? ' (EarlyStopping stopped the run)' : ' (EarlyStopping did not trigger)'}, ${resumed.globalStep} optimizer steps`);
    console.log(`final validation accuracy: ${resumed.valAcc.toFixed(4)} (best epoch ${resumed.bestEpoch})`);
    console.log(`checkpoint: last.ckpt ${kib(lastInfo.fileBytes)} (${lastInfo.tensors.length} tensors); final.ckpt ${kib(resumed.finalCheckpointBytes)}, saved in ${resumed.finalSaveMs.toFixed(0)} ms`);
    console.log(`uninterrupted run: validation accuracy ${reference.valAcc.toFixed(4)} after ${reference.epochs} epochs`);
    const difference = stateDifference ?? metricsDifference;
    console.log(difference === undefined ? `resume: bit-identical (final state, and ${resumedRows.length - 1} metrics.csv rows after step ${resumeStep})` : `resume: first difference: ${difference}`);
    console.log(`time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (difference !== undefined) process.exitCode = 1;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

await main();
