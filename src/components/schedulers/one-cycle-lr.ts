/**
 * torch's OneCycleLR: the 1cycle policy. Each group's lr rises from `maxLr/divFactor` to `maxLr` over the first
 * `pctStart` of `totalSteps`, then anneals to `initialLr/finalDivFactor` (with `threePhase`, it first comes back down
 * to the initial lr symmetrically, then anneals). With `cycleMomentum` (the default) the momentum moves the other
 * way, between `maxMomentum` and `baseMomentum`: a group's `momentum` (SGD) or `betas[0]` (Adam). It writes
 * `initialLr`, `maxLr`, `minLr`, `maxMomentum` and `baseMomentum` into the param groups, as torch does.
 *
 * `totalSteps` or `epochs` × `stepsPerEpoch` sets the length; stepping past it is an error, as in torch.
 */
import { persist, stateful } from '../../state/index.js';
import { LRScheduler } from './lr-scheduler.js';
import { OneCycleLRState } from './one-cycle-lr.state.generated.js';
import { type ParamGroupsHolder, perGroup, type SchedulableParamGroup, SchedulerError } from './param-groups.js';

export type AnnealStrategy = 'cos' | 'linear';
type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomentumKey = 'maxMomentum' | 'baseMomentum';

/** One phase of the cycle (torch's `_schedule_phases` entries): which group values it moves between. */
export interface OneCyclePhase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

export interface OneCycleLROptions {
  readonly maxLr: number | readonly number[];
  readonly totalSteps?: number;
  readonly epochs?: number;
  readonly stepsPerEpoch?: number;
  readonly pctStart?: number;
  readonly annealStrategy?: AnnealStrategy;
  readonly cycleMomentum?: boolean;
  readonly baseMomentum?: number | readonly number[];
  readonly maxMomentum?: number | readonly number[];
  readonly divFactor?: number;
  readonly finalDivFactor?: number;
  readonly threePhase?: boolean;
  readonly lastEpoch?: number;
}

function positiveInteger(what: string, value: number | undefined): number {
  if (value === undefined || !Number.isInteger(value) || value <= 0) throw new SchedulerError(`OneCycleLR: expected a positive integer ${what}, got ${value}`);
  return value;
}

function lengthOf(options: OneCycleLROptions): number {
  if (options.totalSteps !== undefined) return positiveInteger('totalSteps', options.totalSteps);
  if (options.epochs === undefined && options.stepsPerEpoch === undefined) {
    throw new SchedulerError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch');
  }
  return positiveInteger('epochs', options.epochs) * positiveInteger('stepsPerEpoch', options.stepsPerEpoch);
}

function phasesOf(totalSteps: number, pctStart: number, threePhase: boolean): OneCyclePhase[] {
  const up = pctStart * totalSteps - 1;
  if (threePhase) {
    return [
      { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
      { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
    ];
  }
  return [
    { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
    { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
  ];
}

function anneal(strategy: AnnealStrategy, start: number, end: number, pct: number): number {
  return strategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}

function groupValue(group: SchedulableParamGroup, key: LrKey | MomentumKey, i: number): number {
  const value = group[key];
  if (value === undefined) throw new SchedulerError(`OneCycleLR: param group ${i} has no ${key}; it is set when the schedule starts (lastEpoch -1)`);
  return value;
}

@stateful(OneCycleLRState)
export class OneCycleLR extends LRScheduler {
  @persist() totalSteps: number;
  @persist() schedulePhases: OneCyclePhase[];
  @persist() annealStrategy: AnnealStrategy;
  @persist() cycleMomentum: boolean;
  /** Whether the momentum lives in `betas[0]` (Adam-like groups) rather than `momentum`. */
  @persist() useBeta1: boolean;

  constructor(optimizer: ParamGroupsHolder, options: OneCycleLROptions) {
    const totalSteps = lengthOf(options);
    const pctStart = options.pctStart ?? 0.3;
    if (!(pctStart >= 0 && pctStart <= 1)) throw new SchedulerError(`OneCycleLR: expected pctStart in [0, 1], got ${pctStart}`);
    const annealStrategy = options.annealStrategy ?? 'cos';
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new SchedulerError(`OneCycleLR: annealStrategy must be 'cos' or 'linear', got ${JSON.stringify(annealStrategy)}`);
    }
    const lastEpoch = options.lastEpoch ?? -1;
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      const maxLrs = perGroup('OneCycleLR', 'maxLr', optimizer, options.maxLr);
      groups.forEach((group, i) => {
        group.initialLr = maxLrs[i]! / (options.divFactor ?? 25);
        group.maxLr = maxLrs[i]!;
        group.minLr = group.initialLr / (options.finalDivFactor ?? 1e4);
      });
    }
    const cycleMomentum = options.cycleMomentum ?? true;
    const useBeta1 = groups[0]?.betas !== undefined;
    if (cycleMomentum) {
      if (!groups.every((g) => g.betas !== undefined || g.momentum !== undefined)) {
        throw new SchedulerError('OneCycleLR: cycleMomentum needs param groups with momentum or betas (pass cycleMomentum: false otherwise)');
      }
      if (lastEpoch === -1) {
        const maxMomentums = perGroup('OneCycleLR', 'maxMomentum', optimizer, options.maxMomentum ?? 0.95);
        const baseMomentums = perGroup('OneCycleLR', 'baseMomentum', optimizer, options.baseMomentum ?? 0.85);
        groups.forEach((group, i) => {
          if (useBeta1) group.betas = [maxMomentums[i]!, group.betas![1]];
          else group.momentum = maxMomentums[i]!;
          group.maxMomentum = maxMomentums[i]!;
          group.baseMomentum = baseMomentums[i]!;
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.schedulePhases = phasesOf(totalSteps, pctStart, options.threePhase ?? false);
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new SchedulerError(`OneCycleLR: tried to step ${stepNum + 1} times; the schedule has ${this.totalSteps} steps`);
    }
    return this.optimizer.paramGroups.map((group, g) => {
      let start = 0;
      for (const [i, phase] of this.schedulePhases.entries()) {
        if (stepNum <= phase.endStep || i === this.schedulePhases.length - 1) {
          const pct = (stepNum - start) / (phase.endStep - start);
          const lr = anneal(this.annealStrategy, groupValue(group, phase.startLr, g), groupValue(group, phase.endLr, g), pct);
          if (this.cycleMomentum) {
            const momentum = anneal(this.annealStrategy, groupValue(group, phase.startMomentum, g), groupValue(group, phase.endMomentum, g), pct);
            if (this.useBeta1) group.betas = [momentum, group.betas![1]];
            else group.momentum = momentum;
          }
          return lr;
        }
        start = phase.endStep;
      }
      throw new SchedulerError('OneCycleLR: no schedule phases');
    });
  }
}
