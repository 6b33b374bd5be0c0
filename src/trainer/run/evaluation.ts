/**
 * The validation, test and predict loops (Lightning's `_EvaluationLoop` and `_PredictionLoop`): every loader of the
 * kind from its start, up to the batch limit, with the module in eval mode and the step hooks around each batch.
 * Evaluation loaders always start at their beginning (a run cut short by a limit does not leave the next run mid-way).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TrainerLoader } from '../loader.js';
import type { EvaluationLoop } from '../loops/loop-state.js';
import type { StepOutput } from '../module-api.js';
import { type RunContext } from './run-context.js';
import { disposeOutput } from './step-outputs.js';

export type EvalKind = 'validation' | 'test';

/** Moves a loader to the start of an epoch (the next one if it was cut short) unless it already is at one. */
export function rewind(loader: TrainerLoader): void {
  if (loader.batchesYielded > 0) loader.setEpoch(loader.epoch + 1);
}

/** Runs at most `limit` batches of `loader`, calling `body` for each; stops the iteration cleanly when cut short. */
export async function forBatches(loader: TrainerLoader, limit: number, body: (batch: unknown, index: number) => Promise<boolean | void> | boolean | void): Promise<void> {
  if (limit <= 0) return;
  let index = 0;
  for await (const batch of loader) {
    const stop = await body(batch, index);
    index++;
    if (stop === true || index >= limit) break;
  }
}

function suffixed(metrics: Record<string, number>, suffix: string): Record<string, number> {
  if (suffix === '') return metrics;
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${k}${suffix}`, v]));
}

/**
 * One validation or test run over `loaders`. Returns the epoch metrics of each loader (keys suffixed with
 * `/dataloader_idx_N` when there are several, as in Lightning). `sanity` runs validation without recording metrics;
 * `beforeEndHooks` runs once the run's metrics are in, before the end hooks (where checkpoints are usually saved).
 */
export async function runEvaluation(
  ctx: RunContext,
  kind: EvalKind,
  loaders: readonly TrainerLoader[],
  limits: readonly number[],
  loop: EvaluationLoop,
  options: { sanity?: boolean; beforeEndHooks?: () => void } = {},
): Promise<Record<string, number>[]> {
  const sanity = options.sanity ?? false;
  const { hooks, module } = ctx;
  const cap = kind === 'validation' ? 'Validation' : 'Test';
  const step = kind === 'validation' ? module.validationStep : module.testStep;
  const wasTraining = module.training;
  module.eval();
  loop.batchProgress.resetOnRun();
  ctx.evalResults.reset();
  const results: Record<string, number>[] = [];
  hooks.both(`on${cap}Start`);
  ctx.setLogContext('evalEpoch');
  hooks.both(`on${cap}EpochStart`);
  const perLoader: Record<string, number>[] = [];
  for (const [d, loader] of loaders.entries()) {
    rewind(loader);
    const limit = limits[d] ?? 0;
    await forBatches(loader, limit, (batch, i) => {
      loop.batchProgress.incrementReady();
      loop.batchProgress.isLastBatch = i === limit - 1;
      ctx.setLogContext('evalStep');
      hooks.both(`on${cap}BatchStart`, batch, i, d);
      loop.batchProgress.incrementStarted();
      const output: StepOutput | void = step === undefined ? undefined : tf.tidy(() => step.call(module, batch, i, d) as never);
      loop.batchProgress.incrementProcessed();
      hooks.both(`on${cap}BatchEnd`, output, batch, i, d);
      disposeOutput(output);
      loop.batchProgress.incrementCompleted();
    });
    if (loaders.length > 1) {
      perLoader.push(ctx.evalResults.epochMetrics().callback);
    }
  }
  ctx.setLogContext('evalEpoch');
  hooks.both(`on${cap}EpochEnd`);
  ctx.setLogContext(undefined);
  const epoch = ctx.evalResults.epochMetrics();
  if (!sanity) {
    const step = ctx.loops.fitLoop.epochLoop.batchesThatStepped;
    ctx.logging.apply(epoch, step, ctx.view.currentEpoch);
  }
  if (loaders.length <= 1) results.push({ ...epoch.callback });
  else perLoader.forEach((m, d) => results.push(suffixed(m, `/dataloader_idx_${d}`)));
  options.beforeEndHooks?.();
  hooks.both(`on${cap}End`);
  ctx.evalResults.reset();
  module.train(wasTraining);
  await ctx.flushSaves();
  return results;
}

/** One predict run: the `predictStep` outputs of every batch, per loader (tensors belong to the caller). */
export async function runPredict(ctx: RunContext, loaders: readonly TrainerLoader[], limits: readonly number[], loop: EvaluationLoop): Promise<unknown[][]> {
  const { hooks, module } = ctx;
  if (module.predictStep === undefined) throw new TypeError(`${module.constructor.name} has no predictStep; implement predictStep(batch, batchIdx) to use trainer.predict`);
  const wasTraining = module.training;
  module.eval();
  loop.batchProgress.resetOnRun();
  hooks.both('onPredictStart');
  hooks.both('onPredictEpochStart');
  const out: unknown[][] = [];
  for (const [d, loader] of loaders.entries()) {
    rewind(loader);
    const predictions: unknown[] = [];
    const limit = limits[d] ?? 0;
    await forBatches(loader, limit, (batch, i) => {
      loop.batchProgress.incrementReady();
      loop.batchProgress.isLastBatch = i === limit - 1;
      hooks.both('onPredictBatchStart', batch, i, d);
      loop.batchProgress.incrementStarted();
      const prediction = tf.tidy(() => module.predictStep!(batch, i, d) as never);
      loop.batchProgress.incrementProcessed();
      hooks.both('onPredictBatchEnd', prediction, batch, i, d);
      predictions.push(prediction);
      loop.batchProgress.incrementCompleted();
    });
    out.push(predictions);
  }
  hooks.both('onPredictEpochEnd');
  hooks.both('onPredictEnd');
  module.train(wasTraining);
  return out;
}
