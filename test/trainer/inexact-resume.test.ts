/**
 * A resume that cannot be exact says so (issue 12): a training loader that is not Stateful (no stateDict /
 * loadStateDict) trains, its position is left out of checkpoints, and resuming warns once, naming it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/index.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { DataLoader } from '../../src/components/data/data-loader.js';
import type { AnyDataLoader } from '../../src/components/data/data-module.js';
import { type Dataset, Subset } from '../../src/components/data/dataset.js';
import { initEngine } from '../../src/components/engine/index.js';
import { INEXACT_RESUME_WARNING } from '../../src/trainer/connector/restore.js';
import type { TrainerLoader } from '../../src/trainer/loader.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

type Sample = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'kindling-inexact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A user's own loader: the loop API of a TrainerLoader over a kindling DataLoader, without its state methods. */
class StreamLoader implements TrainerLoader {
  constructor(private readonly inner: AnyDataLoader) {}
  get length(): number {
    return this.inner.length;
  }
  get epoch(): number {
    return this.inner.epoch;
  }
  get batchesYielded(): number {
    return this.inner.batchesYielded;
  }
  setEpoch(epoch: number): void {
    this.inner.setEpoch(epoch);
  }
  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this.inner[Symbol.asyncIterator]();
  }
}

/** The warnings emitted while `run` runs, as [message, code]. */
async function warningsOf(run: () => Promise<void>): Promise<{ message: string; code: string | undefined }[]> {
  const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
  await run();
  const out = warn.mock.calls.map(([message, options]) => ({ message: String(message), code: (options as { code?: string } | undefined)?.code }));
  warn.mockRestore();
  return out;
}

