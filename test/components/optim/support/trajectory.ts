/** Replaying the torch optimizer trajectories (test/fixtures/torch/optimizers.json) through the optimizer classes. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { Parameter } from '../../../../src/components/nn/index.js';
import { Adam, AdamW, type Optimizer, SGD } from '../../../../src/components/optim/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../../fixtures/torch/read-fixture.js';

type GroupOptions = Record<string, unknown> & { params: string[] };
interface RecordedState {
  step?: number;
  momentumBuffer?: FixtureTensor | null;
  expAvg?: FixtureTensor;
  expAvgSq?: FixtureTensor;
  maxExpAvgSq?: FixtureTensor;
}
export interface Run {
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  name: string;
  groups: GroupOptions[];
  steps: { params: Record<string, FixtureTensor>; state: Record<string, RecordedState> }[];
}
export const fixture = loadFixture<Fixture & { initial: Record<string, FixtureTensor>; grads: Record<string, FixtureTensor>[]; runs: Run[] }>('optimizers.json');
const CLASSES = { SGD, Adam, AdamW } as const;

/** The run's optimizer over fresh parameters: one group from named parameters, or the recorded groups. */
export function buildRun(run: Run): { params: Record<string, Parameter>; optimizer: Optimizer } {
  const params = Object.fromEntries(Object.entries(fixture.initial).map(([n, t]) => [n, Parameter.fromInit(() => tfTensorOf(t))]));
  const named = Object.entries(params) as [string, Parameter][];
  const Class = CLASSES[run.optimizer] as new (params: unknown, options?: unknown) => Optimizer;
  const strip = ({ params: _, ...options }: GroupOptions) => options;
  const optimizer =
    run.groups.length === 1
      ? new Class(named, strip(run.groups[0]!))
      : new Class(run.groups.map((g) => ({ ...strip(g), params: g.params.map((n) => [n, params[n]!] as const) })));
  return { params, optimizer };
}

export function stepWith(optimizer: Optimizer, i: number): void {
  const grads = Object.fromEntries(Object.entries(fixture.grads[i]!).map(([n, t]) => [n, tfTensorOf(t)]));
  optimizer.step(grads);
  tf.dispose(Object.values(grads));
}

export function expectStep(run: Run, i: number, params: Record<string, Parameter>, optimizer: Optimizer): void {
  const recorded = run.steps[i]!;
  const at = `${run.optimizer} ${run.name} step ${i + 1}`;
  for (const [name, expected] of Object.entries(recorded.params)) expectMatches(`${at} ${name}`, params[name]!.variable, expected);
  const state = (optimizer as SGD | Adam).state as unknown as Record<string, Record<string, unknown>>;
  for (const [name, want] of Object.entries(recorded.state)) {
    const got = state[name]!;
    for (const [key, value] of Object.entries(want)) {
      if (key === 'step') expect(got.step, `${at} ${name}.step`).toBe(value);
      else if (value === null) expect(got[key], `${at} ${name}.${key}`).toBeNull();
      else expectMatches(`${at} ${name}.${key}`, (got[key] as Parameter).variable, value as FixtureTensor);
    }
    expect(Object.keys(got).sort(), `${at} ${name} state keys`).toEqual(Object.keys(want).sort());
  }
}


