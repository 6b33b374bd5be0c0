import type { StateIssue } from '../../state/index.js';
import { persist, stateful } from '../../state/index.js';
import { checkedState, checkInteger } from './checked-state.js';
import { GeneratorState } from './generator.state.generated.js';
import { mulHigh, philox4x32 } from './philox.js';
import { splitMix64 } from './splitmix.js';

/** A seed: an integer. Numbers must be safe integers; negative values and bigints are taken modulo 2^64. */
export type Seed = number | bigint;

/** Typed arrays that take floating-point draws. */
export type FloatArray = Float32Array | Float64Array;
/** Typed arrays that take integer draws. */
export type IntegerArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array;

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const U32_MAX = 0xffffffff;
/** The last word index of a stream: positions are kept as exact doubles. */
const MAX_POSITION = Number.MAX_SAFE_INTEGER;
const TAU = 2 * Math.PI;
const U64 = (1n << 64n) - 1n;

/** torch's default CPU seed, used for kindling's default generator until {@link seedEverything} is called. */
export const DEFAULT_SEED = 67280421310721n;

/**
 * kindling's random number generator: Philox4x32-10 (see docs/design/rng.md). Its whole state is four numbers and a
 * tag, all persisted: the 64-bit key (the seed), the 64-bit stream id, and the position (words drawn so far). Word
 * `n` of a stream is word `n mod 4` of the Philox block for counter `[⌊n/4⌋ (64 bits), stream (64 bits)]`, so a
 * restored generator continues with exactly the draws it would have made, and `derive` gives independent streams as a
 * pure function of (seed, ids) in O(1).
 */
@checkedState(checkGeneratorState)
@stateful(GeneratorState)
export class Generator {
  @persist() readonly algorithm: 'philox4x32-10' = 'philox4x32-10';
  /** The seed as two 32-bit words, low word first. */
  @persist() private key: [number, number] = [0, 0];
  /** The stream id as two 32-bit words, low word first: counter words 2 and 3. */
  @persist() private stream: [number, number] = [0, 0];
  /** How many 32-bit words this stream has given so far. */
  @persist() private position = 0;

  // The last block computed, and what it was computed from (a load assigns new key/stream arrays, so identity
  // comparison is enough to notice it). Not state: it is a function of the state.
  private readonly block = new Uint32Array(4);
  private blockIndex = -1;
  private blockKey: readonly number[] | undefined;
  private blockStream: readonly number[] | undefined;

