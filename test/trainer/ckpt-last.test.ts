/**
 * Issue 12 (and 11): `ckptPath: 'last'` after a crash. A fresh Trainer, whose fresh ModelCheckpoint has saved
 * nothing, finds the newest complete checkpoint in the ModelCheckpoint's dirpath by the step the file records: never
 * a temporary file a killed save left, never a truncated file, and when the newest does not verify it falls back to
 * the one before, with a warning naming each file it skipped.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, findCheckpoints, loadCheckpoint, serializeCheckpoint } from '../../src/checkpoint/index.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { initEngine } from '../../src/components/engine/index.js';
import { TrainerCheckpointError, TrainerConfigError } from '../../src/trainer/errors.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { QUIET } from './support/quiet.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-last-'));
  dirs.push(dir);
  return dir;
};

/** A fit that saves every 2 steps and keeps every file: epoch=0-step=2 … epoch=1-step=12, and last.ckpt. */
async function trainAndCrash(dir: string): Promise<void> {
  const trainer = new Trainer({ ...QUIET, maxEpochs: 2, callbacks: [new ModelCheckpoint({ dirpath: dir, everyNTrainSteps: 2, saveTopK: -1, saveLast: true })] });
  await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() });
}

async function collectWarnings<T>(run: () => Promise<T>): Promise<{ result: T | undefined; error: unknown; warnings: string[] }> {
  const warnings: string[] = [];
  const listener = (w: Error) => warnings.push(w.message);
  process.on('warning', listener);
  try {
    return { result: await run(), error: undefined, warnings };
  } catch (error) {
    return { result: undefined, error, warnings };
  } finally {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listener);
  }
}

const freshTrainer = (dir: string, maxEpochs = 3) => new Trainer({ ...QUIET, maxEpochs, callbacks: [new ModelCheckpoint({ dirpath: dir, everyNTrainSteps: 2, saveTopK: -1, saveLast: true })] });

describe("ckptPath: 'last' in a new trainer", () => {
  it('resumes from the newest complete file it finds, by recorded step, and never from a temporary file', async () => {
    const dir = tempDir();
    await trainAndCrash(dir);
    // A killed save's leftover, named for a later step, and newer than everything else; its writer has exited.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
    const leftover = join(dir, `.epoch=9-step=99.ckpt.${deadPid}.0.deadbeef.kindling-tmp`);
    writeFileSync(leftover, readFileSync(join(dir, 'last.ckpt')));
    // Files copied around (mtime order is not step order): the oldest step gets the newest mtime.
    const future = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'epoch=0-step=2.ckpt'), future, future);
    const trainer = freshTrainer(dir);
    const { error, warnings } = await collectWarnings(() => trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' }));
    expect(error).toBeUndefined();
    // Step 12 is recorded by both epoch=1-step=12.ckpt and last.ckpt: last.ckpt wins the tie.
    expect(trainer.ckptPath).toBe(join(dir, 'last.ckpt'));
    expect(trainer.globalStep).toBe(18);
    expect(warnings.filter((w) => w.includes("ckptPath: 'last'"))).toEqual([]);
    // The new run's ModelCheckpoint removed the leftover at setup (a later save would never have: its name is unique).
    expect(existsSync(leftover)).toBe(false);
  });

  it('skips a truncated newest file and a newest file that does not verify, naming each, and resumes from the one before', async () => {
    const dir = tempDir();
    await trainAndCrash(dir);
    const [last, step12, step10] = ['last.ckpt', 'epoch=1-step=12.ckpt', 'epoch=1-step=10.ckpt'].map((n) => join(dir, n)) as [string, string, string];
    truncateSync(last, statSync(last).size - 7);
    // One flipped byte at the end of the tensor data: the header (and its step) still read, the checksum fails.
    const bytes = readFileSync(step12);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    writeFileSync(step12, bytes);
    writeFileSync(join(dir, `.last.ckpt.4242.0.0badf00d.kindling-tmp`), 'partial');

    const scan = await findCheckpoints(dir);
    expect(scan.found.map((f) => f.path)[0]).toBe(step12);
    expect(scan.skipped.map((s) => s.path)).toEqual([last]);

    const trainer = freshTrainer(dir);
    const { error, warnings } = await collectWarnings(() => trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' }));
    expect(error).toBeUndefined();
    expect(trainer.ckptPath).toBe(step10);
    const skipped = warnings.filter((w) => w.startsWith("ckptPath: 'last' skipped"));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toContain(`${last} (`);
    expect(skipped[0]).toContain(`${step12} (`);
    expect(skipped[0]).not.toContain('kindling-tmp');
    // It resumed at step 10 and trained on: the file it resumed from is what a run saved at step 10.
    expect((await loadCheckpoint(step10))['globalStep']).toBe(10);
    expect(trainer.globalStep).toBe(18);
  });

  it('with nothing to resume from, a fit starts from the beginning with a warning, and validate refuses', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, `.last.ckpt.4242.0.0badf00d.kindling-tmp`), 'partial');
    const trainer = freshTrainer(dir, 1);
    const { error, warnings } = await collectWarnings(() => trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' }));
    expect(error).toBeUndefined();
    expect(trainer.ckptPath).toBeUndefined();
    expect(trainer.globalStep).toBe(6);
    expect(warnings).toContain(`ckptPath: 'last': there is no complete checkpoint in ${dir}, so the fit starts from the beginning`);
    const empty = tempDir();
    await expect(freshTrainer(empty).validate(new TinyRegressor(), { dataloaders: loaderOf() }, { ckptPath: 'last' })).rejects.toThrow(TrainerConfigError);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('refuses, rather than resume from an older file, when a file is of a newer format than this kindling', async () => {
    const dir = tempDir();
    await trainAndCrash(dir);
    const text = Buffer.concat(serializeCheckpoint({ globalStep: 99 }, { checksums: false })).toString('latin1');
    const newer = text.replace(`"kindling.version":"${FORMAT_VERSION}"`, `"kindling.version":"${FORMAT_VERSION + 1}"`);
    expect(newer).not.toBe(text);
    writeFileSync(join(dir, 'epoch=9-step=99.ckpt'), Buffer.from(newer, 'latin1'));
    const error = await freshTrainer(dir).fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect((error as TrainerCheckpointError).file).toBe(join(dir, 'epoch=9-step=99.ckpt'));
    expect((error as Error).message).toMatch(/upgrade kindling/);
  });

  it('without a ModelCheckpoint, looks in <defaultRootDir>/checkpoints', async () => {
    const root = tempDir();
    await trainAndCrash(join(root, 'checkpoints'));
    const trainer = new Trainer({ ...QUIET, maxEpochs: 3, defaultRootDir: root });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }, { ckptPath: 'last' });
    expect(trainer.ckptPath).toBe(join(root, 'checkpoints', 'last.ckpt'));
  });
});

describe('findCheckpoints', () => {
  it('orders by recorded globalStep, then epoch, then last*, then mtime', async () => {
    const dir = tempDir();
    await trainAndCrash(dir);
    copyFileSync(join(dir, 'epoch=0-step=4.ckpt'), join(dir, 'copy-of-step-4.kcpt'));
    const scan = await findCheckpoints(dir);
    const names = scan.found.map((f) => f.path.slice(dir.length + 1));
    expect(names.slice(0, 2)).toEqual(['last.ckpt', 'epoch=1-step=12.ckpt']);
    expect(scan.found.map((f) => f.globalStep)).toEqual([12, 12, 10, 8, 6, 4, 4, 2]);
    expect(names.filter((n) => n.includes('4'))).toHaveLength(2);
    expect(scan.skipped).toEqual([]);
  });
});
