/**
 * Training-step time on each backend: a 64-256-1 ReLU MLP, batch 128, MSE loss, tf.variableGrads + clipGradNorm +
 * Adam (kindling's update rule), 20 warm-up steps then 200 timed. Also the engine start-up time per backend.
 * Never part of `npm test`. Run: `nice -n 10 npx tsx bench/engine-step.bench.ts`
 */
import * as tf from '@tensorflow/tfjs-core';
import { type AdamMoments, adamStep, type BackendName, clipGradNorm, disposeTensors, initAdamMoments, initEngine, liveTensorCount, mseLoss } from '../src/index.js';

async function bench(backend: BackendName): Promise<void> {
  const t0 = performance.now();
  await initEngine({ backend });
  const startMs = performance.now() - t0;
  const params = tf.tidy(() => ({
    w1: tf.variable(tf.randomUniform([64, 256], -0.1, 0.1, 'float32', 1)),
    b1: tf.variable(tf.zeros([256])),
    w2: tf.variable(tf.randomUniform([256, 1], -0.1, 0.1, 'float32', 2)),
    b2: tf.variable(tf.zeros([1])),
  }));
  const x = tf.randomNormal([128, 64], 0, 1, 'float32', 3);
  const y = tf.randomNormal([128, 1], 0, 1, 'float32', 4);
  const moments: Record<string, AdamMoments> = Object.fromEntries(Object.entries(params).map(([k, p]) => [k, initAdamMoments(p)]));
  let step = 0;
  const trainStep = () => {
    step += 1;
    const { value, grads } = tf.variableGrads(() => {
      const h = tf.relu(tf.add(tf.matMul(x, params.w1), params.b1));
      return mseLoss(tf.add(tf.matMul(h, params.w2), params.b2), y) as tf.Scalar;
    });
    clipGradNorm(grads, 1);
    for (const [k, p] of Object.entries(params)) adamStep(p, grads[p.name]!, moments[k]!, step, { lr: 1e-3 });
    value.dataSync();
    value.dispose();
    disposeTensors(grads);
  };
  for (let i = 0; i < 20; i++) trainStep();
  const before = liveTensorCount();
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) trainStep();
  const perStep = (performance.now() - t1) / 200;
  console.log(`${backend}: start ${startMs.toFixed(1)} ms, ${perStep.toFixed(2)} ms/step, tensors ${before} -> ${liveTensorCount()}`);
  tf.dispose([...Object.values(params), x, y, ...Object.values(moments).flatMap((m) => Object.values(m) as tf.Variable[])]);
}

await bench('wasm');
await bench('cpu');
