/** Each bad input gives one clear error and changes nothing. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import { initEngine } from '../../src/components/engine/index.js';
import type { OptimizersConfig } from '../../src/components/nn/module-types.js';
import { Parameter } from '../../src/components/nn/parameter.js';
import { SGD } from '../../src/components/optim/sgd.js';
import { ReduceLROnPlateau } from '../../src/components/schedulers/reduce-lr-on-plateau.js';
import { MissingMetricError, TrainerCheckpointError, TrainerConfigError } from '../../src/trainer/errors.js';
import { LAYOUT_VERSION } from '../../src/trainer/connector/layout.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { ModelCheckpoint } from '../../src/components/callbacks/model-checkpoint/model-checkpoint.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';
import { QUIET } from './support/quiet.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const data = () => ({ trainDataloaders: loaderOf({ n: 8 }), valDataloaders: loaderOf({ n: 4 }) });

let good: string;

beforeAll(async () => {
  await initEngine({ backend: 'cpu' });
  const trainer = new Trainer({ ...QUIET, maxEpochs: 1, numSanityValSteps: 0 });
  await trainer.fit(new TinyRegressor(), data());
  good = join(dir, 'good.kcpt');
  await trainer.saveCheckpoint(good);
});

/** Runs fit from `ckptPath` on a fresh module and trainer; returns the error and whether anything changed. */
async function fitFrom(ckptPath: string, module = new TinyRegressor({ seedWeight: 0.7 }), options: { maxEpochs?: number } = {}) {
  const trainer = new Trainer({ ...QUIET, maxEpochs: options.maxEpochs ?? 3, numSanityValSteps: 0 });
  const weights = module.weight.variable.dataSync().slice();
  const loops = trainer.loops.stateDict();
  const calls: string[] = [];
  module.onFitStart = () => calls.push('onFitStart');
  const error = await trainer.fit(module, data(), { ckptPath }).then(() => undefined, (e: unknown) => e as Error);
  const unchanged = Array.from(module.weight.variable.dataSync()).every((v, i) => v === weights[i]) && JSON.stringify(trainer.loops.stateDict()) === JSON.stringify(loops) && calls.length === 0;
  return { error, unchanged };
}

describe('bad input', () => {
  it('a ckptPath that does not exist', async () => {
    const { error, unchanged } = await fitFrom(join(dir, 'missing.kcpt'));
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect(error!.message).toMatch(/missing\.kcpt does not exist/);
    expect(unchanged).toBe(true);
  });

  it('a file that is not a checkpoint', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are not the weights you are looking for\n'.repeat(20));
    const { error, unchanged } = await fitFrom(file);
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect(error!.message).toContain(`${file} cannot be restored`);
    expect(unchanged).toBe(true);
  });

  it('a corrupt checkpoint', async () => {
    const file = join(dir, 'corrupt.kcpt');
    const bytes = readFileSync(good);
    bytes[bytes.length - 3]! ^= 0xff;
    writeFileSync(file, bytes);
    const { error, unchanged } = await fitFrom(file);
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect(error!.message).toContain(`${file} cannot be restored`);
    expect(unchanged).toBe(true);
  });

  it('a checkpoint of another model names the paths and both shapes', async () => {
    class Wider extends TinyRegressor {
      constructor() {
        super();
        this.weight = new Parameter(tf.zeros([3, 1]), { nameHint: 'wider.weight' });
      }
      override configureOptimizers(): OptimizersConfig {
        return new SGD(this.namedParameters(), { lr: 0.1 });
      }
    }
    const { error, unchanged } = await fitFrom(good, new Wider());
    // The path is the checkpoint's (the module section), as the generated state code of every Module reports it.
    expect(error!.message).toContain('module.weight: expected float32[3,1], got float32[2,1]');
    // And what to do: the file has no hparams to compare, so the hint points to the saved tree.
    expect(error!.message).toContain(`build the Wider as the run that saved it did (\`kindling inspect --tree ${good}\``);
    expect(unchanged).toBe(true);

    // With hparams in both, the hint names the two.
    const file = join(dir, 'with-hparams.kcpt');
    await saveCheckpoint(file, { ...(await loadCheckpoint(good)), hparams: { width: 2 } });
    const wider = new Wider();
    wider.hparams = { width: 3 };
    const named = await fitFrom(file, wider);
    expect(named.error!.message).toContain('it was saved with hparams {"width":2}, and this Wider has {"width":3}. Build the Wider with the saved hparams.');
    expect(named.unchanged).toBe(true);
  });

  it('a checkpoint newer than the library', async () => {
    const tree = { ...(await loadCheckpoint(good)), layoutVersion: 99 };
    const file = join(dir, 'newer.kcpt');
    await saveCheckpoint(file, tree as StateTree);
    const { error, unchanged } = await fitFrom(file);
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect(error!.message).toMatch(new RegExp(`layout 99, newer than this kindling's ${LAYOUT_VERSION}.*Upgrade kindling`));
    expect(unchanged).toBe(true);
  });

  it("ckptPath: 'best' without a ModelCheckpoint", async () => {
    const { error, unchanged } = await fitFrom('best');
    expect(error).toBeInstanceOf(TrainerConfigError);
    expect(error!.message).toMatch(/needs a ModelCheckpoint callback/);
    expect(unchanged).toBe(true);
  });

  it("ckptPath: 'best' in a process whose ModelCheckpoint has saved nothing says where the best path is", async () => {
    const trainer = new Trainer({ ...QUIET, enableCheckpointing: true, callbacks: [new ModelCheckpoint({ dirpath: dir, monitor: 'val_loss' })] });
    const error = await trainer.validate(new TinyRegressor(), { dataloaders: loaderOf({ n: 4 }) }, { ckptPath: 'best' }).then(() => undefined, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(TrainerConfigError);
    expect(error!.message).toContain("has not saved a best checkpoint yet in this process (a new process knows the best file once it has restored a checkpoint, e.g. a fit with ckptPath: 'last'");
  });

  it('a maxEpochs already reached', async () => {
    const { error, unchanged } = await fitFrom(good, undefined, { maxEpochs: 1 });
    expect(error).toBeInstanceOf(TrainerCheckpointError);
    expect(error!.message).toMatch(/saved after 1 epochs, and this trainer's maxEpochs is 1.*Raise maxEpochs/);
    expect(unchanged).toBe(true);
  });

  it('a monitor key that is never logged names the keys that are', async () => {
    class Plateau extends TinyRegressor {
      override configureOptimizers(): OptimizersConfig {
        const optimizer = new SGD(this.namedParameters(), { lr: 0.1 });
        return { optimizer, lrScheduler: { scheduler: new ReduceLROnPlateau(optimizer), monitor: 'val_acc' } };
      }
    }
    const error = (await new Trainer({ ...QUIET, maxEpochs: 1, numSanityValSteps: 0 }).fit(new Plateau(), data()).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(MissingMetricError);
    expect(error.message).toBe("The ReduceLROnPlateau scheduler 'default' monitors 'val_acc', which was not logged. Logged keys: train_loss, val_loss. Log it with module.log('val_acc', value) or change the monitor.");
  });
});