  constructor(seed: Seed = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Restarts the generator from `seed` (stream 0, position 0), like torch's `manual_seed`. */
  manualSeed(seed: Seed): this {
    const bits = seedBits(seed);
    this.key = [Number(bits & 0xffffffffn), Number(bits >> 32n)];
    this.stream = [0, 0];
    this.position = 0;
    return this;
  }

  /** The seed this generator's key came from, as an unsigned 64-bit integer. */
  get seed(): bigint {
    return (BigInt(this.key[1]) << 32n) | BigInt(this.key[0]);
  }

  /** The stream id (0 for a generator made from a seed; derived streams have others). */
  get streamId(): bigint {
    return (BigInt(this.stream[1]) << 32n) | BigInt(this.stream[0]);
  }

  /** How many 32-bit words have been drawn from this stream. */
  get wordsDrawn(): number {
    return this.position;
  }

  /** A copy in the same state: it draws what this generator would draw next. */
  clone(): Generator {
    const g = new Generator(0);
    g.key = [...this.key];
    g.stream = [...this.stream];
    g.position = this.position;
    return g;
  }

  /**
   * An independent generator for the sub-stream `ids` (e.g. `derive(epoch)`, `derive(epoch, rank)`): the same key,
   * stream id `s' = SplitMix64 output (id + 1) seeded with s`, applied once per id; position 0. It is a pure function
   * of this generator's seed and stream and of `ids`; it does not depend on, or change, this generator's position.
   */
  derive(...ids: Seed[]): Generator {
    let stream = this.streamId;
    for (const id of ids) stream = splitMix64(stream, idBits(id) + 1n);
    const g = new Generator(0);
    g.key = [...this.key];
    g.stream = [Number(stream & 0xffffffffn), Number(stream >> 32n)];
    return g;
  }

  /**
   * A new independent generator, taken from this one's current position: it draws 64 bits `v` from this generator
   * (so successive forks differ) and returns `derive(v)`.
   */
  fork(): Generator {
    return this.derive(this.nextUint64());
  }

  /** Skips `words` 32-bit words in O(1), as if that many had been drawn. */
  advance(words: number): this {
    if (!Number.isSafeInteger(words) || words < 0) throw new RangeError(`advance(${words}): expected a non-negative integer`);
    this.seek(this.position + words);
    return this;
  }

  /** The next 32-bit word, an integer in [0, 2^32). */
  nextUint32(): number {
    const p = this.position;
    if (p >= MAX_POSITION) this.seek(p + 1);
    const index = Math.floor(p / 4);
    if (index !== this.blockIndex || this.key !== this.blockKey || this.stream !== this.blockStream) this.compute(index);
    this.position = p + 1;
    return this.block[p - index * 4]!;
  }

  /** The next 64 bits, as a bigint in [0, 2^64): two words, low word first. */
  nextUint64(): bigint {
    const lo = this.nextUint32();
    return (BigInt(this.nextUint32()) << 32n) | BigInt(lo);
  }

  /** An integer in [0, 2^53), for seeding other libraries' random ops (e.g. a tfjs op's `seed` argument). */
  nextSeed(): number {
    const lo = this.nextUint32();
    return (this.nextUint32() >>> 11) * TWO_32 + lo;
  }

  /** A double in [0, 1) with 53 random bits (two words). */
  float64(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / TWO_53;
  }

  /** A float32 value in [0, 1) with 24 random bits (one word); exactly representable as float32. */
  float32(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** A double in [low, high); a value that rounds to `high` is drawn again. */
  uniform(low = 0, high = 1): number {
    checkInterval('uniform', low, high);
    for (;;) {
      const v = low + (high - low) * this.float64();
      if (v < high) return v;
    }
  }

  /**
   * An integer in [low, high) without modulo bias: Lemire's multiply-and-reject method for ranges up to 2^32 (one word
   * per draw, rarely more), rejection on 53-bit draws for larger ranges up to 2^53.
   */
  integer(low: number, high: number): number {
    checkIntegerInterval('integer', low, high);
    return low + this.below(high - low);
  }

  /** A normal draw (Box–Muller on two 53-bit uniforms: four words; the second value of the pair is not kept). */
  normal(mean = 0, std = 1): number {
    const r = Math.sqrt(-2 * Math.log(1 - this.float64()));
    return mean + std * r * Math.cos(TAU * this.float64());
  }

  /** `true` with probability `p` (one 53-bit uniform). */
  bernoulli(p = 0.5): boolean {
    checkProbability('bernoulli', p);
    return this.float64() < p;
  }

  /** A random permutation of 0…n-1 (Fisher–Yates, drawing j ∈ [0, i] for i = n-1 down to 1). */
  permutation(n: number): Int32Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) throw new RangeError(`permutation(${n}): expected an integer in [0, 2^31)`);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** Shuffles `items` in place (Fisher–Yates, as {@link permutation}) and returns it. */
  shuffle<A extends { length: number; [i: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** Fills `out` with uniform values in [low, high) (float32 arrays: one word per element, else two). */
  fillUniform<A extends FloatArray>(out: A, low = 0, high = 1): A {
    checkInterval('fillUniform', low, high);
    const single = out instanceof Float32Array;
    const width = high - low;
    for (let i = 0; i < out.length; i++) {
      let v: number;
      do v = single ? Math.fround(low + width * this.float32()) : low + width * this.float64();
      while (v >= high);
      out[i] = v;
    }
    return out;
  }

  /** Fills `out` with normal values (Box–Muller: both values of each pair are used, four words per pair). */
  fillNormal<A extends FloatArray>(out: A, mean = 0, std = 1): A {
    for (let i = 0; i < out.length; i += 2) {
      const r = std * Math.sqrt(-2 * Math.log(1 - this.float64()));
      const theta = TAU * this.float64();
      out[i] = mean + r * Math.cos(theta);
      if (i + 1 < out.length) out[i + 1] = mean + r * Math.sin(theta);
    }
    return out;
  }

  /** Fills `out` with integers in [low, high), as {@link integer} draws them. */
  fillInteger<A extends IntegerArray>(out: A, low: number, high: number): A {
    checkIntegerInterval('fillInteger', low, high);
    for (let i = 0; i < out.length; i++) out[i] = low + this.below(high - low);
    return out;
  }

  /**
   * Fills `out` with 1 (probability `p`) or 0: one word per element, kept when `word < p·2^32` (so the probability
   * is exact to 2^-32). For dropout masks: keep with probability 1 - rate.
   */
  fillBernoulli<A extends IntegerArray>(out: A, p: number): A {
    checkProbability('fillBernoulli', p);
    const threshold = p * TWO_32;
    for (let i = 0; i < out.length; i++) out[i] = this.nextUint32() < threshold ? 1 : 0;
    return out;
  }

  /** An integer in [0, n), 1 ≤ n ≤ 2^53. */
  private below(n: number): number {
    if (n <= TWO_32) {
      if (n === TWO_32) return this.nextUint32();
      // Lemire (2019): the high word of x·n is uniform on [0, n) once the low words below 2^32 mod n are rejected.
      let x = this.nextUint32();
      let low = Math.imul(x, n) >>> 0;
      if (low < n) {
        const threshold = (TWO_32 - n) % n;
        while (low < threshold) {
          x = this.nextUint32();
          low = Math.imul(x, n) >>> 0;
        }
      }
      return mulHigh(x, n);
    }
    const limit = TWO_53 - (TWO_53 % n);
    for (;;) {
      const lo = this.nextUint32();
      const v = (this.nextUint32() >>> 11) * TWO_32 + lo;
      if (v < limit) return v % n;
    }
  }

  private seek(position: number): void {
    if (!Number.isSafeInteger(position) || position > MAX_POSITION) {
      throw new RangeError(`Generator stream exhausted (2^53 words): derive() a new stream instead of drawing more`);
    }
    this.position = position;
  }

  private compute(index: number): void {
    const [k0, k1] = this.key;
    const [s0, s1] = this.stream;
    philox4x32(index % TWO_32, Math.floor(index / TWO_32), s0, s1, k0, k1, this.block);
    this.blockIndex = index;
    this.blockKey = this.key;
    this.blockStream = this.stream;
  }
}

function seedBits(seed: Seed): bigint {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
    throw new RangeError(`Invalid seed ${seed}: expected a safe integer (or a bigint)`);
  }
  return BigInt(seed) & U64;
}

function idBits(id: Seed): bigint {
  if (typeof id === 'number' ? !Number.isSafeInteger(id) || id < 0 : id < 0n || id > U64) {
    throw new RangeError(`Invalid stream id ${id}: expected an integer in [0, 2^64)`);
  }
  return BigInt(id);
}

function checkInterval(what: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high)) {
    throw new RangeError(`${what}(${low}, ${high}): expected finite bounds with low < high`);
  }
}

function checkIntegerInterval(what: string, low: number, high: number): void {
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low || high - low > TWO_53) {
    throw new RangeError(`${what}(${low}, ${high}): expected safe integers with low < high and high - low ≤ 2^53`);
  }
}

function checkProbability(what: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${what}(${p}): expected a probability in [0, 1]`);
}

function checkGeneratorState(_self: Generator, state: Partial<GeneratorState>, path: string): StateIssue[] {
  const issues: StateIssue[] = [];
  state.key?.forEach((w, i) => checkInteger(issues, `${path}.key[${i}]`, w, 0, U32_MAX));
  state.stream?.forEach((w, i) => checkInteger(issues, `${path}.stream[${i}]`, w, 0, U32_MAX));
  checkInteger(issues, `${path}.position`, state.position, 0, MAX_POSITION);
  return issues;
}
