/**
 * End to end: a small tfjs model fitted with EarlyStopping, ModelCheckpoint (top-k 2, saveLast), Timer,
 * LearningRateMonitor, a warmup + cosine schedule and DynamicLossScaling. A fresh trainer with fresh components
 * restores from the saved file, and every component's stateDict() deep-equals the saved one (tensors element by
 * element, which for float32 is bit for bit except NaN payloads, which the run does not produce).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/index.js';
import type { Callback } from '../../src/components/callbacks/callback.js';
import { EarlyStopping } from '../../src/components/callbacks/early-stopping.js';
import { LearningRateMonitor } from '../../src/components/callbacks/learning-rate-monitor.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { Timer } from '../../src/components/callbacks/timer.js';
import { initEngine } from '../../src/components/engine/index.js';
import type { OptimizersConfig } from '../../src/components/nn/module-types.js';
import { SGD } from '../../src/components/optim/sgd.js';
import { DynamicLossScaling } from '../../src/components/precision/dynamic-loss-scaling.js';
import { defaultGenerator, seedEverything } from '../../src/components/rng/default.js';
import { CosineAnnealingLR } from '../../src/components/schedulers/cosine-annealing-lr.js';
import { LinearLR } from '../../src/components/schedulers/linear-lr.js';
import { SequentialLR } from '../../src/components/schedulers/sequential-lr.js';
import { CSVLogger } from '../../src/trainer/loggers/csv-logger.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class WarmupCosine extends TinyRegressor {
  override configureOptimizers(): OptimizersConfig {
    const optimizer = new SGD(this.namedParameters(), { lr: 0.2, momentum: 0.9 });
    const scheduler = new SequentialLR(optimizer, {
      schedulers: [new LinearLR(optimizer, { startFactor: 0.1, totalIters: 4 }), new CosineAnnealingLR(optimizer, { tMax: 20 })],
      milestones: [4],
    });
    return { optimizer, lrScheduler: { scheduler, interval: 'step', name: 'warmupCosine' } };
  }
}

function components() {
  let clock = 0;
  const callbacks: Callback[] = [
    new EarlyStopping({ monitor: 'val_loss', patience: 20 }),
    new ModelCheckpoint({ dirpath: join(dir, 'checkpoints'), monitor: 'val_loss', saveTopK: 2, saveLast: true }),
    new Timer({ now: () => (clock += 5) }),
    new LearningRateMonitor(),
  ];
  return { callbacks, precision: new DynamicLossScaling({ initScale: 1024, growthInterval: 3 }), module: new WarmupCosine() };
}

describe('end to end', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('restores every component of a fit to exactly its saved state', async () => {
    seedEverything(11);
    const saved = components();
    const trainer = new Trainer({ ...QUIET, maxEpochs: 3, numSanityValSteps: 1, valCheckInterval: 0.5, callbacks: saved.callbacks, precision: saved.precision, logger: new CSVLogger({ saveDir: dir }) });
    const train = loaderOf({ n: 24, shuffle: true });
    await trainer.fit(saved.module, { trainDataloaders: train, valDataloaders: loaderOf({ n: 8 }) });
    const file = join(dir, 'end.kcpt');
    await trainer.saveCheckpoint(file);
    const checkpoint = await loadCheckpoint(file);

    seedEverything(99);
    const fresh = components();
    const resumed = new Trainer({ ...QUIET, maxEpochs: 4, numSanityValSteps: 1, valCheckInterval: 0.5, callbacks: fresh.callbacks, precision: fresh.precision, logger: new CSVLogger({ saveDir: dir }) });
    const freshTrain = loaderOf({ n: 24, shuffle: true });
    let restored: Record<string, unknown> | undefined;
    fresh.module.onFitStart = () => {
      restored = {
        module: fresh.module.stateDict(),
        callbacks: Object.fromEntries(fresh.callbacks.map((c) => [c.stateKey, c.stateDict()]).filter(([, s]) => Object.keys(s as object).length > 0)),
        optimizers: { default: (resumed.optimizers['default'] as unknown as SGD).stateDict() },
        lrSchedulers: { warmupCosine: resumed.lrSchedulers['warmupCosine']!.scheduler.stateDict() },
        precision: fresh.precision.stateDict(),
        loops: { ...(checkpoint['loops'] as object), fitLoop: resumed.loops.fitLoop.stateDict() },
        train: freshTrain.stateDict(),
        rng: defaultGenerator().stateDict(),
      };
    };
    await resumed.fit(fresh.module, { trainDataloaders: freshTrain, valDataloaders: loaderOf({ n: 8 }) }, { ckptPath: file });

    expect(Object.keys(checkpoint['callbacks'] as object).sort()).toEqual(Object.keys(restored!['callbacks'] as object).sort());
    expect(restored).toEqual({
      module: checkpoint['module'],
      callbacks: checkpoint['callbacks'],
      optimizers: checkpoint['optimizers'],
      lrSchedulers: checkpoint['lrSchedulers'],
      precision: checkpoint['precision'],
      loops: checkpoint['loops'],
      train: (checkpoint['dataloaders'] as Record<string, unknown>)['train'],
      rng: checkpoint['rng'],
    });
    expect(resumed.currentEpoch).toBe(4);

    // 'best' and 'last' name the files of this trainer's ModelCheckpoint.
    const checkpointCallback = fresh.callbacks[1] as ModelCheckpoint;
    const [tested] = await resumed.test(fresh.module, { dataloaders: loaderOf({ n: 8 }) }, { ckptPath: 'best' });
    expect(resumed.ckptPath).toBe(checkpointCallback.bestModelPath);
    expect(tested!['test_loss']).toEqual(expect.any(Number));
    await resumed.validate(fresh.module, { dataloaders: loaderOf({ n: 8 }) }, { ckptPath: 'last' });
    expect(resumed.ckptPath).toBe(checkpointCallback.lastModelPath);
    expect(Object.keys(checkpointCallback.bestKModels)).toHaveLength(2);
  });
});
