/**
 * The update rules against torch 1.13 trajectories (test/fixtures/torch/optimizers.json, recorded by
 * scripts/python/reference_optimizers.py): the same initial parameters and 20 gradients, and after every step the
 * parameters and each parameter's state must match torch within float32 tolerance, on both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import {
  type AdamMoments,
  type AdamOptions,
  adamStep,
  adamwStep,
  initAdamMoments,
  initSgdState,
  type SgdOptions,
  type SgdParamState,
  sgdStep,
} from '../../../src/components/optim/functional/index.js';
import { expectMatches, type Fixture, type FixtureTensor, loadFixture, tfTensorOf } from '../../fixtures/torch/read-fixture.js';

type Group = SgdOptions & AdamOptions & { params: string[] };
interface RecordedState {
  step?: number;
  momentumBuffer?: FixtureTensor | null;
  expAvg?: FixtureTensor;
  expAvgSq?: FixtureTensor;
  maxExpAvgSq?: FixtureTensor;
}
interface Run {
  optimizer: 'SGD' | 'Adam' | 'AdamW';
  name: string;
  groups: Group[];
  steps: { params: Record<string, FixtureTensor>; state: Record<string, RecordedState> }[];
}
const fixture = loadFixture<Fixture & { initial: Record<string, FixtureTensor>; grads: Record<string, FixtureTensor>[]; runs: Run[] }>('optimizers.json');

/** Replays one recorded run through the functional update rules, checking every step. */
function replay(run: Run): void {
  const params = tf.tidy(() => Object.fromEntries(Object.entries(fixture.initial).map(([n, t]) => [n, tf.variable(tfTensorOf(t), true)])));
  const sgd: Record<string, SgdParamState> = {};
  const adam: Record<string, { step: number; moments: AdamMoments }> = {};
  fixture.grads.forEach((gradients, i) => {
    for (const group of run.groups) {
      for (const name of group.params) {
        const param = params[name]!;
        const grad = tfTensorOf(gradients[name]!);
        if (run.optimizer === 'SGD') {
          sgdStep(param, grad, (sgd[name] ??= initSgdState()), group);
        } else {
          const s = (adam[name] ??= { step: 0, moments: initAdamMoments(param, group.amsgrad ?? false) });
          s.step += 1;
          (run.optimizer === 'Adam' ? adamStep : adamwStep)(param, grad, s.moments, s.step, group);
        }
        grad.dispose();
      }
    }
    const recorded = run.steps[i]!;
    const at = `${run.optimizer} ${run.name} step ${i + 1}`;
    for (const [name, expected] of Object.entries(recorded.params)) expectMatches(`${at} ${name}`, params[name]!, expected);
    for (const [name, state] of Object.entries(recorded.state)) {
      if (run.optimizer === 'SGD') {
        const buffer = sgd[name]!.momentumBuffer;
        if (state.momentumBuffer === null) expect(buffer, `${at} ${name}.momentumBuffer`).toBeNull();
        else expectMatches(`${at} ${name}.momentumBuffer`, buffer!, state.momentumBuffer!);
      } else {
        const { step, moments } = adam[name]!;
        expect(step, `${at} ${name}.step`).toBe(state.step);
        expectMatches(`${at} ${name}.expAvg`, moments.expAvg, state.expAvg!);
        expectMatches(`${at} ${name}.expAvgSq`, moments.expAvgSq, state.expAvgSq!);
        if (state.maxExpAvgSq) expectMatches(`${at} ${name}.maxExpAvgSq`, moments.maxExpAvgSq!, state.maxExpAvgSq);
        else expect(moments.maxExpAvgSq, `${at} ${name}.maxExpAvgSq`).toBeUndefined();
      }
    }
  });
  tf.dispose([...Object.values(params), ...Object.values(sgd).flatMap((s) => (s.momentumBuffer ? [s.momentumBuffer] : []))]);
  tf.dispose(Object.values(adam).flatMap(({ moments }) => Object.values(moments) as tf.Variable[]));
}

describe.each<BackendName>(['cpu', 'wasm'])('optimizer trajectories on %s match torch', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it('covers every optimizer and option the issue names', () => {
    expect(fixture.runs.map((r) => `${r.optimizer} ${r.name}`)).toEqual(
      expect.arrayContaining(['SGD momentum', 'SGD dampening', 'SGD nesterov', 'SGD weightDecay', 'SGD maximize', 'SGD twoGroups', 'Adam amsgrad', 'Adam weightDecay', 'Adam maximize', 'Adam twoGroups', 'AdamW defaults', 'AdamW twoGroups']),
    );
  });

  it.each(fixture.runs.map((r) => [`${r.optimizer} ${r.name}`, r] as const))('%s', (_, run) => {
    const before = liveTensorCount();
    replay(run);
    expect(liveTensorCount(), 'tensors left behind').toBe(before);
  });
});
