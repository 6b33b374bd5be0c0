/**
 * 200 training steps of a small MLP (forward, tf.variableGrads, clipGradNorm, an optimizer update) leave the tfjs
 * tensor count where the first step left it, for each optimizer, on both backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BackendName, disposeTensors, initEngine, liveTensorCount } from '../../../src/components/engine/index.js';
import { crossEntropy } from '../../../src/components/nn/functional/index.js';
import { type AdamMoments, adamStep, adamwStep, clipGradNorm, initAdamMoments, initSgdState, type SgdParamState, sgdStep } from '../../../src/components/optim/functional/index.js';

type Update = 'sgd' | 'adam' | 'adamw';

function trainer(update: Update) {
  const params = tf.tidy(() => ({
    w1: tf.variable(tf.randomUniform([8, 16], -0.3, 0.3, 'float32', 1), true),
    b1: tf.variable(tf.zeros([16]), true),
    w2: tf.variable(tf.randomUniform([16, 4], -0.3, 0.3, 'float32', 2), true),
  }));
  const x = tf.randomNormal([32, 8], 0, 1, 'float32', 3);
  const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 4), 'int32');
  const sgd: Record<string, SgdParamState> = {};
  const adam: Record<string, { step: number; moments: AdamMoments }> = {};
  const step = (): number => {
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(tf.add(tf.matMul(x, params.w1), params.b1));
      return crossEntropy(tf.matMul(h, params.w2), y) as tf.Scalar;
    });
    clipGradNorm(grads, 1.0);
    for (const [key, param] of Object.entries(params)) {
      const grad = grads[param.name]!;
      if (update === 'sgd') sgdStep(param, grad, (sgd[key] ??= initSgdState()), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-4 });
      else {
        const s = (adam[key] ??= { step: 0, moments: initAdamMoments(param, true) });
        s.step += 1;
        (update === 'adam' ? adamStep : adamwStep)(param, grad, s.moments, s.step, { lr: 0.01, amsgrad: true, weightDecay: 0.01 });
      }
    }
    const loss = value.dataSync()[0]!;
    value.dispose();
    disposeTensors(grads);
    return loss;
  };
  const dispose = () => {
    tf.dispose([...Object.values(params), x, y]);
    tf.dispose(Object.values(sgd).flatMap((s) => (s.momentumBuffer ? [s.momentumBuffer] : [])));
    tf.dispose(Object.values(adam).flatMap(({ moments }) => Object.values(moments) as tf.Variable[]));
  };
  return { step, dispose };
}

describe.each<BackendName>(['cpu', 'wasm'])('200 steps on %s', (backend) => {
  beforeAll(async () => {
    await initEngine({ backend });
  });

  it.each<Update>(['sgd', 'adam', 'adamw'])('%s leaves the tensor count flat (and learns)', (update) => {
    const start = liveTensorCount();
    const t = trainer(update);
    const first = t.step();
    const afterFirst = liveTensorCount();
    let last = first;
    for (let i = 1; i < 200; i++) last = t.step();
    expect(liveTensorCount(), 'tensors after 200 steps').toBe(afterFirst);
    expect(last).toBeLessThan(first);
    t.dispose();
    expect(liveTensorCount(), 'tensors after disposing the model and optimizer state').toBe(start);
  });
});
