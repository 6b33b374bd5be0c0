/**
 * Issue 12: a real full disk. A 1 MiB tmpfs is mounted (this needs root, or CAP_SYS_ADMIN, in the sandbox); a save
 * that does not fit gets a real ENOSPC from the kernel, and must leave the previous checkpoint intact and no temporary
 * file; a fit whose ModelCheckpoint runs out of space keeps a top k that matches the disk. Where tmpfs cannot be
 * mounted the tests are skipped, and their names say why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointSaveError, LocalCheckpointIO, loadCheckpoint, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { initEngine } from '../../src/components/engine/index.js';
import { tensor } from '../../src/state/tensor.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { QUIET } from '../trainer/support/quiet.js';
import { loaderOf, TinyRegressor } from '../trainer/support/tiny.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'kindling-small-'));
let cannotMount: string | undefined;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1M', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
  cannotMount = stderr !== undefined && stderr !== '' ? stderr : (error as Error).message;
  rmdirSync(mountPoint);
}

afterAll(() => {
  if (cannotMount !== undefined) return;
  execFileSync('umount', [mountPoint]);
  rmdirSync(mountPoint);
});

/** About `kib` KiB of float32 weights. */
const state = (kib: number, step: number) => ({ w: tensor('float32', [kib * 256], new Float32Array(kib * 256).fill(step)), step });

const skipped = cannotMount === undefined ? '' : ` (skipped: cannot mount tmpfs: ${cannotMount})`;

describe.skipIf(cannotMount !== undefined)(`a save to a full 1 MiB tmpfs${skipped}`, () => {
  const io = new LocalCheckpointIO();
  const temporaryFiles = () => readdirSync(mountPoint).filter((n) => n.endsWith('.kindling-tmp'));
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });
  beforeEach(() => {
    for (const name of readdirSync(mountPoint)) rmSync(join(mountPoint, name), { recursive: true, force: true });
  });

  it('fails with ENOSPC, keeps the previous checkpoint (same path and another one) and leaves no temporary file', async () => {
    const target = join(mountPoint, 'model.ckpt');
    await io.save(target, state(400, 1));
    // Replacing it needs room for both files until the rename: 400 KiB + 700 KiB does not fit in 1 MiB.
    const sameName = (await io.save(target, state(700, 2)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(sameName).toBeInstanceOf(CheckpointSaveError);
    expect(sameName).toMatchObject({ code: 'ENOSPC', stage: 'write', file: target, committed: false });
    expect(sameName.message).toMatch(/the disk is full/);
    const other = join(mountPoint, 'other.ckpt');
    const otherName = (await io.save(other, state(700, 3)).catch((e: unknown) => e)) as CheckpointSaveError;
    expect(otherName).toMatchObject({ code: 'ENOSPC', file: other });
    expect(temporaryFiles()).toEqual([]);
    expect(readdirSync(mountPoint)).toEqual(['model.ckpt']);
    await verifyCheckpoint(target);
    expect((await loadCheckpoint(target))['step']).toBe(1);
    // Space freed by the failed saves is really free again: a checkpoint that fits is written.
    await io.save(other, state(300, 4));
    expect((await loadCheckpoint(other))['step']).toBe(4);
  });

  /** Fills the file system but `pages` free 4 KiB pages (a checkpoint of the tiny model takes one). */
  function leaveFree(pages: number): void {
    const { bavail, bsize } = statfsSync(mountPoint);
    writeFileSync(join(mountPoint, 'filler'), new Uint8Array(Math.max(0, (bavail - pages) * bsize)));
    expect(statfsSync(mountPoint).bavail).toBe(pages);
  }

  async function fitOnFullDisk(onSaveError: 'raise' | 'warn') {
    leaveFree(3);
    const dirpath = join(mountPoint, 'checkpoints');
    const checkpoint = new ModelCheckpoint({ dirpath, monitor: 'train_loss', saveTopK: 3, everyNTrainSteps: 1, onSaveError });
    const trainer = new Trainer({ ...QUIET, maxEpochs: 2, callbacks: [checkpoint] });
    const error = await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf() }).then(() => undefined, (e: unknown) => e);
    const names = readdirSync(dirpath);
    expect(names.filter((n) => n.endsWith('.kindling-tmp'))).toEqual([]);
    expect(names.map((n) => join(dirpath, n)).sort()).toEqual(Object.keys(checkpoint.bestKModels).sort());
    for (const name of names) await verifyCheckpoint(join(dirpath, name));
    return { trainer, checkpoint, error };
  }

  it("a fit with ModelCheckpoint (top 3, 'warn') trains to the end when the disk fills; the top 3 on disk stay the callback's top 3", async () => {
    const { trainer, checkpoint, error } = await fitOnFullDisk('warn');
    expect(error).toBeUndefined();
    expect(trainer.globalStep).toBe(12);
    expect(Object.keys(checkpoint.bestKModels)).toHaveLength(3);
    // Three files fill the disk, so the fourth can never be written, and no old one is deleted to make room.
    expect(checkpoint.saveFailures).toBeGreaterThan(0);
  });

  it("with 'raise' the fit stops with the kernel's ENOSPC, and the files written before it are the callback's", async () => {
    const { trainer, error } = await fitOnFullDisk('raise');
    expect(error).toBeInstanceOf(CheckpointSaveError);
    expect(error).toMatchObject({ code: 'ENOSPC' });
    expect(trainer.globalStep).toBeLessThan(12);
  });
});
