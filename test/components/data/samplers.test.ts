import { describe, expect, it } from 'vitest';
import { BatchSampler, Generator, RandomSampler, SequentialSampler, ShardedSampler, StateError } from '../../../src/index.js';

const sized = (n: number) => ({ length: n });
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((x, y) => x - y);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('RandomSampler', () => {
  it('gives each epoch a permutation that is a pure function of (stream, epoch)', () => {
    const sampler = new RandomSampler(sized(50), { generator: new Generator(1) });
    const e3 = [...sampler.indices(3)];
    expect(sorted(e3)).toEqual(range(50));
    sampler.indices(7);
    expect([...sampler.indices(3)]).toEqual(e3);
    expect([...sampler.indices(4)]).not.toEqual(e3);
    // The same generator state makes the same sampler; another seed another order.
    expect([...new RandomSampler(sized(50), { generator: new Generator(1) }).indices(3)]).toEqual(e3);
    expect([...new RandomSampler(sized(50), { generator: new Generator(2) }).indices(3)]).not.toEqual(e3);
  });

  it('forks its stream from the generator once, so two samplers from one generator differ', () => {
    const g = new Generator(5);
    const a = new RandomSampler(sized(20), { generator: g });
    const b = new RandomSampler(sized(20), { generator: g });
    expect([...a.indices(0)]).not.toEqual([...b.indices(0)]);
    expect(g.wordsDrawn).toBe(4);
  });

  it('without replacement, numSamples beyond n repeats whole permutations then a partial one', () => {
    const sampler = new RandomSampler(sized(4), { numSamples: 10, generator: new Generator(3) });
    const order = [...sampler.indices(0)];
    expect(sampler.length).toBe(10);
    expect(sorted(order.slice(0, 4))).toEqual(range(4));
    expect(sorted(order.slice(4, 8))).toEqual(range(4));
    expect(new Set(order.slice(8)).size).toBe(2);
  });

  it('with replacement, draws numSamples indices in range', () => {
    const sampler = new RandomSampler(sized(3), { replacement: true, numSamples: 300, generator: new Generator(4) });
    const order = sampler.indices(2);
    expect(order).toHaveLength(300);
    expect(order.every((i) => i >= 0 && i < 3)).toBe(true);
    expect(new Set(order).size).toBe(3);
  });

  it('saves its stream and configuration; a load restores the stream and checks the configuration', () => {
    const saved = new RandomSampler(sized(30), { generator: new Generator(9) });
    const other = new RandomSampler(sized(30), { generator: new Generator(10) });
    other.loadStateDict(saved.stateDict());
    expect([...other.indices(6)]).toEqual([...saved.indices(6)]);
    const fewer = new RandomSampler(sized(30), { numSamples: 20 });
    expect(() => fewer.loadStateDict(saved.stateDict())).toThrow(
      'RandomSampler.numSamples: expected 20 (this loader\'s numSamples; a saved position only means the same samples with the same numSamples: create it with numSamples 30, or start fresh), got 30',
    );
    expect(() => new RandomSampler(sized(30), { replacement: true }).loadStateDict(saved.stateDict())).toThrow(StateError);
  });

  it('refuses bad options', () => {
    expect(() => new RandomSampler(sized(3), { numSamples: 0 })).toThrow('numSamples must be a positive integer, got 0');
    expect(() => new RandomSampler(sized(0))).toThrow('the dataset has 0 samples');
  });
});

describe('SequentialSampler', () => {
  it('is 0…n-1 every epoch, with an empty state', () => {
    const sampler = new SequentialSampler(sized(4));
    expect([...sampler.indices(0)]).toEqual([0, 1, 2, 3]);
    expect([...sampler.indices(9)]).toEqual([0, 1, 2, 3]);
    expect(sampler.stateDict()).toEqual({});
    expect(() => sampler.indices(-1)).toThrow('epochs are integers ≥ 0');
  });
});

