/** ModelCheckpoint: Lightning's top-k bookkeeping, triggers, `last`, async saves, removal order and resume rules. */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { AsyncCheckpointSaver } from '../../../src/checkpoint/async-saver.js';
import { CheckpointSaveError } from '../../../src/checkpoint/save-error.js';
import type { StateTree } from '../../../src/checkpoint/types.js';
import { CallbackConfigError, MonitorNotFoundError } from '../../../src/components/callbacks/errors.js';
import { type CheckpointingTrainer, ModelCheckpoint, type ModelCheckpointOptions } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import type { ModelCheckpointState } from '../../../src/components/callbacks/model-checkpoint/model-checkpoint.state.generated.js';
import { MemoryIO } from './support/memory-io.js';

const DIR = path.resolve('/ckpt');
const file = (name: string) => path.join(DIR, `${name}.ckpt`);

/** A trainer whose checkpoint holds the ModelCheckpoint's own state under `callbacks`, as the connector puts it. */
class FakeTrainer implements CheckpointingTrainer {
  callbackMetrics: Record<string, number> = {};
  currentEpoch = 0;
  globalStep = 0;
  ckptPath: string | undefined;
  logDir = '/root';
  readonly saves: { path: string; weightsOnly: boolean }[] = [];
  callback: ModelCheckpoint | undefined;

  constructor(readonly io: MemoryIO) {}

  dumpCheckpoint(options: { readonly weightsOnly?: boolean } = {}): StateTree {
    const callback = this.callback;
    return { weightsOnly: options.weightsOnly ?? false, callbacks: callback === undefined ? {} : { [callback.stateKey]: callback.stateDict() } };
  }

  /** As the Trainer's: the snapshot now, the write once `after` settles (nothing written when it rejects). */
  async saveCheckpoint(target: string, options: { readonly weightsOnly?: boolean; readonly after?: Promise<void> | undefined } = {}): Promise<void> {
    this.saves.push({ path: target, weightsOnly: options.weightsOnly ?? false });
    const tree = this.dumpCheckpoint(options);
    await options.after;
    await this.io.save(target, tree);
  }
}

/** The ModelCheckpoint state a saved tree holds. */
function stateIn(tree: StateTree | undefined): ModelCheckpointState {
  const callbacks = tree?.['callbacks'] as Record<string, ModelCheckpointState> | undefined;
  const states = Object.values(callbacks ?? {});
  if (states.length !== 1) throw new Error(`expected one ModelCheckpoint state, got ${states.length}`);
  return states[0]!;
}

function setup(options: ModelCheckpointOptions) {
  const io = new MemoryIO();
  const trainer = new FakeTrainer(io);
  const callback = new ModelCheckpoint({ dirpath: DIR, io, exists: (p) => io.files.has(p), ...options });
  trainer.callback = callback;
  return { io, trainer, callback };
}

/** One epoch: `epoch` completed with metric values, saved after validation. */
async function epochEnd(callback: ModelCheckpoint, trainer: FakeTrainer, epoch: number, metrics: Record<string, number>): Promise<boolean> {
  trainer.currentEpoch = epoch;
  trainer.globalStep = (epoch + 1) * 10;
  trainer.callbackMetrics = metrics;
  return callback.maybeSave(trainer, 'validationEnd');
}

