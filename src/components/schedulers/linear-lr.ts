/**
 * torch's LinearLR (the usual warmup): scales each group's lr by a factor that moves linearly from `startFactor`
 * (default 1/3) to `endFactor` (default 1) over `totalIters` steps (default 5), then stays.
 */
import { persist, stateful } from '../../state/index.js';
import { LinearLRState } from './linear-lr.state.generated.js';
import { LRScheduler } from './lr-scheduler.js';
import { type ParamGroupsHolder, SchedulerError } from './param-groups.js';

export interface LinearLROptions {
  readonly startFactor?: number;
  readonly endFactor?: number;
  readonly totalIters?: number;
  readonly lastEpoch?: number;
}

@stateful(LinearLRState)
export class LinearLR extends LRScheduler {
  @persist() startFactor: number;
  @persist() endFactor: number;
  @persist() totalIters: number;

  constructor(optimizer: ParamGroupsHolder, options: LinearLROptions = {}) {
    const startFactor = options.startFactor ?? 1 / 3;
    const endFactor = options.endFactor ?? 1;
    if (startFactor > 1 || startFactor < 0) throw new SchedulerError(`LinearLR: startFactor must be in [0, 1], got ${startFactor}`);
    if (endFactor > 1 || endFactor < 0) throw new SchedulerError(`LinearLR: endFactor must be in [0, 1], got ${endFactor}`);
    super(optimizer, options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = options.totalIters ?? 5;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    if (t === 0) return this.currentLrs().map((lr) => lr * s);
    if (t > n) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * (1 + (e - s) / (n * s + (t - 1) * (e - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: n } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(n, this.lastEpoch)) / n));
  }
}
