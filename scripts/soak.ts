/**
 * The crash soak: trains scripts/soak-child.ts in a child process that checkpoints every few steps with a real
 * ModelCheckpoint, kills it with SIGKILL at random moments (many of them in the middle of a save), and restarts it
 * each time; the child resumes with `ckptPath: 'last'`, which finds the newest complete checkpoint in its directory.
 * It checks, after every kill, that every checkpoint file left in the directory is complete and valid, that the
 * newest one (what `'last'` must pick, by `findCheckpoints`) is byte-for-byte the checkpoint an uninterrupted run
 * writes at the same step, that the restarted child resumed from exactly that file, and that the ModelCheckpoint
 * state in it names itself; and, at the end, that the final state (parameters, optimizer, loader position,
 * generator, the ModelCheckpoint's state) is byte-for-byte the uninterrupted run's.
 *
 * The uninterrupted run goes first, in the same directory path the killed run uses afterwards (it is then moved
 * aside): ModelCheckpoint records absolute paths, so the two runs' files are byte-comparable only at one path.
 *
 *   npm run soak                      # 50 kills
 *   npm run soak -- --kills 5 --seed 3
 *
 * Options: --kills N (default 50), --seed S (the kill schedule; default 1), --every K (steps between checkpoints,
 * default 4), --keep-dir (keep the run directories and print where they are).
 * Prints `kills: N, resumed: N, identical: N, corrupted: 0` and exits 0 when everything held, 1 otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Generator } from 'kindling';
import { findCheckpoints, loadCheckpoint, verifyCheckpoint } from 'kindling/checkpoint';
import { firstDifference } from '../examples/digits-classifier/first-difference.js';
import { countOption } from './cli-args.js';

/** ModelCheckpoint's file names with its default template. */
const CHECKPOINT_PATTERN = /^epoch=\d+-step=\d+\.ckpt$/;

/** The file `ckptPath: 'last'` resumes from: the newest complete checkpoint, as the trainer finds it. */
async function newestCheckpoint(dir: string): Promise<string | undefined> {
  return (await findCheckpoints(dir)).found[0]?.path;
}

/** The ModelCheckpoint state a checkpoint file records (the soak child has one ModelCheckpoint). */
async function checkpointStateIn(file: string): Promise<{ bestModelPath?: unknown } | undefined> {
  const callbacks = (await loadCheckpoint(file))['callbacks'] as Record<string, { bestModelPath?: unknown }> | undefined;
  const key = Object.keys(callbacks ?? {}).find((k) => k.startsWith('ModelCheckpoint'));
  return key === undefined ? undefined : callbacks![key];
}

const root = fileURLToPath(new URL('..', import.meta.url));
const CHILD = join(root, 'scripts/soak-child.ts');

/** One life of the child: its process and the lines it printed, as events to wait for. */
class Life {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { test: (line: string) => boolean; resolve: (line: string | undefined) => void }[] = [];
  private stderr = '';

  constructor(dir: string, args: string[]) {
    // `node --import tsx`, not the tsx command: that runs the script in a grandchild, which SIGKILL would not reach.
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => {
        for (const w of this.waiters) w.resolve(undefined);
        this.waiters = [];
        resolve({ code, signal });
      }),
    );
  }

  /** The first line (from now on) that passes `test`; undefined when the child exits first. */
  next(test: (line: string) => boolean): Promise<string | undefined> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  get errors(): string {
    return this.stderr.trim();
  }
}