describe('ModelCheckpoint top-k', () => {
  it('keeps the k best by the monitor, removing the one that leaves only after the new one is saved', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss', saveTopK: 2, filename: '{epoch}-{val_loss:.2f}' });
    for (const [epoch, loss] of [0.5, 0.4, 0.45, 0.6, 0.3].entries()) await epochEnd(callback, trainer, epoch, { val_loss: loss });
    await callback.flush();
    expect(Object.keys(callback.bestKModels).sort()).toEqual([file('epoch=1-val_loss=0.40'), file('epoch=4-val_loss=0.30')]);
    expect(callback.bestModelPath).toBe(file('epoch=4-val_loss=0.30'));
    expect(callback.bestModelScore).toBe(0.3);
    expect(callback.kthBestModelPath).toBe(file('epoch=1-val_loss=0.40'));
    expect(callback.kthValue).toBe(0.4);
    expect([...io.files.keys()].sort()).toEqual(Object.keys(callback.bestKModels).sort());
    // epoch 3 (0.6) was not in the top 2 and never written; each remove follows the save that replaced the file.
    expect(io.log).toEqual([
      `save ${file('epoch=0-val_loss=0.50')}`,
      `save ${file('epoch=1-val_loss=0.40')}`,
      `save ${file('epoch=2-val_loss=0.45')}`,
      `remove ${file('epoch=0-val_loss=0.50')}`,
      `save ${file('epoch=4-val_loss=0.30')}`,
      `remove ${file('epoch=2-val_loss=0.45')}`,
    ]);
  });

  it('records itself in the file it saves (state updated before the save)', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_acc', mode: 'max', saveTopK: 1 });
    await epochEnd(callback, trainer, 0, { val_acc: 0.7 });
    const saved = stateIn(io.files.get(file('epoch=0-step=10')));
    expect(saved.bestModelPath).toBe(file('epoch=0-step=10'));
    expect(saved.bestKModels).toEqual({ [file('epoch=0-step=10')]: 0.7 });
  });

  it('ranks NaN last and keeps every checkpoint with saveTopK -1', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss', saveTopK: -1 });
    await epochEnd(callback, trainer, 0, { val_loss: Number.NaN });
    await epochEnd(callback, trainer, 1, { val_loss: 2 });
    expect(callback.bestKModels[file('epoch=0-step=10')]).toBe(Infinity);
    expect(callback.bestModelPath).toBe(file('epoch=1-step=20'));
    expect(io.files.size).toBe(2);
  });

  it('without a monitor, keeps the latest checkpoint (saveTopK 1)', async () => {
    const { io, trainer, callback } = setup({});
    await epochEnd(callback, trainer, 0, {});
    await epochEnd(callback, trainer, 1, {});
    await callback.flush();
    expect([...io.files.keys()]).toEqual([file('epoch=1-step=20')]);
    expect(callback.bestModelPath).toBe(file('epoch=1-step=20'));
  });

  it('adds -v1 when a file of that name exists that it does not manage', async () => {
    const { io, trainer, callback } = setup({ filename: 'model' });
    io.files.set(file('model'), {});
    await epochEnd(callback, trainer, 0, {});
    expect(callback.bestModelPath).toBe(file('model-v1'));
    expect(io.files.has(file('model'))).toBe(true);
  });

  it('overwrites its own file when the name repeats, instead of versioning it', async () => {
    const { io, trainer, callback } = setup({ filename: 'model', saveTopK: 1 });
    await epochEnd(callback, trainer, 0, {});
    await epochEnd(callback, trainer, 1, {});
    await callback.flush();
    expect([...io.files.keys()]).toEqual([file('model-v1')]);
    // Lightning does the same: the previous top-1 file still exists when the next name is chosen.
  });

  it('names the logged metrics when the monitor is missing after validation, and only warns between validations', async () => {
    const { trainer, callback } = setup({ monitor: 'val_loss', everyNTrainSteps: 1 });
    trainer.callbackMetrics = { train_loss: 1 };
    trainer.globalStep = 1;
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    expect(callback.maybeSave(trainer, 'trainBatchEnd')).toBe(true);
    expect(trainer.saves).toEqual([]);
    // The warning says the key is not logged *yet* and what the save did, not only "log it" (the module may well).
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/'val_loss', which is not logged yet at a save between validations \(the logged metrics are: 'train_loss'\): such a save keeps no top-k file/);
    warn.mockRestore();
    expect(() => callback.save(trainer)).toThrow(MonitorNotFoundError);
    expect(() => callback.save(trainer)).toThrow(/'train_loss'/);
  });
});

