import { persist, stateful, type Tensor, zeros } from 'kindling';
import { StepCounter } from './step-counter.js';
import { WeightAveragerState } from './weight-averager.state.generated.js';

/**
 * Keeps an exponential moving average of a weight vector (as used for EMA evaluation weights). It holds a tensor and
 * a nested @stateful component: its state contains the counter's state, and loading validates both before changing
 * either.
 */
@stateful(WeightAveragerState)
export class WeightAverager {
  @persist() decay: number;
  @persist() average: Tensor<'float32'>;
  @persist() readonly counter = new StepCounter();
  @persist() warmup: readonly [start: number, length: number] = [0, 10];

  constructor(size: number, decay = 0.99) {
    this.decay = decay;
    this.average = zeros('float32', [size]);
  }

  /** Folds one snapshot of the weights into the average; `at` is when (default: now). */
  update(weights: Float32Array, at: Date = new Date()): void {
    const [start, length] = this.warmup;
    const step = this.counter.step;
    const d = step < start + length ? Math.min(this.decay, (1 + step) / (10 + step)) : this.decay;
    const avg = this.average.data;
    for (let i = 0; i < avg.length; i++) avg[i] = d * avg[i]! + (1 - d) * weights[i]!;
    this.counter.complete('train', at);
  }
}
