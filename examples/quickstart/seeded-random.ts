import { persist, stateful } from 'kindling';
import { SeededRandomState } from './seeded-random.state.generated.js';

/**
 * A small deterministic generator (mulberry32). Its whole state is one 32-bit word, persisted so that a resumed run
 * draws exactly the numbers the uninterrupted run would have drawn.
 */
@stateful(SeededRandomState)
export class SeededRandom {
  @persist() private word: number;

  constructor(seed: number) {
    this.word = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.word = (this.word + 0x6d2b79f5) >>> 0;
    let t = this.word;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