describe('ModelCheckpoint triggers', () => {
  it('saves every N train steps, never twice at one step', async () => {
    const { trainer, callback } = setup({ everyNTrainSteps: 3, saveTopK: -1 });
    for (let step = 1; step <= 7; step++) {
      trainer.globalStep = step;
      await callback.maybeSave(trainer, 'trainBatchEnd');
    }
    trainer.globalStep = 6;
    expect(await callback.maybeSave(trainer, 'validationEnd')).toBe(false);
    expect(trainer.saves.map((s) => path.basename(s.path))).toEqual(['epoch=0-step=3.ckpt', 'epoch=0-step=6.ckpt']);
  });

  it('saves every N epochs', async () => {
    const { trainer, callback } = setup({ everyNEpochs: 2, saveTopK: -1 });
    const saved: boolean[] = [];
    for (let epoch = 0; epoch < 5; epoch++) saved.push(await epochEnd(callback, trainer, epoch, {}));
    expect(saved).toEqual([false, true, false, true, false]);
  });

  it('saves when trainTimeInterval has passed since the last time-based save', async () => {
    let clock = 0;
    const { trainer, callback } = setup({ trainTimeInterval: 1000, saveTopK: -1, now: () => clock });
    callback.startClock();
    const saved: number[] = [];
    for (const [step, time] of [100, 999, 1000, 1500, 2100].entries()) {
      clock = time;
      trainer.globalStep = step + 1;
      if (await callback.maybeSave(trainer, 'trainBatchEnd')) saved.push(time);
    }
    expect(saved).toEqual([1000, 2100]);
    expect(await epochEnd(callback, trainer, 0, {})).toBe(false);
  });

  it('decides between train epoch end and validation end as Lightning does', () => {
    const cb = new ModelCheckpoint();
    const schedule = (valCheckBatch: number, checkValEveryNEpoch: number | undefined, numValBatches: number[]) => ({ valCheckBatch, numTrainingBatches: 10, checkValEveryNEpoch, numValBatches });
    expect(cb.savesOnTrainEpochEnd(schedule(10, 1, [5]))).toBe(true);
    expect(cb.savesOnTrainEpochEnd(schedule(5, 1, [5]))).toBe(false);
    expect(cb.savesOnTrainEpochEnd(schedule(5, 1, [0, 0]))).toBe(true);
    expect(cb.savesOnTrainEpochEnd(schedule(10, 2, []))).toBe(false);
    expect(new ModelCheckpoint({ saveOnTrainEpochEnd: false }).savesOnTrainEpochEnd(schedule(10, 1, []))).toBe(false);
  });

  it('refuses configurations Lightning refuses', () => {
    expect(() => new ModelCheckpoint({ saveTopK: 3 })).toThrow(/needs a monitor/);
    expect(() => new ModelCheckpoint({ saveTopK: -2 })).toThrow(CallbackConfigError);
    expect(() => new ModelCheckpoint({ everyNTrainSteps: 5, everyNEpochs: 1 })).toThrow(/exclusive/);
    expect(() => new ModelCheckpoint({ trainTimeInterval: 0 })).toThrow(/trainTimeInterval/);
    expect(() => new ModelCheckpoint({ filename: '../x' })).toThrow(/inside dirpath/);
  });
});

describe('ModelCheckpoint last, weights only, dirpath', () => {
  it('writes last.ckpt as a second full save at every save, and records it as lastModelPath', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss', saveTopK: 1, saveLast: true });
    await epochEnd(callback, trainer, 0, { val_loss: 1 });
    await epochEnd(callback, trainer, 1, { val_loss: 2 });
    expect(callback.lastModelPath).toBe(file('last'));
    expect([...io.files.keys()].sort()).toEqual([file('epoch=0-step=10'), file('last')]);
    expect(trainer.saves.map((s) => path.basename(s.path))).toEqual(['epoch=0-step=10.ckpt', 'last.ckpt', 'last.ckpt']);
    const last = stateIn(io.files.get(file('last')));
    expect(last.lastModelPath).toBe(file('last'));
  });

  it('with saveTopK 0 writes only last', async () => {
    const { io, trainer, callback } = setup({ saveTopK: 0, saveLast: true, saveWeightsOnly: true });
    await epochEnd(callback, trainer, 0, {});
    expect([...io.files.keys()]).toEqual([file('last')]);
    expect(trainer.saves).toEqual([{ path: file('last'), weightsOnly: true }]);
  });

  it("defaults dirpath to <trainer.logDir>/checkpoints", () => {
    const io = new MemoryIO();
    const trainer = new FakeTrainer(io);
    trainer.logDir = '/root/kindling_logs/version_3';
    expect(new ModelCheckpoint().resolveDirpath(trainer)).toBe(path.resolve('/root/kindling_logs/version_3/checkpoints'));
  });

  it('never removes the checkpoint the run resumed from, nor a file outside dirpath', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss' });
    await epochEnd(callback, trainer, 0, { val_loss: 1 });
    trainer.ckptPath = file('epoch=0-step=10');
    await epochEnd(callback, trainer, 1, { val_loss: 0.5 });
    expect(io.files.has(file('epoch=0-step=10'))).toBe(true);
    const outside = new ModelCheckpoint({ dirpath: DIR, io, monitor: 'val_loss' });
    outside.loadStateDict({ ...outside.stateDict(), bestKModels: { '/elsewhere/a.ckpt': 1 }, kthBestModelPath: '/elsewhere/a.ckpt', kthValue: 1, dirpath: DIR });
    io.files.set('/elsewhere/a.ckpt', {});
    trainer.ckptPath = undefined;
    await epochEnd(outside, trainer, 2, { val_loss: 0.1 });
    expect(io.files.has('/elsewhere/a.ckpt')).toBe(true);
  });
});

