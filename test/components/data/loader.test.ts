import { describe, expect, it } from 'vitest';
import {
  ArrayDataset,
  BatchSampler,
  DataConfigError,
  DataLoader,
  type Dataset,
  DatasetError,
  Generator,
  RandomSampler,
  SequentialSampler,
  StateError,
  TensorDataset,
  tensor,
} from '../../../src/index.js';
import { tf } from './tf-backend.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const numbers = (n: number) => new ArrayDataset(range(n));

/** An async dataset whose samples arrive after a pseudo-random delay, so later samples often arrive first. */
class SlowDataset implements Dataset<number> {
  readonly length: number;
  private readonly delays: Generator;
  constructor(n: number, readonly failAt?: number) {
    this.length = n;
    this.delays = new Generator(42);
  }
  get(index: number): Promise<number> {
    const delay = this.delays.integer(0, 4);
    return new Promise((resolve, reject) =>
      setTimeout(() => (index === this.failAt ? reject(new Error('disk unplugged')) : resolve(index)), delay),
    );
  }
}

async function collect<B>(loader: AsyncIterable<B>, map: (b: B) => number[]): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of loader) out.push(map(batch));
  return out;
}

describe('DataLoader configuration errors', () => {
  const sampler = new SequentialSampler({ length: 4 });
  it.each([
    ['batchSize 0', { batchSize: 0 }, 'batchSize must be a positive integer, got 0'],
    ['a fractional batchSize', { batchSize: 1.5 }, 'batchSize must be a positive integer, got 1.5'],
    ['shuffle with a sampler', { shuffle: true, sampler }, 'sampler is mutually exclusive with shuffle'],
    ['batchSampler with batchSize', { batchSampler: new BatchSampler(sampler, { batchSize: 2 }), batchSize: 2 }, 'batchSampler is mutually exclusive with batchSize, shuffle, sampler, dropLast and generator (got batchSize)'],
    ['a generator without shuffle', { generator: new Generator(1) }, 'generator is only used with shuffle: true'],
    ['a negative prefetch', { prefetch: -1 }, 'prefetch must be an integer ≥ 0, got -1'],
    ['dropLast leaving nothing', { batchSize: 5, dropLast: true }, '4 samples in batches of 5 with dropLast leave no batch'],
    ['a sampler that is not a Sampler', { sampler: [0, 1, 2, 3] as never }, 'sampler must be a kindling Sampler'],
  ])('%s', (_what, options, message) => {
    expect(() => new DataLoader(numbers(4), options)).toThrow(DataConfigError);
    expect(() => new DataLoader(numbers(4), options)).toThrow(message);
  });

  it('an empty dataset', () => {
    expect(() => new DataLoader(numbers(0))).toThrow('DataLoader: the dataset is empty');
  });
});