describe('ShardedSampler', () => {
  for (const numReplicas of [1, 2, 3, 4]) {
    for (const n of [12, 13, 14, 15]) {
      it(`partitions ${n} samples over ${numReplicas} replicas`, () => {
        for (const dropLast of [false, true]) {
          const shards = range(numReplicas).map((rank) => [...new ShardedSampler(sized(n), { numReplicas, rank, dropLast, seed: 3 }).indices(2)]);
          const sizes = new Set(shards.map((s) => s.length));
          expect(sizes.size).toBe(1);
          const all = shards.flat();
          if (dropLast) {
            // Disjoint, and only the remainder is left out.
            expect(new Set(all).size).toBe(all.length);
            expect(all.length).toBe(n - (n % numReplicas));
          } else {
            // Covers everything; the only repeats are the padding (n rounded up to a multiple of numReplicas).
            expect(sorted([...new Set(all)])).toEqual(range(n));
            expect(all.length).toBe(Math.ceil(n / numReplicas) * numReplicas);
          }
        }
      });
    }
  }

  it('orders depend on (seed, epoch) only, and every replica shuffles alike', () => {
    const a = new ShardedSampler(sized(40), { numReplicas: 2, rank: 0, seed: 1 });
    const b = new ShardedSampler(sized(40), { numReplicas: 2, rank: 1, seed: 1 });
    expect(sorted([...a.indices(4), ...b.indices(4)])).toEqual(range(40));
    expect([...a.indices(4)]).not.toEqual([...a.indices(5)]);
    expect([...new ShardedSampler(sized(40), { numReplicas: 2, rank: 0, seed: 2 }).indices(4)]).not.toEqual([...a.indices(4)]);
  });

  it('loads the seed, keeps its rank, and checks the rest of the configuration', () => {
    const saved = new ShardedSampler(sized(20), { numReplicas: 2, rank: 0, seed: 11 });
    const other = new ShardedSampler(sized(20), { numReplicas: 2, rank: 1, seed: 0 });
    other.loadStateDict(saved.stateDict());
    expect(other.seed).toBe(11);
    expect(other.rank).toBe(1);
    expect(() => new ShardedSampler(sized(20), { numReplicas: 4, rank: 1 }).loadStateDict(saved.stateDict())).toThrow(
      'ShardedSampler.numReplicas: expected 4',
    );
    expect(() => other.loadStateDict({ ...saved.stateDict(), seed: 0.5 })).toThrow('ShardedSampler.seed: expected an integer');
  });

  it('refuses bad options', () => {
    expect(() => new ShardedSampler(sized(5), { numReplicas: 0, rank: 0 })).toThrow('numReplicas must be a positive integer, got 0');
    expect(() => new ShardedSampler(sized(5), { numReplicas: 2, rank: 2 })).toThrow('rank must be an integer in [0, 1], got 2');
    expect(() => new ShardedSampler(sized(1), { numReplicas: 2, rank: 0, dropLast: true })).toThrow('leave nothing');
  });
});

describe('BatchSampler', () => {
  it('finds any batch of any epoch directly', () => {
    const sampler = new BatchSampler(new RandomSampler(sized(10), { generator: new Generator(1) }), { batchSize: 4 });
    const order = [...sampler.sampler.indices(3)];
    const epoch = sampler.epochBatches(3);
    expect(epoch.length).toBe(3);
    expect([...epoch.at(2)]).toEqual(order.slice(8));
    expect(() => epoch.at(3)).toThrow('batch 3 is out of range: the epoch has 3 batches');
  });

  it('checks batchSize and dropLast on load', () => {
    const saved = new BatchSampler(new SequentialSampler(sized(10)), { batchSize: 4 });
    expect(saved.stateDict()).toEqual({ sampler: {}, batchSize: 4, dropLast: false });
    const other = new BatchSampler(new SequentialSampler(sized(10)), { batchSize: 4, dropLast: true });
    expect(() => other.loadStateDict(saved.stateDict())).toThrow('BatchSampler.dropLast: expected true');
    expect(() => new BatchSampler(new SequentialSampler(sized(10)), { batchSize: 2.5 })).toThrow('batchSize must be a positive integer, got 2.5');
  });
});