/** Lets background writes that are not held advance (no timing is asserted). */
const yieldToWrites = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('ModelCheckpoint async', () => {
  it('returns before the write ends and removes the replaced file only after the new one is written', async () => {
    const io = new MemoryIO();
    const trainer = new FakeTrainer(io);
    const callback = new ModelCheckpoint({ dirpath: DIR, io, exists: (p) => io.files.has(p), monitor: 'val_loss', asyncSave: new AsyncCheckpointSaver(io) });
    trainer.callback = callback;
    io.hold = true;
    await epochEnd(callback, trainer, 0, { val_loss: 1 });
    await epochEnd(callback, trainer, 1, { val_loss: 0.5 });
    await yieldToWrites();
    expect(io.log).toEqual([]);
    io.release();
    await yieldToWrites();
    expect(io.log).toEqual([`save ${file('epoch=0-step=10')}`]);
    io.release();
    await callback.flush();
    expect(io.log).toEqual([`save ${file('epoch=0-step=10')}`, `save ${file('epoch=1-step=20')}`, `remove ${file('epoch=0-step=10')}`]);
    // The snapshot was taken in the hook: the file records the state at that save, not a later one.
    const second = stateIn(io.files.get(file('epoch=1-step=20')));
    expect(second.bestModelPath).toBe(file('epoch=1-step=20'));
  });

  it('keeps the old file when the background write fails, and throws the failure', async () => {
    const io = new MemoryIO();
    const trainer = new FakeTrainer(io);
    const callback = new ModelCheckpoint({ dirpath: DIR, io, monitor: 'val_loss', asyncSave: true });
    await epochEnd(callback, trainer, 0, { val_loss: 1 });
    await callback.flush();
    io.failNext = new Error('disk full');
    await epochEnd(callback, trainer, 1, { val_loss: 0.5 });
    await expect(callback.flush()).rejects.toThrow('disk full');
    expect(io.files.has(file('epoch=0-step=10'))).toBe(true);
    expect(io.log).toEqual([`save ${file('epoch=0-step=10')}`, `fail ${file('epoch=1-step=20')}`]);
  });
});