describe('DataLoader iteration', () => {
  it('has length batches per epoch and moves to the next epoch after the last', async () => {
    const loader = new DataLoader(numbers(7), { batchSize: 3, collate: (s) => [...s] });
    expect(loader.length).toBe(3);
    expect(await collect(loader, (b) => b)).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect([loader.epoch, loader.batchesYielded]).toEqual([1, 0]);
  });

  it('with prefetch, yields exactly the order without prefetch, even when samples arrive out of order', async () => {
    const make = (prefetch: number) =>
      new DataLoader(new SlowDataset(23), { batchSize: 4, shuffle: true, generator: new Generator(3), prefetch, collate: (s) => [...s] });
    const plain = await collect(make(0), (b) => b);
    for (const prefetch of [1, 3, 10]) expect(await collect(make(prefetch), (b) => b)).toEqual(plain);
    expect(plain.flat().sort((a, b) => a - b)).toEqual(range(23));
  });

  it('reports a failing sample when its batch is asked for, naming the index, and keeps the position', async () => {
    const loader = new DataLoader(new SlowDataset(12, 9), { batchSize: 4, prefetch: 2, collate: (s) => [...s] });
    const seen: number[][] = [];
    const run = async () => {
      for await (const b of loader) seen.push(b);
    };
    await expect(run()).rejects.toThrow(DatasetError);
    await expect(
      (async () => {
        for await (const b of loader) seen.push(b);
      })(),
    ).rejects.toThrow('dataset.get(9) failed (batch 2 of epoch 0): disk unplugged');
    expect(seen).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect([loader.epoch, loader.batchesYielded]).toEqual([0, 2]);
    expect(loader.iterating).toBe(false);
  });

  it('a loop that stops early leaves the loader where the consumer stopped; the next loop continues', async () => {
    const loader = new DataLoader(numbers(6), { batchSize: 2, collate: (s) => [...s] });
    for await (const _ of loader) break;
    expect([loader.epoch, loader.batchesYielded]).toEqual([0, 1]);
    expect(await collect(loader, (b) => b)).toEqual([[2, 3], [4, 5]]);
    loader.setEpoch(4);
    expect([loader.epoch, loader.batchesYielded]).toEqual([4, 0]);
    expect(() => loader.setEpoch(-1)).toThrow('setEpoch(-1)');
  });

  it('a newer iteration replaces an older one, whose next() then fails', async () => {
    const loader = new DataLoader(numbers(6), { batchSize: 2, collate: (s) => [...s] });
    const first = loader[Symbol.asyncIterator]();
    expect((await first.next()).value).toEqual([0, 1]);
    const second = loader[Symbol.asyncIterator]();
    await expect(first.next()).rejects.toThrow('this iteration was replaced by a newer one');
    expect((await second.next()).value).toEqual([2, 3]);
    await second.return!();
  });

  it('refuses a state load or setEpoch while it is being iterated, and changes nothing', async () => {
    const loader = new DataLoader(numbers(6), { batchSize: 2, collate: (s) => [...s] });
    const saved = loader.stateDict();
    for await (const _ of loader) {
      expect(() => loader.loadStateDict(saved)).toThrow(StateError);
      expect(() => loader.loadStateDict(saved)).toThrow('DataLoader: expected a loader that is not being iterated');
      expect(() => loader.setEpoch(0)).toThrow('the loader is being iterated');
      break;
    }
    expect(loader.batchesYielded).toBe(1);
    loader.loadStateDict(saved);
    expect(loader.batchesYielded).toBe(0);
  });

  it('checks a loaded state against this loader: dataset length, batch size, position in range', () => {
    const loader = new DataLoader(numbers(10), { batchSize: 3 });
    const state = loader.stateDict();
    expect(() => new DataLoader(numbers(11), { batchSize: 3 }).loadStateDict(state)).toThrow('DataLoader.datasetLength: expected 11');
    expect(() => new DataLoader(numbers(10), { batchSize: 4 }).loadStateDict(state)).toThrow('DataLoader.batchSampler.batchSize: expected 4');
    expect(() => loader.loadStateDict({ ...state, batchesYielded: 5 })).toThrow('DataLoader.batchesYielded: expected an integer in [0, 4], got 5');
    expect(() => loader.loadStateDict({ ...state, epoch: -1 })).toThrow('DataLoader.epoch: expected an integer');
    const shuffled = new DataLoader(numbers(10), { batchSize: 3, shuffle: true });
    expect(() => shuffled.loadStateDict(state)).toThrow('DataLoader.batchSampler.sampler.stream: missing');
  });

  it('is typed: batches of a TensorDataset are tfjs tensors by column name', async () => {
    const loader = new DataLoader(new TensorDataset({ x: tensor('float32', [4, 2], range(8)), y: new Int32Array([1, 2, 3, 4]) }), { batchSize: 4 });
    for await (const { x, y } of loader) {
      expect([x.shape, y.dtype]).toEqual([[4, 2], 'int32']);
    }
  });
});

describe('batch tensor ownership', () => {
  const dataset = new TensorDataset({ x: tensor('float32', [9, 3], range(27)), y: new Int32Array(range(9)) });

  it.each([0, 3])('disposes every batch and prefetched batch over whole epochs (prefetch %i)', async (prefetch) => {
    const loader = new DataLoader(dataset, { batchSize: 2, shuffle: true, prefetch });
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 3; epoch++) {
      for await (const batch of loader) {
        expect(batch.x.isDisposed).toBe(false);
        tf.tidy(() => {
          tf.sum(batch.x);
        });
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes the current batch and the prefetched ones when a loop breaks or throws', async () => {
    const loader = new DataLoader(dataset, { batchSize: 2, prefetch: 3 });
    const before = tf.memory().numTensors;
    let kept: tf.Tensor | undefined;
    for await (const batch of loader) {
      kept = batch.x;
      break;
    }
    expect(kept!.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    await expect(
      (async () => {
        for await (const _ of loader) throw new Error('step failed');
      })(),
    ).rejects.toThrow('step failed');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with disposeBatches: false every batch is the consumer’s to dispose', async () => {
    const loader = new DataLoader(dataset, { batchSize: 4, prefetch: 2, disposeBatches: false });
    const before = tf.memory().numTensors;
    const batches = [];
    for await (const batch of loader) batches.push(batch);
    expect(batches.every((b) => !b.x.isDisposed)).toBe(true);
    expect(tf.memory().numTensors).toBe(before + 2 * batches.length);
    tf.dispose(batches);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('never disposes tensors that samples hold', async () => {
    const rows = [tf.tensor([1, 2]), tf.tensor([3, 4])];
    const loader = new DataLoader(new ArrayDataset(rows), { batchSize: 2 });
    for await (const batch of loader) expect(batch.shape).toEqual([2, 2]);
    expect(rows.every((t) => !t.isDisposed)).toBe(true);
    tf.dispose(rows);
  });
});

describe('RandomSampler inside a loader', () => {
  it('a shuffling loader forks the given generator once when made', () => {
    const g = new Generator(8);
    const loader = new DataLoader(numbers(10), { shuffle: true, generator: g });
    expect(g.wordsDrawn).toBe(2);
    expect(loader.batchSampler.sampler).toBeInstanceOf(RandomSampler);
  });
});
