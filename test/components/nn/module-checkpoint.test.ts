/**
 * A module's state through a checkpoint file: the guide's Mlp trained 50 steps saves with its optimizer and
 * scheduler, and fresh objects loaded from the file give bit-for-bit equal outputs and continue identically; the
 * tensors are named `<section>.<torch names>`; a wrong-shaped weight fails with the path and both shapes and changes
 * nothing (model and optimizer); an optimizer saved mid-trajectory continues the torch trajectory exactly. Both
 * backends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mlp } from '../../../examples/manual-training/mlp.js';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint } from '../../../src/checkpoint/index.js';
import { type BackendName, initEngine } from '../../../src/components/engine/index.js';
import { Linear, normalizeOptimizers, ReLU, Sequential, valueAndGrads } from '../../../src/components/nn/index.js';
import { type Adam, AdamW } from '../../../src/components/optim/index.js';
import { Generator } from '../../../src/components/rng/index.js';
import type { CosineAnnealingLR } from '../../../src/components/schedulers/index.js';
import { StateError, tensorEquals } from '../../../src/state/index.js';
import { buildRun, expectStep, fixture as optimizerFixture, stepWith } from '../optim/support/trajectory.js';

function newRun(seed: number) {
  const model = new Mlp(8, 16, 4, new Generator(seed));
  const config = normalizeOptimizers(model.configureOptimizers()).default!;
  return { model, optimizer: config.optimizer as AdamW, scheduler: config.lrScheduler!.scheduler as CosineAnnealingLR };
}
type Run = ReturnType<typeof newRun>;

function step(run: Run, x: tf.Tensor2D, y: tf.Tensor1D, i: number): void {
  const { value, grads } = valueAndGrads(run.model, () => run.model.trainingStep({ x, y }, i));
  run.optimizer.step(grads);
  run.scheduler.step();
  tf.dispose([value, ...Object.values(grads)]);
}

function outputBits(model: Mlp, x: tf.Tensor): Uint8Array {
  const y = model.forward(x);
  const bytes = new Uint8Array(y.dataSync().slice().buffer);
  y.dispose();
  return bytes;
}

function dispose(run: Run): void {
  run.optimizer.dispose();
  run.model.dispose();
}

describe.each<BackendName>(['cpu', 'wasm'])('module checkpoints on %s', (backend) => {
  let dir: string;
  let x: tf.Tensor2D;
  let y: tf.Tensor1D;
  beforeAll(async () => {
    await initEngine({ backend });
    dir = mkdtempSync(path.join(tmpdir(), 'kindling-module-'));
    x = tf.tensor2d(new Generator(11).fillNormal(new Float32Array(32 * 8)), [32, 8]);
    y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => (i * 7) % 4), 'int32');
  });
  afterAll(() => {
    tf.dispose([x, y]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('trained 50 steps, saved and loaded into fresh objects: bitwise-equal outputs, identical continuation', async () => {
    const run = newRun(1);
    for (let i = 0; i < 50; i++) step(run, x, y, i);
    const file = path.join(dir, 'step-50.kindling');
    await saveCheckpoint(file, { model: run.model.stateDict(), optimizer: run.optimizer.stateDict(), scheduler: run.scheduler.stateDict() });
    const names = (await readCheckpointInfo(file)).tensors.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['model.fc1.weight', 'model.fc1.bias', 'model.fc2.weight', 'model.fc2.bias', 'optimizer.state.fc1\\.weight.expAvg']));

    const resumed = newRun(2);
    expect(outputBits(resumed.model, x)).not.toEqual(outputBits(run.model, x));
    const weightBefore = resumed.model.fc1.weight.variable;
    const tree = await loadCheckpoint(file);
    resumed.model.loadStateDict(tree.model as ReturnType<Mlp['stateDict']>);
    resumed.optimizer.loadStateDict(tree.optimizer as ReturnType<AdamW['stateDict']>);
    resumed.scheduler.loadStateDict(tree.scheduler as ReturnType<CosineAnnealingLR['stateDict']>);
    expect(resumed.model.fc1.weight.variable, 'loaded in place').toBe(weightBefore);
    expect(outputBits(resumed.model, x)).toEqual(outputBits(run.model, x));
    expect(resumed.optimizer.state['fc2.bias']!.step).toBe(50);

    for (let i = 50; i < 60; i++) {
      step(run, x, y, i);
      step(resumed, x, y, i);
    }
    expect(outputBits(resumed.model, x)).toEqual(outputBits(run.model, x));
    expect(resumed.scheduler.getLastLr()).toEqual(run.scheduler.getLastLr());
    dispose(run);
    dispose(resumed);
  });

  it('a wrong-shaped weight fails with the path and both shapes and changes nothing', () => {
    const small = newRun(1);
    const wide = { model: new Mlp(8, 32, 4, new Generator(3)) };
    const before = small.model.stateDict();
    const snapshot = Object.fromEntries(small.model.namedParameters().map(([n, p]) => [n, Array.from(p.variable.dataSync())]));
    let error: unknown;
    try {
      small.model.loadStateDict(wide.model.stateDict());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateError);
    expect((error as Error).message).toContain('Mlp.fc1.weight: expected float32[16,8], got float32[32,8]');
    expect(Object.fromEntries(small.model.namedParameters().map(([n, p]) => [n, Array.from(p.variable.dataSync())]))).toEqual(snapshot);
    expect(tensorEquals(small.model.stateDict().fc2.bias!, before.fc2.bias!)).toBe(true);
    dispose(small);
    wide.model.dispose();
  });

  it('an optimizer state with a wrong-shaped moment fails before anything changes', () => {
    const a = newRun(1);
    const b = { model: new Mlp(8, 32, 4, new Generator(3)) };
    const bOptimizer = new AdamW(b.model.namedParameters(), { lr: 1e-2 });
    step(a, x, y, 0);
    const { value, grads } = valueAndGrads(b.model, () => b.model.trainingStep({ x, y }, 0));
    bOptimizer.step(grads);
    tf.dispose([value, ...Object.values(grads)]);
    const lrBefore = a.optimizer.paramGroups[0]!.lr;
    expect(() => a.optimizer.loadStateDict({ ...bOptimizer.stateDict(), paramGroups: a.optimizer.stateDict().paramGroups.map((g) => ({ ...g, lr: 5 })) })).toThrow(
      /AdamW\.state\["fc1\.weight"\]\.expAvg: expected float32\[16,8\], got float32\[32,8\]/,
    );
    expect(a.optimizer.paramGroups[0]!.lr).toBe(lrBefore);
    expect(a.optimizer.state['fc1.weight']!.step).toBe(1);
    // A fresh optimizer has no moments to compare with: the check against the live parameters still refuses them.
    const fresh = new AdamW(a.model.namedParameters(), { lr: 1e-2 });
    expect(() => fresh.loadStateDict({ ...bOptimizer.stateDict(), paramGroups: fresh.stateDict().paramGroups })).toThrow(
      /AdamW\.state\["fc1\.weight"\]\.expAvg: expected float32\[16,8\], got float32\[32,8\]/,
    );
    expect(fresh.state).toEqual({});
    fresh.dispose();
    bOptimizer.dispose();
    b.model.dispose();
    dispose(a);
  });

  it('Sequential saves its layers by index (layers.0.weight) and loads them back', () => {
    const make = (seed: number) => new Sequential(new Linear(3, 4, { generator: new Generator(seed) }), new ReLU(), new Linear(4, 2, { generator: new Generator(seed + 1) }));
    const a = make(1);
    const b = make(5);
    const state = a.stateDict();
    expect(Object.keys(state.layers[0]!)).toEqual(expect.arrayContaining(['weight', 'bias']));
    b.loadStateDict(state);
    expect(b.parameters().map((p) => Array.from(p.variable.dataSync()))).toEqual(a.parameters().map((p) => Array.from(p.variable.dataSync())));
    a.dispose();
    b.dispose();
  });

  it.each(optimizerFixture.runs.filter((r) => ['SGD nesterov', 'Adam amsgrad', 'AdamW twoGroups', 'SGD twoGroups'].includes(`${r.optimizer} ${r.name}`)).map((r) => [`${r.optimizer} ${r.name}`, r] as const))(
    '%s saved at step 10 into a fresh optimizer continues the torch trajectory',
    async (_, run) => {
      const first = buildRun(run);
      for (let i = 0; i < 10; i++) stepWith(first.optimizer, i);
      const file = path.join(dir, `${run.optimizer}-${run.name}.kindling`);
      await saveCheckpoint(file, { optimizer: first.optimizer.stateDict() as never });
      const second = buildRun(run);
      Object.entries(first.params).forEach(([n, p]) => second.params[n]!.assign(p.variable));
      (second.optimizer as Adam).loadStateDict((await loadCheckpoint(file)).optimizer as never);
      for (let i = 10; i < optimizerFixture.grads.length; i++) {
        stepWith(second.optimizer, i);
        expectStep(run, i, second.params, second.optimizer);
      }
      for (const r of [first, second]) {
        r.optimizer.dispose();
        Object.values(r.params).forEach((p) => p.dispose());
      }
    },
  );
});