describe('ModelCheckpoint when a save fails', () => {
  const diskFull = (file: string, stage: 'write' | 'fsync-dir' = 'write') =>
    new CheckpointSaveError(file, { stage, cause: Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }) });

  it('undoes the failed file exactly: the top k, best, k-th and last are what they were, and the file that was to leave stays', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss', saveTopK: 2, saveLast: true, onSaveError: 'warn' });
    await epochEnd(callback, trainer, 0, { val_loss: 0.5 });
    await epochEnd(callback, trainer, 1, { val_loss: 0.4 });
    await callback.flush();
    const before = callback.stateDict();
    io.failNext = diskFull(file('epoch=2-step=30'));
    await epochEnd(callback, trainer, 2, { val_loss: 0.3 });
    await callback.flush();
    expect(callback.stateDict()).toEqual(before);
    expect(callback.saveFailures).toBe(1);
    expect([...io.files.keys()].sort()).toEqual([file('epoch=0-step=10'), file('epoch=1-step=20'), file('last')]);
    // The next save ranks against the restored top k and replaces epoch 0, once it is written.
    await epochEnd(callback, trainer, 3, { val_loss: 0.2 });
    await callback.flush();
    expect(Object.keys(callback.bestKModels).sort()).toEqual([file('epoch=1-step=20'), file('epoch=3-step=40')]);
    expect([...io.files.keys()].sort()).toEqual([file('epoch=1-step=20'), file('epoch=3-step=40'), file('last')]);
  });

  it("with 'raise' (the default) keeps the failure for the next save or flush", async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss' });
    await epochEnd(callback, trainer, 0, { val_loss: 0.5 });
    io.failNext = diskFull(file('epoch=1-step=20'));
    await epochEnd(callback, trainer, 1, { val_loss: 0.4 });
    await expect(callback.flush()).rejects.toBeInstanceOf(CheckpointSaveError);
    expect(callback.bestModelPath).toBe(file('epoch=0-step=10'));
    expect([...io.files.keys()]).toEqual([file('epoch=0-step=10')]);
  });

  it('without a monitor, a failed save keeps the previous latest file as bestModelPath', async () => {
    const { io, trainer, callback } = setup({ onSaveError: 'warn' });
    await epochEnd(callback, trainer, 0, {});
    io.failNext = diskFull(file('epoch=1-step=20'));
    await epochEnd(callback, trainer, 1, {});
    await callback.flush();
    expect(callback.bestModelPath).toBe(file('epoch=0-step=10'));
    expect([...io.files.keys()]).toEqual([file('epoch=0-step=10')]);
  });

  it('counts a file whose directory fsync failed as written (it is complete at its path), and replaces the old one', async () => {
    const { io, trainer, callback } = setup({ monitor: 'val_loss', onSaveError: 'warn' });
    await epochEnd(callback, trainer, 0, { val_loss: 0.5 });
    const original = io.save.bind(io);
    io.save = async (target, tree) => {
      await original(target, tree);
      io.save = original;
      throw diskFull(target, 'fsync-dir');
    };
    await epochEnd(callback, trainer, 1, { val_loss: 0.4 });
    await callback.flush();
    expect(callback.saveFailures).toBe(1);
    expect(callback.bestModelPath).toBe(file('epoch=1-step=20'));
    expect([...io.files.keys()]).toEqual([file('epoch=1-step=20')]);
  });

  it('refuses an onSaveError other than raise or warn', () => {
    expect(() => new ModelCheckpoint({ onSaveError: 'ignore' as 'warn' })).toThrow(/onSaveError must be 'raise' or 'warn'/);
  });
});

describe('ModelCheckpoint state', () => {
  it("is keyed by monitor, mode and triggers, as Lightning's", () => {
    expect(new ModelCheckpoint({ monitor: 'val_loss', dirpath: '/a', filename: 'x' }).stateKey).toBe(
      'ModelCheckpoint{"monitor":"val_loss","mode":"min","everyNTrainSteps":0,"everyNEpochs":1,"trainTimeInterval":null}',
    );
  });

  it('round-trips into a fresh callback with the same dirpath', async () => {
    const { trainer, callback } = setup({ monitor: 'val_loss', saveTopK: 2, saveLast: true });
    for (const [epoch, loss] of [3, 2, 1].entries()) await epochEnd(callback, trainer, epoch, { val_loss: loss });
    const saved = callback.stateDict();
    const fresh = new ModelCheckpoint({ dirpath: DIR, monitor: 'val_loss', saveTopK: 2, saveLast: true });
    fresh.loadStateDict(structuredClone(saved));
    expect(fresh.stateDict()).toEqual(saved);
  });

  it('takes only bestModelPath from a checkpoint written with another dirpath, with a warning', async () => {
    const { trainer, callback } = setup({ monitor: 'val_loss' });
    await epochEnd(callback, trainer, 0, { val_loss: 1 });
    const moved = new ModelCheckpoint({ dirpath: '/other', monitor: 'val_loss' });
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    moved.loadStateDict(callback.stateDict());
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', listener);
    expect(moved.bestModelPath).toBe(file('epoch=0-step=10'));
    expect(moved.bestKModels).toEqual({});
    expect(moved.bestModelScore).toBeNull();
    expect(moved.dirpath).toBe(path.resolve('/other'));
    expect(warnings.some((m) => m.includes('dirpath has changed'))).toBe(true);
  });
});
