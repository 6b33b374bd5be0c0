/**
 * Automatic optimization of one training batch (Lightning's `_AutomaticOptimization`), in Lightning's hook order:
 *
 *     trainingStep → onBeforeZeroGrad (first batch of an accumulation window) → onBeforeBackward → [gradients]
 *     → onAfterBackward → (last batch of the window:) unscale → onBeforeOptimizerStep → clip → optimizer step(s)
 *
 * tfjs computes the forward pass and the gradients in one call (`tf.variableGrads`), so the hooks "before zero grad"
 * and "before backward" run inside it, right after `trainingStep` returned, and see the loss about to be
 * differentiated (scaled by the precision plugin and divided by `accumulateGradBatches`). Gradients of the batches of
 * a window are summed in a {@link GradientAccumulator}, which checkpoints hold; a window ends after
 * `accumulateGradBatches` batches or at the epoch's last batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GradientMap } from '../../components/optim/functional/gradient-map.js';
import { clipGradNorm } from '../../components/optim/functional/clip-grad-norm.js';
import { clipGradValue } from '../../components/optim/functional/clip-grad-value.js';
import { LRScheduler } from '../../components/schedulers/lr-scheduler.js';
import { MissingMetricError as MissingMonitor } from '../errors.js';
import { type StepOutput, valueAndGrads } from '../module-api.js';
import type { GradientAccumulator } from './gradient-accumulator.js';
import type { RunContext } from './run-context.js';
import { lossOf, tensorsOf } from './step-outputs.js';

/**
 * Runs `trainingStep` on `batch` and accumulates its gradients; steps the optimizers when the window ends. Returns
 * the step output with its tensors kept alive (the caller passes it to `onTrainBatchEnd` and then disposes it).
 */
export function trainOnBatch(ctx: RunContext, accumulator: GradientAccumulator, batch: unknown, batchIdx: number, windowEnds: boolean): StepOutput {
  const { hooks, module, precision, options } = ctx;
  const optimProgress = ctx.loops.fitLoop.epochLoop.automaticOptimization.optimProgress.optimizer;
  const n = options.accumulateGradBatches;
  const firstOfWindow = batchIdx % n === 0;
  let output: StepOutput | undefined;
  // Gradients a window left behind (an epoch ended early by onTrainBatchStart returning -1) are dropped when the next
  // window starts, as torch's zero_grad drops them; the accumulator is empty here otherwise.
  if (firstOfWindow) accumulator.clear();
  ctx.setLogContext('trainStep');
  const { value, grads } = valueAndGrads(module, () => {
    output = module.trainingStep(batch, batchIdx);
    const loss = lossOf(output, `${module.constructor.name}.trainingStep`);
    for (const t of tensorsOf(output)) tf.keep(t);
    if (firstOfWindow) {
      for (const config of Object.values(ctx.optimizers)) {
        optimProgress.zeroGrad.incrementReady();
        hooks.callbacksHook('onBeforeZeroGrad', config.optimizer);
        hooks.moduleHook('onBeforeZeroGrad', config.optimizer as never);
        optimProgress.zeroGrad.incrementStarted();
        config.optimizer.zeroGrad();
        optimProgress.zeroGrad.incrementCompleted();
      }
    }
    const scaled = precision.scaleLoss(n === 1 ? loss : tf.div(loss, n)) as tf.Scalar;
    hooks.callbacksHook('onBeforeBackward', scaled);
    hooks.moduleHook('onBeforeBackward', scaled);
    return scaled;
  });
  // `value` is the loss itself when nothing scaled it (accumulateGradBatches 1, float32): it is part of the output that
  // onTrainBatchEnd receives (the ProgressBar reads its loss there), and the caller disposes it after that hook.
  if (!tensorsOf(output!).includes(value)) value.dispose();
  // Inside a window the gradients join the accumulator before onAfterBackward, so a checkpoint saved from then on holds
  // them; the window's last batch is summed with them for the step.
  if (!windowEnds) accumulator.accumulate(grads);
  try {
    hooks.both('onAfterBackward');
  } catch (error) {
    if (windowEnds) tf.dispose(Object.values(grads));
    throw error;
  }
  if (windowEnds) stepOptimizers(ctx, accumulator.complete(grads));
  ctx.setLogContext(undefined);
  return output!;
}

function stepOptimizers(ctx: RunContext, grads: GradientMap): void {
  const { hooks, precision, options } = ctx;
  const optimProgress = ctx.loops.fitLoop.epochLoop.automaticOptimization.optimProgress.optimizer;
  try {
    optimProgress.step.incrementReady();
    precision.unscaleGradients(grads);
    for (const [name, config] of Object.entries(ctx.optimizers)) {
      hooks.callbacksHook('onBeforeOptimizerStep', config.optimizer, name);
      hooks.moduleHook('onBeforeOptimizerStep', config.optimizer as never, name);
    }
    if (options.gradientClipVal !== undefined && options.gradientClipVal > 0) {
      if (options.gradientClipAlgorithm === 'norm') clipGradNorm(grads, options.gradientClipVal);
      else clipGradValue(grads, options.gradientClipVal);
    }
    precision.optimizerStep(grads, (g) => {
      for (const config of Object.values(ctx.optimizers)) config.optimizer.step(g);
    });
    optimProgress.step.incrementCompleted();
    ctx.loops.fitLoop.epochLoop.batchesThatStepped++;
  } finally {
    tf.dispose(Object.values(grads));
  }
  stepSchedulers(ctx, 'step');
}

/** Steps the schedulers of `interval` whose `frequency` is due (Lightning's `_update_learning_rates`). */
export function stepSchedulers(ctx: RunContext, interval: 'step' | 'epoch', options: { plateau?: boolean } = {}): void {
  const progress = ctx.loops.fitLoop.epochLoop.schedulerProgress;
  const index = interval === 'step' ? ctx.loops.fitLoop.epochLoop.batchesThatStepped : ctx.view.currentEpoch + 1;
  for (const config of ctx.schedulers) {
    if (config.interval !== interval || index % config.frequency !== 0) continue;
    const scheduler = config.scheduler;
    if (scheduler instanceof LRScheduler) {
      progress.incrementReady();
      scheduler.step();
      progress.incrementCompleted();
      continue;
    }
    if (options.plateau === false) continue;
    const key = config.monitor!;
    const value = ctx.logging.callbackMetrics[key];
    if (value === undefined) {
      const available = Object.keys(ctx.logging.callbackMetrics);
      throw new MissingMonitor(key, available, `The ReduceLROnPlateau scheduler '${config.name}'`);
    }
    progress.incrementReady();
    scheduler.step(value);
    progress.incrementCompleted();
  }
}
