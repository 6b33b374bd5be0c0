/**
 * Gradient accumulation across a checkpoint (issue 12): the gradients summed so far in the window a checkpoint is
 * saved inside are its `gradientAccumulator` section, bit for bit; a run resumed from it ends bit-identical to the run
 * that never stopped; and a resume inside a window from a checkpoint without them says so instead of resuming
 * inexactly in silence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import type { TrainerModule, TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { valueAndGrads } from '../../src/components/nn/gradients.js';
import { seedEverything } from '../../src/components/rng/default.js';
import { isTensor, type Tensor } from '../../src/state/tensor.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, regressionData, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-accumulation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** 24 points in batches of 4: 6 batches per epoch, so windows of 4 batches are batches 0–3 and 4–5 of each epoch. */
const ACCUMULATE = 4;
const options = { ...QUIET, maxEpochs: 2, numSanityValSteps: 0, accumulateGradBatches: ACCUMULATE } as const;

/** Saves the trainer's checkpoint after batch `batchIdx` of epoch `epoch` (the run goes on). */
class SaveAfterBatch extends Callback {
  saved: Record<string, unknown> | undefined;
  constructor(
    private readonly epoch: number,
    private readonly batchIdx: number,
    private readonly file: string,
  ) {
    super();
  }
  override onTrainBatchEnd(trainer: TrainerView, _module: TrainerModule, _outputs: unknown, _batch: unknown, batchIdx: number): void {
    if (trainer.currentEpoch !== this.epoch || batchIdx !== this.batchIdx) return;
    this.saved = trainer.dumpCheckpoint() as Record<string, unknown>;
    void trainer.saveCheckpoint(this.file);
  }
}

function bytes(t: Tensor): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

function weightsOf(module: TinyRegressor): Float32Array[] {
  return [module.weight.variable.dataSync() as Float32Array, module.bias.variable.dataSync() as Float32Array];
}

async function fit(ckptPath: string | undefined, callbacks: Callback[] = []): Promise<TinyRegressor> {
  // The resumed run is seeded differently: everything that matters must come from the checkpoint.
  seedEverything(ckptPath === undefined ? 7 : 1234);
  const module = new TinyRegressor();
  await new Trainer({ ...options, callbacks }).fit(module, { trainDataloaders: loaderOf({ n: 24, shuffle: true }) }, { ckptPath });
  return module;
}

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
});

