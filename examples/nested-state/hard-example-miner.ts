import { Generator, persist, stateful } from 'kindling';
import { HardExampleMinerState } from './hard-example-miner.state.generated.js';
import { LossTracker } from './loss-tracker.js';

/** What the miner noted about one finished epoch. */
export interface EpochNote {
  epoch: number;
  hardest: number[];
  meanLoss: number;
}

/**
 * A user component with nested state: it picks each epoch's batches so that a share of them are the samples with
 * the highest running loss (hard-example mining), and draws the rest at random.
 *
 * Its state nests two @stateful components, a {@link LossTracker} (tensors) and kindling's own {@link Generator}
 * (the random stream, so that a resumed run draws the same samples), beside plain fields and a list of records.
 *
 * `hardFraction` was called `focus` in release 1 (release-1/hard-example-miner.ts). `legacyNames` lets this release
 * load release 1's checkpoints: the old key is accepted on load and never written.
 */
@stateful(HardExampleMinerState)
export class HardExampleMiner {
  @persist() readonly tracker: LossTracker;
  @persist() readonly generator: Generator;
  @persist({ legacyNames: ['focus'] }) hardFraction: number;
  @persist() epoch = 0;
  /** Added in this release: absent from release 1's checkpoints, so it is optional (a missing key is not an error). */
  @persist({ optional: true }) notes: EpochNote[] = [];

  constructor(samples: number, options: { hardFraction?: number; seed?: number } = {}) {
    this.tracker = new LossTracker(samples);
    this.generator = new Generator(options.seed ?? 0);
    this.hardFraction = options.hardFraction ?? 0.25;
  }

  /** The samples of the next batch: the hardest ones first, then random ones (possibly repeated). */
  nextBatch(size: number): number[] {
    const hard = this.epoch === 0 ? [] : this.tracker.hardest(Math.round(size * this.hardFraction));
    const random = Array.from({ length: size - hard.length }, () => this.generator.integer(0, this.tracker.samples));
    return [...hard, ...random];
  }

  /** Records the losses of a batch. */
  record(indices: readonly number[], losses: readonly number[]): void {
    this.tracker.record(indices, losses);
  }

  /** Closes an epoch: notes its hardest samples and mean loss. */
  endEpoch(): void {
    const mean = this.tracker.meanLoss.data;
    const meanLoss = mean.reduce((s, v) => s + v, 0) / mean.length;
    this.notes.push({ epoch: this.epoch, hardest: this.tracker.hardest(3), meanLoss });
    this.epoch += 1;
  }
}
