/** The schedulers' generated state (its keys, nesting and validation) and their argument checks. */
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  LinearLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SchedulerError,
  SequentialLR,
  StepLR,
} from '../../../src/components/schedulers/index.js';
import { StateError } from '../../../src/state/index.js';

const holder = () => ({ paramGroups: [{ lr: 0.1 }, { lr: 0.01 }] });

describe('scheduler state', () => {
  it('is plain data with torch state_dict keys in camelCase, and never the optimizer', () => {
    const h = holder();
    const step = new StepLR(h, { stepSize: 3, gamma: 0.5 });
    step.step();
    expect(step.stateDict()).toEqual({ lastEpoch: 1, baseLrs: [0.1, 0.01], lastLr: [0.1, 0.01], stepCount: 2, stepSize: 3, gamma: 0.5 });
    const plateau = new ReduceLROnPlateau(holder(), { patience: 2 });
    expect(plateau.stateDict()).toEqual({
      factor: 0.1, minLrs: [0, 0], patience: 2, cooldown: 0, cooldownCounter: 0, mode: 'min', threshold: 1e-4,
      thresholdMode: 'rel', best: Number.POSITIVE_INFINITY, numBadEpochs: 0, eps: 1e-8, lastEpoch: 0, lastLr: [0.1, 0.01],
    });
  });

  it("nests SequentialLR's schedulers' states, and loads them back into its own schedulers", () => {
    const h = holder();
    const seq = new SequentialLR(h, { schedulers: [new LinearLR(h, { totalIters: 2 }), new CosineAnnealingLR(h, { tMax: 4 })], milestones: [2] });
    for (let i = 0; i < 3; i++) seq.step();
    const state = seq.stateDict();
    expect(state.milestones).toEqual([2]);
    expect(state.schedulers).toHaveLength(2);
    expect(state.schedulers[1]).toMatchObject({ tMax: 4, etaMin: 0, lastEpoch: 1 });
    const h2 = holder();
    const children = [new LinearLR(h2, { totalIters: 2 }), new CosineAnnealingLR(h2, { tMax: 4 })];
    const other = new SequentialLR(h2, { schedulers: children, milestones: [2] });
    other.loadStateDict(state);
    expect(children[1]!.stateDict()).toEqual(state.schedulers[1]);
  });

  it('refuses a wrong state before changing anything, naming the path', () => {
    const step = new StepLR(holder(), { stepSize: 3 });
    const before = step.stateDict();
    expect(() => step.loadStateDict({ ...before, gamma: 'half' } as never)).toThrow(StateError);
    expect(() => step.loadStateDict({ ...before, gamma: 'half' } as never)).toThrow(/^StepLR\.gamma: expected number, got string/);
    expect(step.stateDict()).toEqual(before);
    const plateau = new ReduceLROnPlateau(holder());
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), mode: 'sideways' } as never)).toThrow(/ReduceLROnPlateau\.mode: expected "max" \| "min"/);
  });
});

describe('scheduler arguments', () => {
  it('are checked as torch checks them', () => {
    expect(() => new LinearLR(holder(), { startFactor: 1.5 })).toThrow(new SchedulerError('LinearLR: startFactor must be in [0, 1], got 1.5'));
    expect(() => new ReduceLROnPlateau(holder(), { factor: 1 })).toThrow(new SchedulerError('ReduceLROnPlateau: factor must be < 1, got 1'));
    expect(() => new ReduceLROnPlateau(holder(), { minLr: [0] })).toThrow(new SchedulerError('ReduceLROnPlateau: expected 2 values for minLr (one per param group), got 1'));
    expect(() => new OneCycleLR(holder(), { maxLr: 1 })).toThrow(new SchedulerError('OneCycleLR: give totalSteps, or epochs and stepsPerEpoch'));
    expect(() => new OneCycleLR(holder(), { maxLr: 1, totalSteps: 10 })).toThrow(/cycleMomentum needs param groups with momentum or betas/);
    expect(() => new StepLR(holder(), { stepSize: 2, lastEpoch: 4 })).toThrow(new SchedulerError('StepLR: param group 0 has no initialLr; a scheduler created with lastEpoch 4 resumes a schedule and needs it'));
    const h = holder();
    expect(() => new SequentialLR(h, { schedulers: [new StepLR(holder(), { stepSize: 1 })], milestones: [] })).toThrow(/drives another optimizer/);
    expect(() => new SequentialLR(h, { schedulers: [new StepLR(h, { stepSize: 1 })], milestones: [3] })).toThrow(/expected 0 milestones for 1 schedulers, got 1/);
  });

  it('OneCycleLR refuses to step past its length', () => {
    const cycle = new OneCycleLR(holder(), { maxLr: 1, totalSteps: 3, cycleMomentum: false });
    for (let i = 0; i < 3; i++) cycle.step();
    expect(() => cycle.step()).toThrow(new SchedulerError('OneCycleLR: tried to step 5 times; the schedule has 3 steps'));
  });
});
