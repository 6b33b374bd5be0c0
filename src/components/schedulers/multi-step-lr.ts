/**
 * torch's MultiStepLR: at each milestone multiply each group's lr by `gamma` (default 0.1), once per time the
 * milestone is listed (torch keeps them in a Counter; kindling keeps the sorted list, repeats included).
 */
import { persist, stateful } from '../../state/index.js';
import { LRScheduler } from './lr-scheduler.js';
import type { ParamGroupsHolder } from './param-groups.js';
import { MultiStepLRState } from './multi-step-lr.state.generated.js';

export interface MultiStepLROptions {
  readonly milestones: readonly number[];
  readonly gamma?: number;
  readonly lastEpoch?: number;
}

@stateful(MultiStepLRState)
export class MultiStepLR extends LRScheduler {
  @persist() milestones: number[];
  @persist() gamma: number;

  constructor(optimizer: ParamGroupsHolder, options: MultiStepLROptions) {
    super(optimizer, options.lastEpoch);
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const times = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (times === 0) return this.currentLrs();
    return this.currentLrs().map((lr) => lr * this.gamma ** times);
  }

  protected override closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}
