/** fit and resume with a DataModule: its loaders' positions travel in its own state (docs/data.md), hparams beside it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../src/checkpoint/index.js';
import { Callback } from '../../src/components/callbacks/callback.js';
import type { TrainerView } from '../../src/components/callbacks/trainer-view.js';
import { DataModule, type LoaderSet } from '../../src/components/data/data-module.js';
import { initEngine } from '../../src/components/engine/index.js';
import { seedEverything } from '../../src/components/rng/default.js';
import { Trainer } from '../../src/trainer/trainer.js';
import { QUIET } from './support/quiet.js';
import { loaderOf, TinyRegressor } from './support/tiny.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-dm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class TinyData extends DataModule {
  override hparams = { batchSize: 4 };
  calls: string[] = [];
  override prepareData(): void {
    this.calls.push('prepareData');
  }
  override setup(stage: string): void {
    this.calls.push(`setup:${stage}`);
  }
  override teardown(stage: string): void {
    this.calls.push(`teardown:${stage}`);
  }
  override trainDataloader(): LoaderSet {
    return loaderOf({ n: 24, shuffle: true });
  }
  override valDataloader(): LoaderSet {
    return loaderOf({ n: 8 });
  }
}

class Crash extends Error {}

describe('fit with a datamodule', () => {
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
  });

  it('saves the datamodule (with its loaders) and resumes mid-epoch exactly', async () => {
    const options = { ...QUIET, maxEpochs: 2, numSanityValSteps: 0 };
    seedEverything(3);
    const reference = new TinyRegressor();
    const dm = new TinyData();
    await new Trainer(options).fit(reference, { datamodule: dm });
    expect(dm.calls).toEqual(['prepareData', 'setup:fit', 'teardown:fit']);

    const file = join(dir, 'mid.kcpt');
    class SaveAt extends Callback {
      override onTrainBatchEnd(trainer: TrainerView): void {
        if (trainer.globalStep !== 9) return;
        void trainer.saveCheckpoint(file);
        throw new Crash('crash');
      }
    }
    seedEverything(3);
    await expect(new Trainer({ ...options, callbacks: [new SaveAt()] }).fit(new TinyRegressor(), { datamodule: new TinyData() })).rejects.toThrow(Crash);
    const saved = await loadCheckpoint(file);
    expect(Object.keys((saved['datamodule'] as { dataloaders: object }).dataloaders)).toEqual(['train', 'val']);
    expect(saved['datamoduleHparams']).toEqual({ batchSize: 4 });
    expect(saved['dataloaders']).toBeUndefined();

    seedEverything(77);
    const resumed = new TinyRegressor();
    const trainer = new Trainer(options);
    await trainer.fit(resumed, { datamodule: new TinyData() }, { ckptPath: file });
    expect(trainer.globalStep).toBe(12);
    expect(resumed.weight.variable.dataSync()).toEqual(reference.weight.variable.dataSync());
    expect(resumed.bias.variable.dataSync()).toEqual(reference.bias.variable.dataSync());
  });
});
