import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DigitsDataModule } from '../../../examples/data/digits-data-module.js';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../../src/checkpoint/index.js';
import { ArrayDataset, DataConfigError, DataLoader, DataModule, type DataModuleState, StateError } from '../../../src/index.js';
import { tf } from './tf-backend.js';

async function fitLoaders(dm: DigitsDataModule) {
  await dm.prepareData();
  await dm.setup('fit');
  return { ...dm.createDataloaders('train'), ...dm.createDataloaders('val') };
}

async function labelsOf(loader: AsyncIterable<{ label: tf.Tensor }>, count: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of loader) {
    out.push([...batch.label.dataSync()]);
    if (out.length === count) break;
  }
  return out;
}

describe('DataModule', () => {
  it('registers the loaders it makes by name and includes their states in its own', async () => {
    const dm = new DigitsDataModule({ batchSize: 100 });
    const loaders = await fitLoaders(dm);
    expect(Object.keys(loaders)).toEqual(['train', 'val']);
    expect(Object.keys(dm.dataloaders)).toEqual(['train', 'val']);
    const state = dm.stateDict();
    expect(Object.keys(state)).toEqual(['dataloaders', 'curriculumStage']);
    expect(state.dataloaders['train']).toMatchObject({ epoch: 0, batchesYielded: 0, datasetLength: 1618 });
    expect(state.dataloaders['val']).toMatchObject({ datasetLength: 179 });
    expect(dm.hparams).toEqual({ batchSize: 100, valFraction: 0.1, seed: 0 });
  });

  it('restores its own fields and where each named loader stands, through a checkpoint file', async () => {
    const uninterrupted = new DigitsDataModule({ batchSize: 50 });
    const expected = await labelsOf((await fitLoaders(uninterrupted)).train as never, 12);

    const first = new DigitsDataModule({ batchSize: 50 });
    const loaders = await fitLoaders(first);
    expect(await labelsOf(loaders.train as never, 7)).toEqual(expected.slice(0, 7));
    await labelsOf(loaders.val as never, 2);
    first.curriculumStage = 2;

    const dir = await mkdtemp(join(tmpdir(), 'kindling-dm-'));
    try {
      await saveCheckpoint(join(dir, 'ckpt'), { datamodule: first.stateDict() }, { durable: false });
      const tree = await loadCheckpoint(join(dir, 'ckpt'));
      const resumed = new DigitsDataModule({ batchSize: 50 });
      const again = await fitLoaders(resumed);
      resumed.loadStateDict(tree['datamodule'] as unknown as DataModuleState & { curriculumStage: number });
      expect(resumed.curriculumStage).toBe(2);
      expect([again.val!.epoch, again.val!.batchesYielded]).toEqual([0, 2]);
      expect(await labelsOf(again.train as never, 5)).toEqual(expected.slice(7, 12));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a state for loaders that were not created yet, and changes nothing', async () => {
    const saved = new DigitsDataModule();
    await fitLoaders(saved);
    saved.curriculumStage = 3;
    const early = new DigitsDataModule();
    expect(() => early.loadStateDict(saved.stateDict())).toThrow(StateError);
    expect(() => early.loadStateDict(saved.stateDict())).toThrow('DigitsDataModule.dataloaders.train: expected nothing here');
    expect(early.curriculumStage).toBe(0);
  });

  it('restores only its own fields for evaluation with a non-strict load of an empty dataloaders record', async () => {
    const saved = new DigitsDataModule();
    await fitLoaders(saved);
    saved.curriculumStage = 4;
    const evaluating = new DigitsDataModule();
    await evaluating.setup('test');
    evaluating.testDataloader = evaluating.valDataloader;
    const { test } = evaluating.createDataloaders('test');
    const result = evaluating.loadStateDict({ ...saved.stateDict(), dataloaders: {} }, { strict: false });
    expect(result.missingKeys).toEqual(['DigitsDataModule.dataloaders.test']);
    expect([evaluating.curriculumStage, test!.epoch, test!.batchesYielded]).toEqual([4, 0, 0]);
  });

  it('has no checkpoint hooks', () => {
    const dm = new DigitsDataModule();
    expect('onSaveCheckpoint' in dm).toBe(false);
    expect('onLoadCheckpoint' in dm).toBe(false);
  });

  it('names record loaders kind.key, replaces a kind on re-creation, and says when a kind is missing', () => {
    class Two extends DataModule {
      made = 0;
      override valDataloader() {
        this.made += 1;
        const loader = () => new DataLoader(new ArrayDataset([1, 2, 3]));
        return this.made === 1 ? { clean: loader(), noisy: loader() } : loader();
      }
    }
    const dm = new Two();
    expect(Object.keys(dm.createDataloaders('val'))).toEqual(['val.clean', 'val.noisy']);
    expect(Object.keys(dm.createDataloaders('val'))).toEqual(['val']);
    expect(Object.keys(dm.dataloaders)).toEqual(['val']);
    expect(() => dm.createDataloaders('train')).toThrow(DataConfigError);
    expect(() => dm.createDataloaders('train')).toThrow('Two has no train loader: implement trainDataloader()');
  });
});
