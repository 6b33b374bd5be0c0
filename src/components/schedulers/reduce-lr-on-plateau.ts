/**
 * torch's ReduceLROnPlateau: multiplies each group's lr by `factor` (default 0.1, floored at `minLr`) when the
 * monitored metric has not improved for more than `patience` steps (default 10), then waits `cooldown` steps
 * (default 0) before counting again. "Improved" depends on `mode` (`'min'`/`'max'`) and `thresholdMode`:
 * `'rel'` (default) needs a change beyond `best·threshold`, `'abs'` beyond `threshold` (default 1e-4). A reduction
 * smaller than `eps` (default 1e-8) is skipped. Feed it one metric value per `step(metric)`.
 *
 * State (torch's `state_dict()` keys in camelCase): `factor`, `minLrs`, `patience`, `cooldown`, `cooldownCounter`,
 * `mode`, `threshold`, `thresholdMode`, `best`, `numBadEpochs`, `eps`, `lastEpoch`, `lastLr`. torch's `mode_worse`
 * is derived from `mode` and not stored. Unlike torch 1.13, whose `_last_lr` appears only after the first step,
 * `lastLr` starts as the groups' current lr, so {@link getLastLr} always answers.
 */
import { persist, stateful } from '../../state/index.js';
import { type ParamGroupsHolder, perGroup, SchedulerError } from './param-groups.js';
import { ReduceLROnPlateauState } from './reduce-lr-on-plateau.state.generated.js';

export type PlateauMode = 'min' | 'max';
export type ThresholdMode = 'rel' | 'abs';

export interface ReduceLROnPlateauOptions {
  readonly mode?: PlateauMode;
  readonly factor?: number;
  readonly patience?: number;
  readonly threshold?: number;
  readonly thresholdMode?: ThresholdMode;
  readonly cooldown?: number;
  readonly minLr?: number | readonly number[];
  readonly eps?: number;
}

@stateful(ReduceLROnPlateauState)
export class ReduceLROnPlateau {
  @persist() factor: number;
  @persist() minLrs: number[];
  @persist() patience: number;
  @persist() cooldown: number;
  @persist() cooldownCounter = 0;
  @persist() mode: PlateauMode;
  @persist() threshold: number;
  @persist() thresholdMode: ThresholdMode;
  /** The best metric so far; starts at the worst value for the mode (Infinity for min, -Infinity for max). */
  @persist() best: number;
  @persist() numBadEpochs = 0;
  @persist() eps: number;
  @persist() lastEpoch = 0;
  @persist() protected lastLr: number[];
  private readonly optimizer: ParamGroupsHolder;

  constructor(optimizer: ParamGroupsHolder, options: ReduceLROnPlateauOptions = {}) {
    const factor = options.factor ?? 0.1;
    if (factor >= 1) throw new SchedulerError(`ReduceLROnPlateau: factor must be < 1, got ${factor}`);
    const mode = options.mode ?? 'min';
    if (mode !== 'min' && mode !== 'max') throw new SchedulerError(`ReduceLROnPlateau: mode must be 'min' or 'max', got ${JSON.stringify(mode)}`);
    const thresholdMode = options.thresholdMode ?? 'rel';
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new SchedulerError(`ReduceLROnPlateau: thresholdMode must be 'rel' or 'abs', got ${JSON.stringify(thresholdMode)}`);
    }
    this.optimizer = optimizer;
    this.factor = factor;
    this.minLrs = perGroup('ReduceLROnPlateau', 'minLr', optimizer, options.minLr ?? 0);
    this.patience = options.patience ?? 10;
    this.cooldown = options.cooldown ?? 0;
    this.mode = mode;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = thresholdMode;
    this.eps = options.eps ?? 1e-8;
    this.best = this.modeWorse;
    this.lastLr = optimizer.paramGroups.map((group) => group.lr);
  }

  /** The param groups this scheduler drives. */
  get holder(): ParamGroupsHolder {
    return this.optimizer;
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  private get modeWorse(): number {
    return this.mode === 'min' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Records one value of the monitored metric and reduces the learning rates if it has plateaued. */
  step(metric: number): void {
    const current = Number(metric);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((group) => group.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }
}
