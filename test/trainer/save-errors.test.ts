/**
 * Issue 12: a disk error during one of ModelCheckpoint's saves in a real fit. The checkpoint IO fails every save of
 * epoch 2 (its top-k file and last.ckpt) at one stage with one errno, on real files (support/faulty-fs.ts). Whatever
 * the mode (sync, async) and the choice (`onSaveError`), the previous checkpoints stay intact and loadable, no
 * temporary file is left, ModelCheckpoint's state names exactly the checkpoint files in the directory, and last.ckpt
 * is not written after its top-k file failed (its state would name a file that is not there); with 'warn' training
 * goes on to the end with one warning for the failed file, with 'raise' it stops with the CheckpointSaveError.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSaveError, LocalCheckpointIO, loadCheckpoint, verifyCheckpoint, type CheckpointIO, type SaveOptions, type SaveStage, type StateTree } from '../../src/checkpoint/index.js';
import { initEngine } from '../../src/components/engine/index.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { CODES, FaultyFileSystem } from '../checkpoint/support/faulty-fs.js';
import { QUIET } from './support/quiet.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A LocalCheckpointIO whose saves of the checkpoints of `failingEpoch` fail at `stage` with `code`. */
class FailingEpochIO implements CheckpointIO {
  private readonly local = new LocalCheckpointIO();
  readonly failed: string[] = [];

  constructor(private readonly fault: { stage: SaveStage; code: string; failingEpoch: number }) {}

  save(path: string, tree: StateTree, options?: SaveOptions): Promise<void> {
    if (tree['epoch'] !== this.fault.failingEpoch) return this.local.save(path, tree, options);
    const fileSystem = new FaultyFileSystem();
    fileSystem.fault = { stage: this.fault.stage, code: this.fault.code };
    this.failed.push(path);
    return new LocalCheckpointIO({ fileSystem }).save(path, tree, options);
  }
  load: CheckpointIO['load'] = (path, options) => this.local.load(path, options);
  remove: CheckpointIO['remove'] = (path) => this.local.remove(path);
  exists: CheckpointIO['exists'] = (path) => this.local.exists(path);
}

const EPOCHS = 5;
const BATCHES = 6; // 24 points, batch size 4

async function fitWithFailingSaves(stage: SaveStage, code: string, mode: 'sync' | 'async', onSaveError: 'raise' | 'warn') {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-save-errors-'));
  dirs.push(dir);
  const io = new FailingEpochIO({ stage, code, failingEpoch: 2 });
  const checkpoint = new ModelCheckpoint({ dirpath: dir, monitor: 'val_loss', saveTopK: 2, saveLast: true, onSaveError, io, asyncSave: mode === 'async' });
  const trainer = new Trainer({ ...QUIET, maxEpochs: EPOCHS, numSanityValSteps: 0, checkpointIO: io, callbacks: [checkpoint] });
  const warnings: Error[] = [];
  const listener = (w: Error) => warnings.push(w);
  process.on('warning', listener);
  let error: unknown;
  try {
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf(), valDataloaders: loaderOf() });
  } catch (e) {
    error = e;
  }
  await checkpoint.flush().catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
  process.off('warning', listener);
  return { dir, io, checkpoint, trainer, error, warnings: warnings.filter((w) => (w as { code?: string }).code === 'KINDLING_CHECKPOINT_SAVE_FAILED') };
}

/** The directory holds exactly the files the callback names, each complete and loadable, and no temporary file. */
async function expectConsistent(dir: string, checkpoint: ModelCheckpoint): Promise<void> {
  const names = readdirSync(dir);
  expect(names.filter((n) => n.endsWith('.kindling-tmp'))).toEqual([]);
  const named = new Set([...Object.keys(checkpoint.bestKModels), checkpoint.lastModelPath].filter((p) => p !== ''));
  expect(named.has(checkpoint.bestModelPath)).toBe(true);
  expect(names.map((n) => join(dir, n)).sort()).toEqual([...named].sort());
  for (const file of named) {
    await verifyCheckpoint(file);
    await loadCheckpoint(file);
  }
}

/** The file names of the top-k entries, sorted. */
const topK = (dir: string, checkpoint: ModelCheckpoint) => Object.keys(checkpoint.bestKModels).map((p) => p.slice(dir.length + 1)).sort();
const epochOf = async (file: string) => (await loadCheckpoint(file))['epoch'];

for (const mode of ['sync', 'async'] as const) {
  describe(`ModelCheckpoint (${mode}) when the saves of epoch 2 fail`, () => {
    for (const stage of ['write', 'fsync', 'rename'] as const) {
      for (const code of CODES) {
        it(`${code} while ${stage}, onSaveError 'raise': the fit stops with the CheckpointSaveError; the files of epochs 0 and 1 stay, and the state names them`, async () => {
          const { dir, io, checkpoint, trainer, error } = await fitWithFailingSaves(stage, code, mode, 'raise');
          expect(error).toBeInstanceOf(CheckpointSaveError);
          expect(error).toMatchObject({ stage, code, committed: false });
          expect(io.failed).toEqual([(error as CheckpointSaveError).file]);
          expect((error as Error).message).toContain(code);
          if (mode === 'sync') expect(trainer.globalStep).toBe(3 * BATCHES);
          if (mode === 'sync') {
            // Nothing after epoch 1 was committed: the top 2 are epochs 0 and 1 (epoch 0 was to leave, and stayed).
            expect(topK(dir, checkpoint)).toEqual([expect.stringMatching(/^epoch=0-/), expect.stringMatching(/^epoch=1-/)]);
            expect(await epochOf(checkpoint.lastModelPath)).toBe(1);
          }
          expect(topK(dir, checkpoint).some((name) => name.startsWith('epoch=2-'))).toBe(false);
          await expectConsistent(dir, checkpoint);
          expect(checkpoint.saveFailures).toBeGreaterThanOrEqual(1);
        });

        it(`${code} while ${stage}, onSaveError 'warn': training goes on to the end with one warning per failed file, and the state matches the directory`, async () => {
          const { dir, io, checkpoint, trainer, error, warnings } = await fitWithFailingSaves(stage, code, mode, 'warn');
          expect(error).toBeUndefined();
          expect(trainer.globalStep).toBe(EPOCHS * BATCHES);
          // The top-k file failed; last.ckpt of that step, which waits for it, was never attempted.
          expect(io.failed.map((f) => f.slice(dir.length + 1))).toEqual([expect.stringMatching(/^epoch=2-/)]);
          expect(warnings.map((w) => w.message.split(';')[0])).toEqual([`ModelCheckpoint could not save ${io.failed[0]}`]);
          expect(warnings[0]!.message).toContain(`${code}`);
          expect(checkpoint.saveFailures).toBe(1);
          // Async too: the saves made before the failure was known ranked again from the committed files.
          expect(topK(dir, checkpoint)).toEqual([expect.stringMatching(/^epoch=3-/), expect.stringMatching(/^epoch=4-/)]);
          expect(topK(dir, checkpoint).some((name) => name.startsWith('epoch=2-'))).toBe(false);
          expect(await epochOf(checkpoint.lastModelPath)).toBe(EPOCHS - 1);
          await expectConsistent(dir, checkpoint);
        });
      }
    }
  });
}
