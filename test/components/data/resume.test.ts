import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, type StateTree } from '../../../src/checkpoint/index.js';
import { ArrayDataset, DataLoader, type DataLoaderState, seedEverything } from '../../../src/index.js';

const N = 10;
const EPOCHS = 3;

interface Config {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly prefetch: number;
}

/** A batch as the consumer saw it: the epoch it came in, and the dataset indices it holds. */
type Seen = [epoch: number, indices: number[]];

const configs: Config[] = [];
for (const batchSize of [3, 5]) {
  for (const shuffle of [false, true]) {
    for (const dropLast of [false, true]) {
      for (const prefetch of [0, 3]) configs.push({ batchSize, shuffle, dropLast, prefetch });
    }
  }
}

/** A loader over 0…N-1 whose batches are the samples themselves (no tensors: these tests are about order). */
function makeLoader(config: Config, defaultSeed: number): DataLoader<number, number[]> {
  seedEverything(defaultSeed);
  const dataset = new ArrayDataset(Array.from({ length: N }, (_, i) => i));
  return new DataLoader(dataset, { ...config, collate: (samples) => [...samples] });
}

/**
 * Consumes batches until the loader reaches epoch EPOCHS. With `stopAt`, takes the state after that many batches
 * (inside the loop body, as a training step would, while batches are prefetched) and stops there.
 */
async function consume(loader: DataLoader<number, number[]>, stopAt?: number): Promise<{ seen: Seen[]; state?: DataLoaderState }> {
  const seen: Seen[] = [];
  if (stopAt === 0) return { seen, state: loader.stateDict() };
  while (loader.epoch < EPOCHS) {
    for await (const batch of loader) {
      seen.push([loader.epoch, batch]);
      if (seen.length === stopAt) return { seen, state: loader.stateDict() };
    }
  }
  return { seen };
}

let dir: string;
let files = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kindling-resume-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The state after a checkpoint file round trip. */
async function throughFile(state: DataLoaderState): Promise<DataLoaderState> {
  const file = join(dir, `loader-${files++}.ckpt`);
  await saveCheckpoint(file, { dataloaders: { train: state } }, { durable: false });
  const tree = await loadCheckpoint(file);
  return (tree['dataloaders'] as StateTree)['train'] as unknown as DataLoaderState;
}

describe('exact mid-epoch resume', () => {
  it.each(configs)('batchSize $batchSize, shuffle $shuffle, dropLast $dropLast, prefetch $prefetch: every position', async (config) => {
    const { seen: expected } = await consume(makeLoader(config, 1));
    const perEpoch = makeLoader(config, 1).length;
    expect(expected).toHaveLength(perEpoch * EPOCHS);
    for (let stop = 0; stop <= expected.length; stop++) {
      const first = makeLoader(config, 1);
      const before = await consume(first, stop);
      const saved = before.state ?? first.stateDict();
      // Another default seed: the resumed order must come from the state, not from how the loader was made.
      const resumed = makeLoader(config, 2);
      resumed.loadStateDict(await throughFile(saved));
      const after = await consume(resumed);
      expect([...before.seen, ...after.seen], `stopped after ${stop} batches`).toEqual(expected);
    }
  });

  it.each(configs.filter((c) => c.prefetch === 3))(
    'batchSize $batchSize, shuffle $shuffle, dropLast $dropLast: a state taken between loops resumes at the next epoch',
    async (config) => {
      const { seen: expected } = await consume(makeLoader(config, 1));
      const loader = makeLoader(config, 1);
      for await (const _ of loader) void _;
      expect(loader.stateDict()).toMatchObject({ epoch: 1, batchesYielded: 0 });
      const resumed = makeLoader(config, 3);
      resumed.loadStateDict(await throughFile(loader.stateDict()));
      const after = await consume(resumed);
      expect(after.seen).toEqual(expected.slice(loader.length));
    },
  );

  it('a state taken at the last batch of an epoch resumes with no batches left in it, then the next epoch', async () => {
    const config = { batchSize: 3, shuffle: true, dropLast: false, prefetch: 0 };
    const loader = makeLoader(config, 1);
    const { state } = await consume(loader, loader.length);
    expect(state).toMatchObject({ epoch: 0, batchesYielded: 4 });
    const resumed = makeLoader(config, 4);
    resumed.loadStateDict(state!);
    const rest: number[][] = [];
    for await (const batch of resumed) rest.push(batch);
    expect(rest).toEqual([]);
    expect(resumed.epoch).toBe(1);
  });
});
