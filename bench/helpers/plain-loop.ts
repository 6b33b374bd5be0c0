/**
 * The baseline of item 8: the flagship's training math as a plain tfjs loop, with no trainer, callbacks or logging
 * (the same optimizer, the LR scheduler stepped every step, the loss read each step as the trainer reads it).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DigitsClassifier, DigitsBatch } from '../../examples/digits-classifier/classifier.js';
import { LRScheduler, Optimizer, type OptimizerConfig, valueAndGrads } from '../../src/index.js';

function flagshipOptimization(model: DigitsClassifier): { optimizer: Optimizer; scheduler: LRScheduler } {
  const config = model.configureOptimizers();
  if (config instanceof Optimizer || !('optimizer' in config) || !(config.optimizer instanceof Optimizer)) {
    throw new Error('bench: the flagship\'s configureOptimizers() no longer returns { optimizer, lrScheduler }; update the plain loop');
  }
  const lr = (config as OptimizerConfig).lrScheduler;
  const scheduler = lr instanceof LRScheduler ? lr : lr?.scheduler;
  if (!(scheduler instanceof LRScheduler) || (!(lr instanceof LRScheduler) && lr?.interval !== 'step')) {
    throw new Error('bench: the flagship\'s LR scheduler is no longer an LRScheduler stepped every step; update the plain loop');
  }
  return { optimizer: config.optimizer, scheduler };
}

interface EpochLoader extends AsyncIterable<DigitsBatch> {
  setEpoch(epoch: number): void;
}

/** Trains `model` for `epochs` over `loader`; returns the number of steps taken. */
export async function plainTrainingLoop(model: DigitsClassifier, loader: EpochLoader, epochs: number): Promise<number> {
  const { optimizer, scheduler } = flagshipOptimization(model);
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    loader.setEpoch(epoch); // as the trainer does: each epoch its own order, and a fresh pass
    for await (const batch of loader) {
      optimizer.zeroGrad();
      const { value, grads } = valueAndGrads(model, () => model.trainingStep(batch));
      optimizer.step(grads);
      scheduler.step();
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
      steps++;
    }
  }
  return steps;
}