describe('a resume that cannot be exact', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('trains on a loader that is not Stateful, leaves its position out of the checkpoint, and warns once at the resume, naming it', async () => {
    const file = join(dir, 'mid-epoch.kcpt');
    // 6 batches an epoch; 3 steps stop in the middle of the first.
    const first = new Trainer({ ...QUIET, maxSteps: 3, numSanityValSteps: 0 });
    const firstWarnings = await warningsOf(async () => {
      await first.fit(new TinyRegressor(), { trainDataloaders: new StreamLoader(loaderOf({ n: 24, shuffle: true })), valDataloaders: loaderOf({ n: 8 }) });
      await first.saveCheckpoint(file);
    });
    expect(firstWarnings.filter((w) => w.code === INEXACT_RESUME_WARNING)).toEqual([]);
    const saved = (await loadCheckpoint(file)) as { dataloaders?: Record<string, unknown> };
    expect(Object.keys(saved.dataloaders ?? {})).toEqual(['val']);

    const resumed = new Trainer({ ...QUIET, maxSteps: 9, numSanityValSteps: 0 });
    const warnings = await warningsOf(() =>
      resumed.fit(new TinyRegressor(), { trainDataloaders: new StreamLoader(loaderOf({ n: 24, shuffle: true })), valDataloaders: loaderOf({ n: 8 }) }, { ckptPath: file }),
    );
    expect(resumed.globalStep).toBe(9);
    const naming = warnings.filter((w) => w.message.includes('StreamLoader'));
    expect(naming).toHaveLength(1);
    expect(naming[0]!.code).toBe(INEXACT_RESUME_WARNING);
    expect(naming[0]!.message).toContain('dataloaders.train: the train loader (StreamLoader) is not Stateful');
    expect(naming[0]!.message).toContain(file);
    // The mid-epoch position warning of the fit loop does not repeat it.
    expect(warnings.filter((w) => w.code === 'KINDLING_RESUME_LOADER_POSITION')).toEqual([]);
  });

  it('says nothing when every training loader is Stateful, or when only a validation loader is not (validation starts at its beginning)', async () => {
    const file = join(dir, 'stateful.kcpt');
    const first = new Trainer({ ...QUIET, maxSteps: 3, numSanityValSteps: 0 });
    await first.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: new StreamLoader(loaderOf({ n: 8 })) });
    await first.saveCheckpoint(file);
    const resumed = new Trainer({ ...QUIET, maxSteps: 9, numSanityValSteps: 0 });
    const warnings = await warningsOf(() =>
      resumed.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: new StreamLoader(loaderOf({ n: 8 })) }, { ckptPath: file }),
    );
    expect(resumed.globalStep).toBe(9);
    expect(warnings.filter((w) => w.code === INEXACT_RESUME_WARNING)).toEqual([]);
  });

  it('warns once, naming it, when the training dataset has state of its own that no loader state holds', async () => {
    /** A dataset that counts the samples it served (state a checkpoint of the loader does not hold). */
    class CountingDataset implements Dataset<Sample> {
      served = 0;
      constructor(private readonly inner: Dataset<Sample>) {}
      get length(): number {
        return this.inner.length;
      }
      get(index: number): Sample | Promise<Sample> {
        this.served++;
        return this.inner.get(index);
      }
      stateDict(): { served: number } {
        return { served: this.served };
      }
      loadStateDict(state: { served: number }): void {
        this.served = state.served;
      }
    }
    const counting = () => {
      const base = loaderOf({ n: 24 }).dataset as Dataset<Sample>;
      // Behind a Subset, as randomSplit hands it out.
      return new DataLoader(new Subset(new CountingDataset(base), Array.from({ length: 24 }, (_, i) => i)), { batchSize: 4, shuffle: true }) as unknown as AnyDataLoader;
    };
    const file = join(dir, 'dataset-state.kcpt');
    const first = new Trainer({ ...QUIET, maxSteps: 3, numSanityValSteps: 0 });
    await first.fit(new TinyRegressor(), { trainDataloaders: counting() });
    await first.saveCheckpoint(file);
    const resumed = new Trainer({ ...QUIET, maxSteps: 9, numSanityValSteps: 0 });
    const warnings = await warningsOf(() => resumed.fit(new TinyRegressor(), { trainDataloaders: counting() }, { ckptPath: file }));
    const naming = warnings.filter((w) => w.message.includes('CountingDataset'));
    expect(naming).toHaveLength(1);
    expect(naming[0]!.code).toBe(INEXACT_RESUME_WARNING);
    expect(naming[0]!.message).toContain('dataloaders.train: the dataset of the train loader (CountingDataset) has state of its own');
  });

  it('warns about a loader position it could not restore at every mid-epoch resume, not once per process', async () => {
    const file = join(dir, 'position.kcpt');
    /** Saves after the third batch, inside the first epoch (a save after fit would be between epochs). */
    class SaveAfterThirdBatch extends Callback {
      override onTrainBatchEnd(trainer: TrainerView): void {
        if (trainer.globalStep === 3) void trainer.saveCheckpoint(file);
      }
    }
    await new Trainer({ ...QUIET, maxSteps: 4, numSanityValSteps: 0, callbacks: [new SaveAfterThirdBatch()] }).fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 24, shuffle: true }) });
    // restore.dataloaders false: the loader starts at batch 0 while the loop resumes after batch 3.
    const resumeOnce = async () => {
      const resumed = new Trainer({ ...QUIET, maxSteps: 9, numSanityValSteps: 0 });
      const warnings = await warningsOf(() => resumed.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 24, shuffle: true }) }, { ckptPath: file, restore: { dataloaders: false } }));
      expect(resumed.globalStep).toBe(9);
      return warnings.filter((w) => w.code === 'KINDLING_RESUME_LOADER_POSITION');
    };
    for (const resume of [1, 2]) {
      const position = await resumeOnce();
      expect(position, `resume ${resume}`).toHaveLength(1);
      expect(position[0]!.message).toContain('Resuming epoch 0 after batch 3, but the training loader stands at batch 0 of epoch 0');
    }
  });
});
