/**
 * Resuming from a checkpoint continues exactly where the saved run stood, wherever it was saved: at an epoch's start,
 * after a batch, after a validation inside the epoch, at an epoch's end, or after fit. The resumed run ends with the
 * same weights (bit for bit), the same global step and the same learning rate as an uninterrupted run, so no batch
 * was replayed or skipped (the loader shuffles, so a replayed or skipped batch would change the weights).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/index.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { initEngine } from '../../src/components/engine/index.js';
import { seedEverything } from '../../src/components/rng/default.js';
import { Loops } from '../../src/trainer/loops/loop-state.js';
import { type RestartPoint, restartPoint } from '../../src/trainer/run/fit.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Crash extends Error {}

type Hook = 'onTrainEpochStart' | 'onTrainBatchEnd' | 'onValidationEnd' | 'onTrainEpochEnd';

/** Saves a checkpoint from `hook` the first time `when` holds, then crashes the run. */
class SaveAndCrash extends Callback {
  constructor(
    private readonly hook: Hook,
    private readonly when: (trainer: TrainerView) => boolean,
    private readonly file: string,
  ) {
    super();
    this[hook] = (trainer: TrainerView) => {
      if (trainer.sanityChecking || !this.when(trainer)) return;
      void trainer.saveCheckpoint(this.file);
      throw new Crash(`crash after saving in ${this.hook}`);
    };
  }
}

const trainerOptions = { ...QUIET, maxEpochs: 3, valCheckInterval: 0.5, numSanityValSteps: 0 } as const;

function weightsOf(module: TinyRegressor): [Float32Array, Float32Array] {
  return [module.weight.variable.dataSync() as Float32Array, module.bias.variable.dataSync() as Float32Array];
}

async function freshRun(ckptPath?: string): Promise<{ module: TinyRegressor; trainer: Trainer }> {
  // Another seed than the saved run's: everything that matters must come from the checkpoint.
  seedEverything(ckptPath === undefined ? 7 : 1234);
  const module = new TinyRegressor({ withScheduler: true });
  const trainer = new Trainer(trainerOptions);
  await trainer.fit(module, { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) }, { ckptPath });
  return { module, trainer };
}

describe('resume', () => {
  let reference: { weights: [Float32Array, Float32Array]; globalStep: number; lr: number };

  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
    const { module, trainer } = await freshRun();
    reference = { weights: weightsOf(module), globalStep: trainer.globalStep, lr: trainer.optimizers['default']!.paramGroups[0]!.lr };
    expect(reference.globalStep).toBe(18);
  });

  const cases: [Hook, (t: TrainerView) => boolean, RestartPoint][] = [
    ['onTrainEpochStart', (t) => t.currentEpoch === 1, 'epochStart'],
    ['onTrainBatchEnd', (t) => t.globalStep === 8, 'midEpoch'],
    ['onTrainBatchEnd', (t) => t.globalStep === 12, 'midEpoch'],
    ['onValidationEnd', (t) => t.globalStep === 9, 'afterValidation'],
    ['onValidationEnd', (t) => t.globalStep === 12, 'afterValidation'],
    ['onTrainEpochEnd', (t) => t.currentEpoch === 1, 'epochEnd'],
  ];

  it.each(cases)('from a checkpoint saved in %s (%#) ends where an uninterrupted run ends', async (hook, when, expected) => {
    const file = join(dir, `${hook}-${Math.random().toString(36).slice(2)}.kcpt`);
    seedEverything(7);
    const crashing = new Trainer({ ...QUIET, ...trainerOptions, callbacks: [new SaveAndCrash(hook, when, file)] });
    await expect(
      crashing.fit(new TinyRegressor({ withScheduler: true }), { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) }),
    ).rejects.toThrow(Crash);

    const saved = await loadCheckpoint(file);
    const loops = new Loops();
    loops.fitLoop.loadStateDict((saved['loops'] as { fitLoop: never }).fitLoop);
    expect(restartPoint(loops.fitLoop)).toBe(expected);

    const { module, trainer } = await freshRun(file);
    expect(trainer.globalStep).toBe(reference.globalStep);
    expect(trainer.optimizers['default']!.paramGroups[0]!.lr).toBe(reference.lr);
    expect(weightsOf(module)).toEqual(reference.weights);
  });

  it('from a checkpoint saved after fit, a longer fit continues with the next epoch', async () => {
    const file = join(dir, 'after-fit.kcpt');
    seedEverything(7);
    const module = new TinyRegressor({ withScheduler: true });
    const short = new Trainer({ ...QUIET, ...trainerOptions, maxEpochs: 2 });
    await short.fit(module, { trainDataloaders: loaderOf({ n: 24, shuffle: true }), valDataloaders: loaderOf({ n: 8 }) });
    await short.saveCheckpoint(file);
    const loops = new Loops();
    loops.fitLoop.loadStateDict(((await loadCheckpoint(file))['loops'] as { fitLoop: never }).fitLoop);
    expect(restartPoint(loops.fitLoop)).toBe('betweenEpochs');
    const { module: resumed, trainer } = await freshRun(file);
    expect(trainer.globalStep).toBe(reference.globalStep);
    expect(weightsOf(resumed)).toEqual(reference.weights);
  });
});
