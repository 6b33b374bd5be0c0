/**
 * (b) generated stateDict()+loadStateDict() against a hand-written implementation of the same component, and
 * (c) against class-transformer's instanceToPlain()+plainToInstance(), and against the reflective engine (`@stateful()`
 * without generated code). Implementations run interleaved (the order
 * rotates every round) after a warm-up, each round timing a batch of operations; the figures are medians per
 * operation over the rounds.
 */
import { instanceToPlain, plainToInstance } from 'class-transformer';
import { performance } from 'node:perf_hooks';
import { BenchScheduler } from './bench-component.js';
import { benchValues, fill } from './bench-values.js';
import { TransformerScheduler } from './class-transformer-component.js';
import { HandWrittenScheduler } from './hand-written.js';
import { ReflectiveScheduler } from './reflective-component.js';
import { median } from './stats.js';

export interface Contender {
  readonly name: string;
  /** Runs `n` operations and returns a value derived from them (so the work cannot be optimised away). */
  run(n: number): number;
}

export interface RuntimeResult {
  readonly name: string;
  /** Median nanoseconds per operation. */
  readonly nsPerOp: number;
  readonly rounds: readonly number[];
}

export interface RuntimeOptions {
  readonly opsPerRound: number;
  readonly warmupRounds: number;
  readonly rounds: number;
}

function roundTrip<T extends { stateDict(): S; loadStateDict(s: S): unknown; step: number }, S>(
  name: string,
  make: () => T,
): Contender {
  const source = fill(make(), benchValues());
  const target = make();
  return {
    name,
    run(n) {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        source.step = i;
        target.loadStateDict(source.stateDict());
        sink += target.step;
      }
      return sink;
    },
  };
}

function saveOnly<T extends { stateDict(): object; step: number }>(name: string, make: () => T): Contender {
  const source = fill(make(), benchValues());
  return {
    name,
    run(n) {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        source.step = i;
        sink += Object.keys(source.stateDict()).length;
      }
      return sink;
    },
  };
}

function loadOnly<T extends { stateDict(): S; loadStateDict(s: S): unknown; step: number }, S>(
  name: string,
  make: () => T,
): Contender {
  const state = fill(make(), benchValues()).stateDict();
  const target = make();
  return {
    name,
    run(n) {
      let sink = 0;
      for (let i = 0; i < n; i++) {
        target.loadStateDict(state);
        sink += target.step;
      }
      return sink;
    },
  };
}

/**
 * The comparisons, each run on its own: class-transformer allocates several times more than the others, and its
 * garbage would otherwise be collected during whichever contender runs next.
 */
export function contenders(): Record<'handWritten' | 'classTransformer' | 'reflective' | 'save' | 'load', Contender[]> {
  const transformer: Contender = (() => {
    const source = fill(new TransformerScheduler(), benchValues());
    return {
      name: 'class-transformer',
      run(n: number) {
        let sink = 0;
        for (let i = 0; i < n; i++) {
          source.step = i;
          sink += plainToInstance(TransformerScheduler, instanceToPlain(source)).step;
        }
        return sink;
      },
    };
  })();
  return {
    handWritten: [
      roundTrip('generated', () => new BenchScheduler()),
      roundTrip('hand-written', () => new HandWrittenScheduler()),
    ],
    classTransformer: [roundTrip('generated', () => new BenchScheduler()), transformer],
    reflective: [roundTrip('generated', () => new BenchScheduler()), roundTrip('reflective', () => new ReflectiveScheduler())],
    save: [saveOnly('generated', () => new BenchScheduler()), saveOnly('hand-written', () => new HandWrittenScheduler())],
    load: [loadOnly('generated', () => new BenchScheduler()), loadOnly('hand-written', () => new HandWrittenScheduler())],
  };
}

/** Runs the contenders interleaved; returns median ns/op per contender. */
export function measure(list: readonly Contender[], options: RuntimeOptions): RuntimeResult[] {
  const samples = new Map<string, number[]>(list.map((c) => [c.name, []]));
  let sink = 0;
  for (let round = 0; round < options.warmupRounds + options.rounds; round++) {
    // Rotate the order so that no contender always runs first (after GC) or last.
    for (let k = 0; k < list.length; k++) {
      const c = list[(round + k) % list.length]!;
      const start = performance.now();
      sink += c.run(options.opsPerRound);
      const ns = ((performance.now() - start) * 1e6) / options.opsPerRound;
      if (round >= options.warmupRounds) samples.get(c.name)!.push(ns);
    }
  }
  if (Number.isNaN(sink)) console.log('unreachable');
  return list.map((c) => ({ name: c.name, nsPerOp: median(samples.get(c.name)!), rounds: samples.get(c.name)! }));
}
