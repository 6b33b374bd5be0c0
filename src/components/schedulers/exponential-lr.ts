/** torch's ExponentialLR: multiply each group's lr by `gamma` every step. */
import { persist, stateful } from '../../state/index.js';
import { ExponentialLRState } from './exponential-lr.state.generated.js';
import { LRScheduler } from './lr-scheduler.js';
import type { ParamGroupsHolder } from './param-groups.js';

export interface ExponentialLROptions {
  readonly gamma: number;
  readonly lastEpoch?: number;
}

@stateful(ExponentialLRState)
export class ExponentialLR extends LRScheduler {
  @persist() gamma: number;

  constructor(optimizer: ParamGroupsHolder, options: ExponentialLROptions) {
    super(optimizer, options.lastEpoch);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}
