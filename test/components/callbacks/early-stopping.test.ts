/** EarlyStopping: Lightning's stopping decisions, its state key, and what a resume restores (not patience). */
import { describe, expect, it } from 'vitest';
import { EarlyStopping, type EarlyStoppingTrainer } from '../../../src/components/callbacks/early-stopping.js';
import { CallbackConfigError, MonitorNotFoundError } from '../../../src/components/callbacks/errors.js';

class FakeTrainer implements EarlyStoppingTrainer {
  callbackMetrics: Record<string, number> = {};
  currentEpoch = 0;
  shouldStop = false;
}

/** Feeds `values` one check per epoch until the callback stops; returns the epoch it stopped at, or undefined. */
function run(es: EarlyStopping, values: readonly number[], trainer = new FakeTrainer()): number | undefined {
  for (const [epoch, value] of values.entries()) {
    trainer.currentEpoch = epoch;
    trainer.callbackMetrics = { val_loss: value, val_acc: value };
    es.check(trainer);
    if (trainer.shouldStop) return epoch;
  }
  return undefined;
}

describe('EarlyStopping decisions', () => {
  it('stops after `patience` checks without improvement, and resets the count on improvement', () => {
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    // 1.0 best, 1.1 (wait 1), 0.9 best (wait 0), 0.95 (1), 0.95 (2 → stop at epoch 4)
    expect(run(es, [1.0, 1.1, 0.9, 0.95, 0.95, 0.1])).toBe(4);
    expect(es.bestScore).toBe(0.9);
    expect(es.waitCount).toBe(2);
    expect(es.stoppedEpoch).toBe(4);
    expect(es.stoppingReason).toBe('patienceExhausted');
    expect(es.stoppingReasonMessage).toBe('Monitored metric val_loss did not improve in the last 2 records. Best score: 0.900. Signaling Trainer to stop.');
  });

  it('counts an improvement smaller than minDelta as none, in either mode and for either sign of minDelta', () => {
    const min = new EarlyStopping({ monitor: 'val_loss', patience: 1, minDelta: -0.1 });
    expect(run(min, [1.0, 0.95])).toBe(1);
    const max = new EarlyStopping({ monitor: 'val_acc', mode: 'max', patience: 1, minDelta: 0.1 });
    expect(run(max, [0.5, 0.65, 0.7])).toBe(2);
    expect(max.bestScore).toBe(0.65);
  });

  it('stops at once on a non-finite value unless checkFinite is off', () => {
    const es = new EarlyStopping({ monitor: 'val_loss', patience: 5 });
    expect(run(es, [1, Number.NaN])).toBe(1);
    expect(es.stoppingReason).toBe('nonFiniteMetric');
    expect(es.stoppingReasonMessage).toBe('Monitored metric val_loss = NaN is not finite. Previous best value was 1.000. Signaling Trainer to stop.');
    const lenient = new EarlyStopping({ monitor: 'val_loss', patience: 5, checkFinite: false });
    expect(run(lenient, [1, Number.NaN, 0.5])).toBeUndefined();
    expect(lenient.bestScore).toBe(0.5);
  });

  it('stops when the stopping threshold is passed (strictly) or the divergence threshold is crossed', () => {
    const threshold = new EarlyStopping({ monitor: 'val_loss', patience: 5, stoppingThreshold: 0.5 });
    expect(run(threshold, [1, 0.5, 0.49])).toBe(2);
    expect(threshold.stoppingReason).toBe('stoppingThreshold');
    const diverging = new EarlyStopping({ monitor: 'val_acc', mode: 'max', patience: 5, divergenceThreshold: 0.2 });
    expect(run(diverging, [0.5, 0.2, 0.19])).toBe(2);
    expect(diverging.stoppingReason).toBe('divergenceThreshold');
    expect(diverging.stoppingReasonMessage).toBe('Divergence threshold reached: val_acc = 0.19 < 0.2. Signaling Trainer to stop.');
  });

  it('never clears a stop another callback asked for', () => {
    const es = new EarlyStopping({ monitor: 'val_loss' });
    const trainer = new FakeTrainer();
    trainer.shouldStop = true;
    trainer.callbackMetrics = { val_loss: 1 };
    expect(es.check(trainer)?.shouldStop).toBe(false);
    expect(trainer.shouldStop).toBe(true);
  });

  it('names the logged metrics when the monitored one is missing, or skips the check when not strict', () => {
    const trainer = new FakeTrainer();
    trainer.callbackMetrics = { train_loss: 1, val_acc: 0.5 };
    expect(() => new EarlyStopping({ monitor: 'val_loss' }).check(trainer)).toThrow(MonitorNotFoundError);
    expect(() => new EarlyStopping({ monitor: 'val_loss' }).check(trainer)).toThrow(/'val_loss'.*'train_loss', 'val_acc'/);
    expect(new EarlyStopping({ monitor: 'val_loss', strict: false }).check(trainer)).toBeUndefined();
  });

  it('rejects a configuration that cannot work', () => {
    expect(() => new EarlyStopping({ monitor: 'x', patience: -1 })).toThrow(CallbackConfigError);
    expect(() => new EarlyStopping({ monitor: 'x', mode: 'lowest' as 'min' })).toThrow(/mode must be 'min' or 'max'/);
  });

  it('checks at the train epoch end only when validation runs once per epoch (Lightning\'s default)', () => {
    const once = new EarlyStopping({ monitor: 'val_loss' });
    once.resolveCheckPoint({ valCheckBatch: 10, numTrainingBatches: 10, checkValEveryNEpoch: 1 });
    expect(once.checkOnTrainEpochEnd).toBe(true);
    const often = new EarlyStopping({ monitor: 'val_loss' });
    often.resolveCheckPoint({ valCheckBatch: 3, numTrainingBatches: 10, checkValEveryNEpoch: 1 });
    expect(often.checkOnTrainEpochEnd).toBe(false);
    const given = new EarlyStopping({ monitor: 'val_loss', checkOnTrainEpochEnd: false });
    given.resolveCheckPoint({ valCheckBatch: 10, numTrainingBatches: 10, checkValEveryNEpoch: 1 });
    expect(given.checkOnTrainEpochEnd).toBe(false);
  });
});

