/** torch's StepLR: every `stepSize` steps, multiply each group's lr by `gamma` (default 0.1). */
import { persist, stateful } from '../../state/index.js';
import { LRScheduler } from './lr-scheduler.js';
import type { ParamGroupsHolder } from './param-groups.js';
import { StepLRState } from './step-lr.state.generated.js';

export interface StepLROptions {
  readonly stepSize: number;
  readonly gamma?: number;
  readonly lastEpoch?: number;
}

@stateful(StepLRState)
export class StepLR extends LRScheduler {
  @persist() stepSize: number;
  @persist() gamma: number;

  constructor(optimizer: ParamGroupsHolder, options: StepLROptions) {
    super(optimizer, options.lastEpoch);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
