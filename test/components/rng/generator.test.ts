import { describe, expect, it } from 'vitest';
import { defaultGenerator, seedEverything } from '../../../src/components/rng/default.js';
import { Generator } from '../../../src/components/rng/generator.js';
import { StateError } from '../../../src/state/index.js';

const draws = (g: Generator) => [g.nextUint32(), g.float64(), g.integer(-5, 17), g.normal(), g.nextUint32()];

describe('Generator state', () => {
  it('gives the same draws for the same seed and different draws for another seed', () => {
    expect(draws(new Generator(123))).toEqual(draws(new Generator(123)));
    expect(draws(new Generator(123))).not.toEqual(draws(new Generator(124)));
    expect(draws(new Generator(-1))).toEqual(draws(new Generator(0xffffffffffffffffn)));
  });

  it('is a small typed state: algorithm, key (the seed), stream and position', () => {
    const g = new Generator(0x123456789abcn);
    g.nextUint32();
    expect(g.stateDict()).toEqual({ algorithm: 'philox4x32-10', key: [0x56789abc, 0x1234], stream: [0, 0], position: 1 });
    expect(g.seed).toBe(0x123456789abcn);
  });

  it.each([0, 1, 3, 4, 5, 7, 9])('continues with identical draws after a save and restore at position %i', (skip) => {
    const g = new Generator(99).derive(3);
    for (let i = 0; i < skip; i++) g.nextUint32();
    const saved = JSON.parse(JSON.stringify(g.stateDict()));
    const expected = draws(g);
    const restored = new Generator(1);
    restored.nextUint32(); // a cached block from another key must not leak into the restored stream
    restored.loadStateDict(saved);
    expect(draws(restored)).toEqual(expected);
  });

  it.each([
    ['a key word above 2^32 - 1', { key: [2 ** 32, 0] }, 'Generator.key[0]: expected an integer in [0, 4294967295], got 4294967296'],
    ['a negative stream word', { stream: [0, -1] }, 'Generator.stream[1]: expected an integer in [0, 4294967295], got -1'],
    ['a fractional position', { position: 1.5 }, 'Generator.position: expected an integer in [0, 9007199254740991], got 1.5'],
    ['a position past 2^53', { position: 2 ** 53 }, 'Generator.position: expected an integer'],
    ['another algorithm', { algorithm: 'mt19937' }, 'Generator.algorithm: expected "philox4x32-10"'],
    ['a three-word key', { key: [1, 2, 3] }, 'Generator.key'],
  ])('refuses %s and changes nothing', (_what, patch, message) => {
    const g = new Generator(5);
    g.nextUint32();
    const before = g.stateDict();
    const next = g.clone().nextUint32();
    expect(() => g.loadStateDict({ ...before, ...patch } as never)).toThrow(StateError);
    expect(() => g.loadStateDict({ ...before, ...patch } as never)).toThrow(message);
    expect(g.stateDict()).toEqual(before);
    expect(g.nextUint32()).toBe(next);
  });

  it('checks the values it commits: a getter cannot show the range check another value than the load', () => {
    const g = new Generator(1);
    const state: Record<string, unknown> = { ...g.stateDict() };
    let reads = 0;
    Object.defineProperty(state, 'position', { enumerable: true, get: () => (++reads === 1 ? -1 : 5) });
    expect(() => g.loadStateDict(state as never)).toThrow(StateError);
    expect(reads).toBe(1);
    expect(g.stateDict().position).toBe(0);
  });

  it('clone() continues identically and independently', () => {
    const g = new Generator(8);
    g.float64();
    const c = g.clone();
    expect(draws(c)).toEqual(draws(g));
    c.nextUint32();
    expect(c.wordsDrawn).toBe(g.wordsDrawn + 1);
  });

  it('advance(n) is the same as drawing n words', () => {
    const a = new Generator(3);
    const b = new Generator(3);
    for (let i = 0; i < 1001; i++) a.nextUint32();
    b.advance(1001);
    expect(draws(b)).toEqual(draws(a));
    expect(() => b.advance(-1)).toThrow('advance(-1)');
  });
});

describe('derive and fork', () => {
  it('derive is a pure function of (seed, stream, ids): it ignores and keeps the position', () => {
    const g = new Generator(11);
    const before = draws(g.derive(2));
    g.advance(12345);
    expect(draws(g.derive(2))).toEqual(before);
    expect(g.wordsDrawn).toBe(12345 + 0);
    expect(draws(g.derive(2, 1))).toEqual(draws(g.derive(2).derive(1)));
    expect(draws(g.derive(2, 1))).not.toEqual(draws(g.derive(1, 2)));
    expect(draws(g.derive(2))).not.toEqual(draws(g.derive(3)));
    expect(draws(new Generator(12).derive(2))).not.toEqual(before);
  });

  it('fork draws 64 bits from the parent, so successive forks differ', () => {
    const g = new Generator(11);
    const a = g.fork();
    const b = g.fork();
    expect(g.wordsDrawn).toBe(4);
    expect(draws(a)).not.toEqual(draws(b));
    const again = new Generator(11);
    expect(draws(again.fork())).toEqual(draws(new Generator(11).fork()));
  });

  it('refuses ids outside [0, 2^64)', () => {
    expect(() => new Generator(1).derive(-1)).toThrow('Invalid stream id -1');
    expect(() => new Generator(1).derive(1n << 64n)).toThrow('Invalid stream id');
    expect(() => new Generator(1.5)).toThrow('Invalid seed 1.5');
  });
});

describe('seedEverything', () => {
  it('reseeds the default generator in place', () => {
    const g = defaultGenerator();
    expect(seedEverything(2024)).toBe(g);
    expect(draws(g)).toEqual(draws(new Generator(2024)));
    seedEverything(2024);
    expect(draws(defaultGenerator())).toEqual(draws(new Generator(2024)));
  });
});
