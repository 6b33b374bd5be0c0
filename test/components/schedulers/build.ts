/** Builds kindling schedulers from the specs recorded in test/fixtures/torch/schedulers.json. */
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  type LRScheduler,
  MultiStepLR,
  OneCycleLR,
  type ParamGroupsHolder,
  ReduceLROnPlateau,
  type SchedulableParamGroup,
  SequentialLR,
  StepLR,
} from '../../../src/components/schedulers/index.js';
import type { Fixture, FixtureNumber } from '../../fixtures/torch/read-fixture.js';

export type Spec = { type: string } & Record<string, unknown>;

export interface Snapshot {
  groups: { lr: FixtureNumber; momentum?: FixtureNumber; beta1?: FixtureNumber }[];
  lastEpoch: number;
  best?: FixtureNumber;
  numBadEpochs?: number;
  cooldownCounter?: number;
}

export interface ScheduleRun {
  name: string;
  optimizer: 'SGD' | 'Adam';
  lrs: number[];
  spec: Spec;
  trace: Snapshot[];
  metrics?: FixtureNumber[];
}

export type SchedulerFixture = Fixture & { steps: number; runs: ScheduleRun[] };

/** Param groups as torch's SGD(momentum=0.9) or Adam would have them. */
export function holderFor(run: ScheduleRun): ParamGroupsHolder & { paramGroups: SchedulableParamGroup[] } {
  return {
    paramGroups: run.lrs.map((lr) => (run.optimizer === 'SGD' ? { lr, momentum: 0.9 } : { lr, betas: [0.9, 0.999] as const })),
  };
}

export type AnyScheduler = LRScheduler | ReduceLROnPlateau;

export function build(holder: ParamGroupsHolder, spec: Spec): AnyScheduler {
  const { type, ...rest } = spec;
  // The fixture's specs are the options objects torch was given, in kindling's names; each constructor checks its own.
  const options = rest as never;
  switch (type) {
    case 'StepLR':
      return new StepLR(holder, options);
    case 'MultiStepLR':
      return new MultiStepLR(holder, options);
    case 'ExponentialLR':
      return new ExponentialLR(holder, options);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(holder, options);
    case 'LinearLR':
      return new LinearLR(holder, options);
    case 'OneCycleLR':
      return new OneCycleLR(holder, options);
    case 'ReduceLROnPlateau':
      return new ReduceLROnPlateau(holder, options);
    case 'SequentialLR': {
      const children = (spec.schedulers as Spec[]).map((child) => build(holder, child) as LRScheduler);
      return new SequentialLR(holder, { schedulers: children, milestones: spec.milestones as number[] });
    }
    default:
      throw new Error(`no scheduler ${type}`);
  }
}
