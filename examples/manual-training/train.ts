/**
 * docs/guide-manual-training.md as a program: train the Mlp on the digits by hand for 50 steps, save a checkpoint,
 * rebuild everything from it in fresh objects, and check that the rebuilt model's outputs are bit-for-bit the
 * trained one's and that training goes on identically. Run with `npx tsx examples/manual-training/train.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, clipGradNorm, CosineAnnealingLR, Generator, initEngine, normalizeOptimizers, readDigits, valueAndGrads } from 'kindling';
import { loadCheckpoint, saveCheckpoint } from 'kindling/checkpoint';
import { type DigitsBatch, Mlp } from './mlp.js';

interface Run {
  model: Mlp;
  optimizer: AdamW;
  scheduler: CosineAnnealingLR;
}

/** A model initialised from `seed`, with its optimizer and scheduler, as its configureOptimizers() says. */
function newRun(seed = 0): Run {
  const model = new Mlp(64, 32, 10, new Generator(seed));
  const { default: config } = normalizeOptimizers(model.configureOptimizers());
  return { model, optimizer: config!.optimizer as AdamW, scheduler: config!.lrScheduler!.scheduler as CosineAnnealingLR };
}

/** One step by hand: loss and gradients by parameter name, clipping, the update, the schedule. */
function trainStep({ model, optimizer, scheduler }: Run, batch: DigitsBatch, batchIdx: number): number {
  const { value, grads } = valueAndGrads(model, () => model.trainingStep(batch, batchIdx));
  clipGradNorm(grads, 1.0);
  optimizer.step(grads);
  scheduler.step();
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

export async function main(): Promise<{ firstLoss: number; lastLoss: number; differsBeforeLoad: boolean; outputsEqual: boolean; continuesEqual: boolean }> {
  const engine = await initEngine();
  const { images, labels } = await readDigits();
  const batch: DigitsBatch = {
    x: tf.tensor2d(Float32Array.from(images.data.subarray(0, 256 * 64), (v) => v / 16), [256, 64]),
    y: tf.tensor1d(Int32Array.from(labels.data.subarray(0, 256)), 'int32'),
  };

  const run = newRun();
  let firstLoss = Number.NaN;
  let lastLoss = Number.NaN;
  for (let step = 0; step < 50; step++) {
    lastLoss = trainStep(run, batch, step);
    if (step === 0) firstLoss = lastLoss;
  }
  console.log(`backend ${engine.backend}: loss ${firstLoss.toFixed(4)} → ${lastLoss.toFixed(4)} after 50 steps`);

  // The checkpoint: each component's typed state under a section name.
  const dir = mkdtempSync(join(tmpdir(), 'kindling-guide-'));
  const file = join(dir, 'step-50.kindling');
  await saveCheckpoint(file, { model: run.model.stateDict(), optimizer: run.optimizer.stateDict(), scheduler: run.scheduler.stateDict() });

  // Resume in fresh objects initialised from another seed (so only the load can make them equal), from the file alone.
  const resumed = newRun(1);
  const same = (a: tf.Tensor, b: tf.Tensor) => Buffer.from(a.dataSync().buffer).equals(Buffer.from(b.dataSync().buffer));
  const [before, trained] = [resumed.model.forward(batch.x), run.model.forward(batch.x)];
  const differsBeforeLoad = !same(before, trained);
  tf.dispose([before, trained]);
  const tree = await loadCheckpoint(file);
  resumed.model.loadStateDict(tree.model as ReturnType<Mlp['stateDict']>);
  resumed.optimizer.loadStateDict(tree.optimizer as ReturnType<AdamW['stateDict']>);
  resumed.scheduler.loadStateDict(tree.scheduler as ReturnType<CosineAnnealingLR['stateDict']>);
  rmSync(dir, { recursive: true, force: true });

  const [a, b] = [run.model.forward(batch.x), resumed.model.forward(batch.x)];
  const outputsEqual = same(a, b);
  tf.dispose([a, b]);
  for (let step = 50; step < 60; step++) {
    trainStep(run, batch, step);
    trainStep(resumed, batch, step);
  }
  const [c, d] = [run.model.forward(batch.x), resumed.model.forward(batch.x)];
  const continuesEqual = same(c, d);
  tf.dispose([c, d, batch.x, batch.y]);
  console.log(`resumed outputs bit-for-bit equal: ${outputsEqual ? 'yes' : 'no'}; 10 more steps equal: ${continuesEqual ? 'yes' : 'no'}`);
  for (const r of [run, resumed]) {
    r.optimizer.dispose();
    r.model.dispose();
  }
  return { firstLoss, lastLoss, differsBeforeLoad, outputsEqual, continuesEqual };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
