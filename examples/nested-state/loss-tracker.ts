import { persist, stateful, type Tensor, zeros } from 'kindling';
import { LossTrackerState } from './loss-tracker.state.generated.js';

/**
 * Per-sample running loss of a dataset: an exponential moving average for each sample and how often it was seen.
 * It is the nested part of {@link HardExampleMiner}'s state: its tensors are saved inside the miner's section
 * (`miner.tracker.meanLoss`) and validated together with it.
 *
 * Its tensors load in place: the generated load checks a saved tensor against the live one (dtype and shape), so a
 * checkpoint of a dataset of another size is refused, naming the nested field and both shapes, and changes nothing,
 * in the tracker or in the miner around it.
 */
@stateful(LossTrackerState)
export class LossTracker {
  @persist() meanLoss: Tensor<'float32'>;
  @persist() timesSeen: Tensor<'int32'>;
  @persist() updates = 0;
  /** Configuration, not state: the constructor gives them on every run. */
  readonly samples: number;
  private readonly momentum: number;

  constructor(samples: number, momentum = 0.8) {
    this.samples = samples;
    this.meanLoss = zeros('float32', [samples]);
    this.timesSeen = zeros('int32', [samples]);
    this.momentum = momentum;
  }

  /** Folds the losses of the samples `indices` into their averages (a sample's first loss is taken as it is). */
  record(indices: readonly number[], losses: readonly number[]): void {
    const mean = this.meanLoss.data;
    const seen = this.timesSeen.data;
    indices.forEach((i, k) => {
      const loss = losses[k]!;
      mean[i] = seen[i] === 0 ? loss : this.momentum * mean[i]! + (1 - this.momentum) * loss;
      seen[i]! += 1;
    });
    this.updates += 1;
  }

  /** The `count` samples with the highest average loss, hardest first (ties: lower index first). */
  hardest(count: number): number[] {
    const mean = this.meanLoss.data;
    return Array.from({ length: this.samples }, (_, i) => i)
      .sort((a, b) => mean[b]! - mean[a]! || a - b)
      .slice(0, count);
  }
}
