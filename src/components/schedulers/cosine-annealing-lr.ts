/**
 * torch's CosineAnnealingLR: anneals each group's lr from its base to `etaMin` (default 0) over `tMax` steps along a
 * cosine, with torch's chainable recurrence (which, past `tMax`, climbs back up and repeats with period 2·tMax).
 */
import { persist, stateful } from '../../state/index.js';
import { CosineAnnealingLRState } from './cosine-annealing-lr.state.generated.js';
import { LRScheduler } from './lr-scheduler.js';
import type { ParamGroupsHolder } from './param-groups.js';

export interface CosineAnnealingLROptions {
  readonly tMax: number;
  readonly etaMin?: number;
  readonly lastEpoch?: number;
}

@stateful(CosineAnnealingLRState)
export class CosineAnnealingLR extends LRScheduler {
  @persist() tMax: number;
  @persist() etaMin: number;

  constructor(optimizer: ParamGroupsHolder, options: CosineAnnealingLROptions) {
    super(optimizer, options.lastEpoch);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    if (t === 0) return this.currentLrs();
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / tMax))) / 2);
    }
    if ((t - 1 - tMax) % (2 * tMax) === 0) {
      return this.currentLrs().map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    return this.currentLrs().map(
      (lr) => ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
