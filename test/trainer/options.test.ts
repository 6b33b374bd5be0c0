/** Trainer construction: option checks, state-key uniqueness, and Lightning's default callbacks. */
import { describe, expect, it } from 'vitest';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { ProgressBar } from '../../src/components/callbacks/progress/progress-bar.js';
import { TrainerConfigError } from '../../src/trainer/errors.js';
import { applyLimit } from '../../src/trainer/options.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { PatienceCounter } from './support/patience-counter.js';
import { RecordingCallback } from './support/recording.js';
import { QUIET } from './support/quiet.js';

describe('Trainer options', () => {
  it('refuses two callbacks whose states would share a key, and says how to tell them apart', () => {
    expect(() => new Trainer({ ...QUIET, callbacks: [new PatienceCounter(), new PatienceCounter()] })).toThrow(TrainerConfigError);
    expect(() => new Trainer({ ...QUIET, callbacks: [new PatienceCounter(), new PatienceCounter()] })).toThrow(
      /two callbacks have the state key PatienceCounter\{"monitor":"val_loss"\}.*override stateIdentity\(\)/,
    );
    // Different identity, or no state at all: allowed.
    expect(() => new Trainer({ ...QUIET, callbacks: [new PatienceCounter('a'), new PatienceCounter('b'), new RecordingCallback([]), new RecordingCallback([])] })).not.toThrow();
  });

  it('adds a ModelCheckpoint and a ProgressBar unless disabled or given, checkpoint callbacks last', () => {
    const defaults = new Trainer({ callbacks: [new PatienceCounter()] });
    expect(defaults.callbacks.map((c) => c.constructor.name)).toEqual(['PatienceCounter', 'ProgressBar', 'ModelCheckpoint']);
    const given = new ModelCheckpoint({ monitor: 'val_loss', saveTopK: 3 });
    const own = new Trainer({ callbacks: [given, new ProgressBar()] });
    expect(own.callbacks.filter((c) => c instanceof ModelCheckpoint)).toEqual([given]);
    expect(own.callbacks.at(-1)).toBe(given);
    expect(new Trainer(QUIET).callbacks).toEqual([]);
  });

  it.each([
    [{ maxEpochs: -1 }, /maxEpochs must be an integer ≥ 0/],
    [{ accumulateGradBatches: 0 }, /accumulateGradBatches must be an integer ≥ 1/],
    [{ limitTrainBatches: 2.5 }, /limitTrainBatches must be a fraction in \[0, 1\], an integer number of batches, or \{ batches: n \}/],
    [{ valCheckInterval: 0 }, /valCheckInterval must be > 0/],
    [{ gradientClipAlgorithm: 'l1' as never }, /gradientClipAlgorithm must be 'norm' or 'value'/],
    [{ deterministic: false }, /kindling always computes deterministically/],
  ])('refuses %o', (options, message) => {
    expect(() => new Trainer({ ...QUIET, ...options })).toThrow(message);
  });

  it('applies batch limits as Lightning does', () => {
    expect(applyLimit(1, 10)).toBe(10);
    expect(applyLimit(0.25, 10)).toBe(2);
    expect(applyLimit(0.01, 10)).toBe(1);
    expect(applyLimit(0, 10)).toBe(0);
    expect(applyLimit(3, 10)).toBe(3);
    expect(applyLimit({ batches: 1 }, 10)).toBe(1);
    expect(applyLimit(50, 10)).toBe(10);
  });
});