describe('EarlyStopping state', () => {
  it('is keyed by monitor and mode only', () => {
    expect(new EarlyStopping({ monitor: 'val_loss', patience: 9, minDelta: 0.1 }).stateKey).toBe('EarlyStopping{"monitor":"val_loss","mode":"min"}');
  });

  it('round-trips, keeping the constructor patience rather than a saved one', () => {
    const before = new EarlyStopping({ monitor: 'val_loss', patience: 2 });
    run(before, [1.0, 1.1]);
    const saved = before.stateDict();
    expect(saved).toEqual({ waitCount: 1, stoppedEpoch: 0, bestScore: 1, stoppingReason: 'notStopped', stoppingReasonMessage: null });
    const resumed = new EarlyStopping({ monitor: 'val_loss', patience: 4 });
    resumed.loadStateDict(saved);
    expect(resumed.stateDict()).toEqual(saved);
    expect(resumed.patience).toBe(4);
    // waitCount 1 restored: three more checks without improvement reach patience 4.
    expect(run(resumed, [1.2, 1.2, 1.2])).toBe(2);
  });

  it('keeps Infinity as the best score of a fresh state', () => {
    expect(new EarlyStopping({ monitor: 'val_acc', mode: 'max' }).stateDict().bestScore).toBe(-Infinity);
  });

  it('refuses a negative or fractional waitCount and changes nothing', () => {
    const es = new EarlyStopping({ monitor: 'val_loss' });
    const state = { ...es.stateDict(), waitCount: -1, bestScore: 0.5 };
    expect(() => es.loadStateDict(state)).toThrow(/waitCount/);
    expect(es.bestScore).toBe(Infinity);
  });
});