describe('gradient accumulation and checkpoints', () => {
  let reference: Float32Array[] | undefined;

  it('a checkpoint saved inside a window holds the float32 sum of its gradients so far, by parameter name', async () => {
    const saver = new SaveAfterBatch(0, 1, join(dir, 'first-window.kcpt'));
    const module = new TinyRegressor();
    await new Trainer({ ...options, maxEpochs: 1, callbacks: [saver] }).fit(module, { trainDataloaders: loaderOf({ n: 24 }) });
    const section = saver.saved!['gradientAccumulator'] as { batches: number; partialSums: Record<string, Tensor> };
    expect(section.batches).toBe(2);
    expect(Object.keys(section.partialSums)).toEqual(['weight', 'bias']);

    // The same sum computed outside the trainer: the unshuffled batches 0 and 1, each loss divided by the window's
    // size, before the window's step (the weights are still the initial ones), added in batch order.
    const { x, y } = regressionData(24);
    const fresh = new TinyRegressor();
    const gradsOf = (batch: number) =>
      valueAndGrads(fresh, () => {
        const xs = tf.tensor2d(x.slice(8 * batch, 8 * batch + 8), [4, 2]);
        const ys = tf.tensor2d(y.slice(4 * batch, 4 * batch + 4), [4, 1]);
        return tf.div(tf.mean(tf.square(tf.sub(fresh.forward(xs), ys))), ACCUMULATE) as tf.Scalar;
      }).grads;
    const [g0, g1] = [gradsOf(0), gradsOf(1)];
    for (const name of ['weight', 'bias']) {
      const expected = tf.add(g0[name]!, g1[name]!).dataSync() as Float32Array;
      const saved = section.partialSums[name]!;
      expect(isTensor(saved) && saved.dtype).toBe('float32');
      expect(bytes(saved)).toEqual(new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength));
    }
  });

  it('a checkpoint saved between windows holds an empty accumulator, and a weights-only one none', async () => {
    const saver = new SaveAfterBatch(0, ACCUMULATE - 1, join(dir, 'window-end.kcpt'));
    const trainer = new Trainer({ ...options, maxEpochs: 1, callbacks: [saver] });
    await trainer.fit(new TinyRegressor(), { trainDataloaders: loaderOf({ n: 24 }) });
    expect(saver.saved!['gradientAccumulator']).toEqual({ batches: 0, partialSums: {} });
    expect(trainer.dumpCheckpoint({ weightsOnly: true })).not.toHaveProperty('gradientAccumulator');
  });

  it('a run resumed from inside a window ends bit-identical to the run that never stopped, without a warning', async () => {
    const file = join(dir, 'mid-window.kcpt');
    // Epoch 1, after its batch 1: two batches into the window of batches 0–3.
    reference = weightsOf(await fit(undefined, [new SaveAfterBatch(1, 1, file)]));
    const saved = await loadCheckpoint(file);
    expect((saved['gradientAccumulator'] as { batches: number }).batches).toBe(2);
    const warn = vi.spyOn(process, 'emitWarning');
    const resumed = weightsOf(await fit(file));
    expect(warn.mock.calls.map((c) => (c[1] as { code?: string } | undefined)?.code)).not.toContain('KINDLING_RESUME_ACCUMULATION');
    expect(resumed).toEqual(reference);
  });

  it('a run resumed from a validation inside a window ends bit-identical too', async () => {
    // valCheckInterval 0.5 validates after batch 3 of 6: three batches into the window of batches 0–3.
    const file = join(dir, 'validation-in-window.kcpt');
    class SaveAfterValidation extends Callback {
      private saved = false;
      override onValidationEnd(trainer: TrainerView): void {
        // The epoch's first validation (the second one, at its end, is between windows).
        if (trainer.currentEpoch !== 1 || this.saved) return;
        this.saved = true;
        void trainer.saveCheckpoint(file);
      }
    }
    const run = async (ckptPath?: string, callbacks: Callback[] = []) => {
      seedEverything(ckptPath === undefined ? 7 : 1234);
      const module = new TinyRegressor();
      const trainer = new Trainer({ ...options, valCheckInterval: 0.5, callbacks });
      await trainer.fit(module, { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) }, { ckptPath });
      return weightsOf(module);
    };
    const uninterrupted = await run(undefined, [new SaveAfterValidation()]);
    const saved = await loadCheckpoint(file);
    expect((saved['gradientAccumulator'] as { batches: number }).batches).toBe(3);
    expect(await run(file)).toEqual(uninterrupted);
  });

  it('gradients left by an epoch that ended inside a window are dropped when the next window starts (torch zero_grad)', async () => {
    class EndsEpochEarly extends TinyRegressor {
      // Lightning's rule: onTrainBatchStart returning -1 ends the epoch before this batch (here two into a window).
      override onTrainBatchStart(_batch: unknown, batchIdx: number): number | undefined {
        return this.trainerLink?.currentEpoch === 0 && batchIdx === 2 ? -1 : undefined;
      }
    }
    const seen: string[] = [];
    const record = (trainer: TrainerView, where: string) => {
      const section = (trainer.dumpCheckpoint() as Record<string, unknown>)['gradientAccumulator'] as { batches: number };
      seen.push(`${where}: ${section.batches}`);
    };
    class RecordAccumulator extends Callback {
      override onTrainEpochEnd(trainer: TrainerView): void {
        if (trainer.currentEpoch === 0) record(trainer, 'end of epoch 0');
      }
      override onTrainBatchEnd(trainer: TrainerView, _m: TrainerModule, _o: unknown, _b: unknown, batchIdx: number): void {
        if (trainer.currentEpoch === 1 && batchIdx === 0) record(trainer, 'epoch 1, after batch 0');
      }
    }
    await new Trainer({ ...options, callbacks: [new RecordAccumulator()] }).fit(new EndsEpochEarly(), { trainDataloaders: loaderOf({ n: 24 }) });
    expect(seen).toEqual(['end of epoch 0: 2', 'epoch 1, after batch 0: 1']);
  });

  it('a resume inside a window from a checkpoint without the partial sums warns, naming the window', async () => {
    const tree = { ...(await loadCheckpoint(join(dir, 'mid-window.kcpt'))) };
    delete tree['gradientAccumulator'];
    const file = join(dir, 'mid-window-without-sums.kcpt');
    await saveCheckpoint(file, tree as StateTree);
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const resumed = weightsOf(await fit(file));
    // The window steps without its first two batches' gradients: the partial sums are what made the resume exact.
    expect(resumed).not.toEqual(reference);
    const call = warn.mock.calls.find((c) => (c[1] as { code?: string } | undefined)?.code === 'KINDLING_RESUME_ACCUMULATION');
    expect(call?.[0]).toMatch(/after batch 2, 2 batches into a gradient-accumulation window of 4, but the restored gradient accumulator holds the gradients of 0 batches/);
  });
});
