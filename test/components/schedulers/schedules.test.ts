/**
 * The schedulers against torch 1.13 (test/fixtures/torch/schedulers.json, recorded by
 * scripts/python/reference_schedulers.py): every group's lr (and the cycled momentum or beta1) before the first step
 * and after each of 50 steps, `lastEpoch`, and the plateau counters; then the same runs saved to their state half
 * way, loaded into fresh schedulers and continued. Learning rates are doubles on both sides, so the tolerance is
 * 1e-12 relative (the cosines come from different libm implementations) rather than float32's.
 */
import { describe, expect, it } from 'vitest';
import { type LRScheduler, ReduceLROnPlateau, type SchedulableParamGroup } from '../../../src/components/schedulers/index.js';
import { expectNumberMatches, loadFixture, num } from '../../fixtures/torch/read-fixture.js';
import { type AnyScheduler, build, holderFor, type ScheduleRun, type SchedulerFixture, type Snapshot } from './build.js';

const fixture = loadFixture<SchedulerFixture>('schedulers.json');
const TOL = { rtol: 1e-12, atol: 1e-15 };

function expectSnapshot(at: string, groups: readonly SchedulableParamGroup[], scheduler: AnyScheduler, expected: Snapshot): void {
  expected.groups.forEach((g, i) => {
    expectNumberMatches(`${at} group ${i} lr`, groups[i]!.lr, g.lr, TOL);
    if (g.momentum !== undefined) expectNumberMatches(`${at} group ${i} momentum`, groups[i]!.momentum!, g.momentum, TOL);
    if (g.beta1 !== undefined) expectNumberMatches(`${at} group ${i} beta1`, groups[i]!.betas![0], g.beta1, TOL);
  });
  expect(scheduler.lastEpoch, `${at} lastEpoch`).toBe(expected.lastEpoch);
  expect(scheduler.getLastLr(), `${at} getLastLr()`).toEqual(groups.map((g) => g.lr));
  if (scheduler instanceof ReduceLROnPlateau) {
    expectNumberMatches(`${at} best`, scheduler.best, expected.best!, TOL);
    expect(scheduler.numBadEpochs, `${at} numBadEpochs`).toBe(expected.numBadEpochs);
    expect(scheduler.cooldownCounter, `${at} cooldownCounter`).toBe(expected.cooldownCounter);
  }
}

function stepOnce(scheduler: AnyScheduler, run: ScheduleRun, i: number): void {
  if (scheduler instanceof ReduceLROnPlateau) scheduler.step(num(run.metrics![i]!));
  else (scheduler as LRScheduler).step();
}

describe('learning-rate schedules match torch', () => {
  it('covers every scheduler the issue names', () => {
    const types = new Set(fixture.runs.flatMap((r) => [r.spec.type, ...((r.spec.schedulers as { type: string }[] | undefined) ?? []).map((s) => s.type)]));
    expect([...types].sort()).toEqual(['CosineAnnealingLR', 'ExponentialLR', 'LinearLR', 'MultiStepLR', 'OneCycleLR', 'ReduceLROnPlateau', 'SequentialLR', 'StepLR']);
  });

  it.each(fixture.runs.map((r) => [r.name, r] as const))('%s, 50 steps', (_, run) => {
    const holder = holderFor(run);
    const scheduler = build(holder, run.spec);
    expectSnapshot(`${run.name} start`, holder.paramGroups, scheduler, run.trace[0]!);
    for (let i = 0; i < fixture.steps; i++) {
      stepOnce(scheduler, run, i);
      expectSnapshot(`${run.name} step ${i + 1}`, holder.paramGroups, scheduler, run.trace[i + 1]!);
    }
  });

  it.each(fixture.runs.map((r) => [r.name, r] as const))('%s, saved at step 20 and resumed into a fresh scheduler', (_, run) => {
    const holder = holderFor(run);
    const scheduler = build(holder, run.spec);
    for (let i = 0; i < 20; i++) stepOnce(scheduler, run, i);
    const saved = scheduler.stateDict();
    // A resumed run: a new optimizer and scheduler, then the optimizer's param groups come back from its own state.
    const freshHolder = holderFor(run);
    const fresh = build(freshHolder, run.spec);
    freshHolder.paramGroups.forEach((group, i) => Object.assign(group, structuredClone(holder.paramGroups[i])));
    expect(fresh.loadStateDict(saved as never)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(fresh.stateDict()).toEqual(saved);
    for (let i = 20; i < fixture.steps; i++) {
      stepOnce(fresh, run, i);
      expectSnapshot(`${run.name} resumed step ${i + 1}`, freshHolder.paramGroups, fresh, run.trace[i + 1]!);
    }
  });
});
