import { Generator, persist, stateful } from 'kindling';
import { LossTracker } from '../loss-tracker.js';
import { HardExampleMinerState } from './hard-example-miner.state.generated.js';

/**
 * The miner as release 1 shipped it, kept so that the example can write a checkpoint the way release 1 did: the
 * share of hard samples was the field `focus`. The current class (../hard-example-miner.ts) calls it `hardFraction`
 * and reads `focus` through `legacyNames`. Release 1 had no `notes`.
 */
@stateful(HardExampleMinerState)
export class HardExampleMiner {
  @persist() readonly tracker: LossTracker;
  @persist() readonly generator: Generator;
  @persist() focus: number;
  @persist() epoch = 0;

  constructor(samples: number, options: { focus?: number; seed?: number } = {}) {
    this.tracker = new LossTracker(samples);
    this.generator = new Generator(options.seed ?? 0);
    this.focus = options.focus ?? 0.25;
  }

  nextBatch(size: number): number[] {
    const hard = this.epoch === 0 ? [] : this.tracker.hardest(Math.round(size * this.focus));
    const random = Array.from({ length: size - hard.length }, () => this.generator.integer(0, this.tracker.samples));
    return [...hard, ...random];
  }

  record(indices: readonly number[], losses: readonly number[]): void {
    this.tracker.record(indices, losses);
  }

  endEpoch(): void {
    this.epoch += 1;
  }
}