/** Resolves when a save's temporary file shows up in `dir` (or after `timeoutMs`, when the save was already past it). */
function temporaryFileIn(dir: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name?.endsWith('.kindling-tmp')) done();
    });
    const timer = setTimeout(done, timeoutMs);
    function done(): void {
      clearTimeout(timer);
      watcher.close();
      resolve();
    }
    if (readdirSync(dir).some((n) => n.endsWith('.kindling-tmp'))) done();
  });
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const kills = countOption(args, 'kills', 50);
  const every = countOption(args, 'every', 4);
  const schedule = new Generator(countOption(args, 'seed', 1));
  // Each life is killed within a few checkpoints of its start; this leaves the run room for every kill.
  const steps = every * (5 * kills + 10);
  const childArgs = ['--steps', String(steps), '--every', String(every)];
  const base = mkdtempSync(join(tmpdir(), 'kindling-soak-'));
  const referenceDir = join(base, 'uninterrupted');
  const soakDir = join(base, 'run');
  mkdirSync(soakDir);
  const started = Date.now();
  console.log(`soak: ${kills} kills, ${steps} steps, a checkpoint every ${every} steps; runs in ${base}`);

  // The uninterrupted run first, keeping every checkpoint, at the path the killed run uses next.
  const reference = new Life(soakDir, [...childArgs, '--keep-all']);
  const referenceExit = await reference.exited;
  renameSync(soakDir, referenceDir);
  mkdirSync(soakDir);

  let resumed = 0;
  let corrupted = 0;
  let duringSave = 0;
  const observed: { kill: number; file: string; sha: string }[] = [];
  const problems: string[] = [];
  // Measured, as a running average: the time from one `saving` line to the next.
  let cycleMs = 200;

  for (let kill = 1; kill <= kills; kill++) {
    const life = new Life(soakDir, childArgs);
    const ready = await life.next((l) => l.startsWith('started ') || l.startsWith('resumed '));
    if (ready === undefined) {
      problems.push(`life ${kill} exited before it started: ${life.errors}`);
      break;
    }
    if (kill > 1) {
      const expected = observed.at(-1)!;
      if (ready.startsWith('resumed ') && ready.slice(ready.indexOf(' ', 'resumed '.length) + 1) === expected.file) resumed += 1;
      else problems.push(`after kill ${kill - 1} the run did not resume from ${basename(expected.file)}: "${ready}"`);
    }
    // Anchor: the start of the j-th save from here. Every other kill falls inside that save: as soon as its
    // temporary file appears (fs.watch), give or take a few milliseconds, so while it is written, synced or renamed.
    // The others fall anywhere up to a little more than one save-to-save cycle later (in that save, between saves,
    // or in the next one).
    // A fresh run is first let write one checkpoint, so that every kill has something to resume from.
    if (ready.startsWith('started ')) await life.next((l) => l.startsWith('saved '));
    const j = 1 + schedule.integer(0, 3);
    const inSave = kill % 2 === 1;
    let saving: string | undefined;
    let last = Date.now();
    for (let s = 0; s < j && (saving = await life.next((l) => l.startsWith('saving '))) !== undefined; s++) {
      const now = Date.now();
      if (s > 0) cycleMs = 0.8 * cycleMs + 0.2 * (now - last);
      last = now;
      if (s === j - 1 && inSave) break;
    }
    if (saving === undefined) {
      problems.push(`life ${kill} ended before it was killed (${(await life.exited).code}): ${life.errors}`);
      break;
    }
    if (inSave) await temporaryFileIn(soakDir, 2 * cycleMs);
    await sleep(inSave ? schedule.uniform(0, 4) : schedule.uniform(0, 1.2 * cycleMs));
    life.child.kill('SIGKILL');
    await life.exited;

    const names = readdirSync(soakDir);
    if (names.some((n) => n.endsWith('.kindling-tmp'))) duringSave += 1;
    for (const name of names.filter((n) => CHECKPOINT_PATTERN.test(n))) {
      try {
        await verifyCheckpoint(join(soakDir, name));
        await loadCheckpoint(join(soakDir, name));
      } catch (error) {
        corrupted += 1;
        problems.push(`after kill ${kill}: ${name} does not load: ${(error as Error).message}`);
      }
    }
    const newest = await newestCheckpoint(soakDir);
    if (newest === undefined) {
      problems.push(`after kill ${kill} there is no checkpoint to resume from`);
      break;
    }
    // ModelCheckpoint's bookkeeping in the file the run resumes from names that file (it is the latest, saveTopK 1).
    const named = (await checkpointStateIn(newest))?.bestModelPath;
    if (named !== newest) problems.push(`after kill ${kill}: ${basename(newest)} records bestModelPath ${String(named)}`);
    observed.push({ kill, file: newest, sha: sha256(newest) });
  }

  // The last life runs to the end.
  const last = new Life(soakDir, childArgs);
  const ready = await last.next((l) => l.startsWith('resumed ') || l.startsWith('started '));
  if (observed.length > 0 && ready !== undefined && ready.startsWith('resumed ') && ready.slice(ready.indexOf(' ', 'resumed '.length) + 1) === observed.at(-1)!.file) resumed += 1;
  else if (observed.length > 0) problems.push(`after the last kill the run did not resume from ${observed.at(-1)!.file}: "${ready}"`);
  const lastExit = await last.exited;
  if (lastExit.code !== 0) problems.push(`the resumed run failed (${lastExit.code}): ${last.errors}`);
  if (referenceExit.code !== 0) problems.push(`the uninterrupted run failed (${referenceExit.code}): ${reference.errors}`);
  const leftovers = readdirSync(soakDir).filter((n) => n.endsWith('.kindling-tmp'));
  if (leftovers.length > 0) problems.push(`temporary files left at the end: ${leftovers.join(', ')}`);
  // Files the final ModelCheckpoint state does not name: those a run resumed from (ModelCheckpoint never removes
  // that one, as Lightning), and any other, which a kill between a new file's commit and the removal of the one it
  // replaces would leave (the resumed callback knows only the file it resumed from). Counted, not an error.
  const finalState = lastExit.code === 0 ? await checkpointStateIn(join(soakDir, 'final.ckpt')) : undefined;
  const unnamed = readdirSync(soakDir).filter((n) => CHECKPOINT_PATTERN.test(n) && join(soakDir, n) !== finalState?.bestModelPath);
  const resumedFrom = new Set(observed.map((o) => basename(o.file)));
  const orphans = unnamed.filter((n) => !resumedFrom.has(n));

  let identical = 0;
  for (const o of observed) {
    let same = false;
    try {
      same = sha256(join(referenceDir, basename(o.file))) === o.sha;
    } catch {
      same = false;
    }
    if (same) identical += 1;
    else problems.push(`after kill ${o.kill}: ${basename(o.file)} differs from the uninterrupted run's`);
  }
  let finalIdentical = false;
  let paramsIdentical = false;
  if (lastExit.code === 0 && referenceExit.code === 0) {
    const [a, b] = [join(soakDir, 'final.ckpt'), join(referenceDir, 'final.ckpt')];
    finalIdentical = sha256(a) === sha256(b);
    const [ta, tb] = await Promise.all([loadCheckpoint(a), loadCheckpoint(b)]);
    paramsIdentical = firstDifference(ta['module'], tb['module']) === undefined;
    if (!finalIdentical) problems.push('the final state differs from the uninterrupted run');
  }

  console.log(`kills that left a save's temporary file (swept at resume): ${duringSave} of ${observed.length}; a save-to-save cycle took ${cycleMs.toFixed(0)} ms`);
  console.log(`checkpoint files the final ModelCheckpoint state does not name: ${unnamed.length - orphans.length} resumed from (never removed), ${orphans.length} other (${orphans.join(', ') || 'none'})`);
  console.log(`final parameters: ${paramsIdentical ? 'identical' : 'DIFFERENT'}; final state (optimizer, loops, loader, generator): ${finalIdentical ? 'identical' : 'DIFFERENT'}`);
  console.log(`time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const p of problems) console.log(`problem: ${p}`);
  console.log(`kills: ${observed.length}, resumed: ${resumed}, identical: ${identical}, corrupted: ${corrupted}`);
  if (args.includes('--keep-dir')) console.log(`run directories kept in ${base}`);
  else rmSync(base, { recursive: true, force: true });
  const ok = problems.length === 0 && observed.length === kills && resumed === kills && identical === kills && corrupted === 0 && finalIdentical && paramsIdentical;
  return ok ? 0 : 1;
}

process.exitCode = await main();
