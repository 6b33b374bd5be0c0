/**
 * The fit loop and the training-epoch loop (Lightning's `_FitLoop` and `_TrainingEpochLoop`). Every unit of work
 * advances its progress tracker in order (ready → started → processed → completed), so a checkpoint saved from any
 * hook says where training stood, and a restored run continues from there (see {@link restartPoint}).
 */
import { isStatefulLoader, type TrainerLoader } from '../loader.js';
import type { FitLoop } from '../loops/loop-state.js';
import type { ProcessedTracker } from '../loops/trackers.js';
import { forBatches, runEvaluation } from './evaluation.js';
import { stepSchedulers, trainOnBatch } from './optimization.js';
import { loadersOf, type RunContext } from './run-context.js';
import { disposeOutput } from './step-outputs.js';

/**
 * Where a restored fit loop stopped (lightning-checkpointing.md §4):
 * - `fresh`: nothing ran yet;
 * - `epochStart`: saved in `onTrainEpochStart` (the epoch starts again, its start hooks run again);
 * - `midEpoch`: saved after a training batch (in `onTrainBatchEnd`, or by a step-based checkpoint);
 * - `afterValidation`: saved in a validation inside the epoch (`onValidationEnd`): that validation is not repeated;
 * - `epochEnd`: saved in `onTrainEpochEnd` (the epoch is finished without running its end hooks again);
 * - `betweenEpochs`: saved after an epoch completed (`onTrainEnd`, `onFitEnd`, or by `trainer.saveCheckpoint` after fit).
 */
export type RestartPoint = 'fresh' | 'epochStart' | 'midEpoch' | 'afterValidation' | 'epochEnd' | 'betweenEpochs';

export function restartPoint(fit: FitLoop): RestartPoint {
  const t = fit.epochProgress.total;
  if (t.ready === 0) return 'fresh';
  if (t.ready === t.completed) return 'betweenEpochs';
  if (t.started === t.ready - 1) return 'epochStart';
  if (t.processed === t.started - 1) {
    const loop = fit.epochLoop;
    return loop.lastValidatedBatch === loop.batchProgress.current.completed ? 'afterValidation' : 'midEpoch';
  }
  return 'epochEnd';
}

/** Counts work that was in flight when the state was saved as done (`to`) or as not started (`completed`). */
function settle(tracker: ProcessedTracker, to: number): void {
  tracker.ready = to;
  tracker.started = to;
  tracker.processed = to;
  tracker.completed = to;
}

/** Captured at load, so that a test's fake timers cannot stall the loop; absent outside Node (a browser). */
const setImmediateReal: ((callback: () => void) => unknown) | undefined = globalThis.setImmediate;

/**
 * Lets the event loop run its I/O callbacks. A training batch is synchronous tfjs work and the loaders hand out
 * ready batches without a macrotask, so without this an epoch never leaves the microtask queue: a background write
 * (ModelCheckpoint's asyncSave, a logger's) would not progress until the trainer next waits for something (measured:
 * every write of a fit with a checkpoint each 20 steps completed only at the end of fit, in a row; each one's
 * snapshot held meanwhile), and timers and signal handlers would not run mid-epoch. One setImmediate per batch
 * costs about 3 µs.
 */
function yieldToEventLoop(): Promise<void> {
  // Without setImmediate there is no cheap macrotask to wait for (setTimeout is clamped to 4 ms when nested), so the
  // loop goes on as before.
  if (setImmediateReal === undefined) return Promise.resolve();
  return new Promise((resolve) => setImmediateReal(resolve));
}

function fitDone(ctx: RunContext): boolean {
  const { maxSteps, maxEpochs, minEpochs } = ctx.options;
  if (maxSteps !== -1 && ctx.view.globalStep >= maxSteps) return true;
  if (maxEpochs !== undefined && ctx.view.currentEpoch >= maxEpochs) return true;
  if (ctx.view.shouldStop) {
    if (ctx.view.currentEpoch >= (minEpochs ?? 0)) return true;
    ctx.view.shouldStop = false;
  }
  return false;
}

function stopMidEpoch(ctx: RunContext): boolean {
  const { maxSteps, minEpochs } = ctx.options;
  if (maxSteps !== -1 && ctx.view.globalStep >= maxSteps) return true;
  return ctx.view.shouldStop && ctx.view.currentEpoch >= (minEpochs ?? 0);
}

/** Runs `fit`'s epochs; `restarting` when a checkpoint's loop state was restored. */
export async function runFitLoop(ctx: RunContext, restarting: boolean): Promise<void> {
  const fit = ctx.loops.fitLoop;
  const [train] = loadersOf(ctx, 'train');
  if (train === undefined) throw new TypeError('fit needs a training loader');
  // The accumulator lives on the trainer, so that a checkpoint saved inside a window (also from onException, after
  // this loop) holds its partial sums. A fit that does not continue a restored loop starts with none.
  if (!restarting) ctx.accumulator.clear();
  let point: RestartPoint = restarting ? restartPoint(fit) : 'fresh';
  if (point === 'epochEnd') {
    await finishEpoch(ctx, true);
    point = 'betweenEpochs';
  }
  while (!fitDone(ctx)) {
    if (point === 'midEpoch' || point === 'afterValidation') resumeMidEpoch(ctx, train);
    else startEpoch(ctx, train, point === 'epochStart');
    point = 'fresh';
    await runEpochBatches(ctx, train);
    await finishEpoch(ctx, false);
  }
}

function startEpoch(ctx: RunContext, train: TrainerLoader, again: boolean): void {
  const fit = ctx.loops.fitLoop;
  const loop = fit.epochLoop;
  if (!again) fit.epochProgress.incrementReady();
  loop.batchProgress.resetOnRun();
  loop.schedulerProgress.resetOnRun();
  loop.automaticOptimization.optimProgress.resetOnRun();
  loop.lastValidatedBatch = -1;
  const epoch = ctx.view.currentEpoch;
  if (train.epoch !== epoch || train.batchesYielded !== 0) train.setEpoch(epoch);
  ctx.setLogContext('trainEpoch');
  ctx.hooks.both('onTrainEpochStart');
  ctx.setLogContext(undefined);
  fit.epochProgress.incrementStarted();
}

/**
 * A warning about this resume. It is once per resume because {@link resumeMidEpoch} runs once per fit, at its start;
 * not once per process: a second resume in the same process (another fit, another checkpoint) is as inexact as the
 * first, and says so again.
 */
function warnAtResume(code: string, message: string): void {
  process.emitWarning(message, { code });
}

function resumeMidEpoch(ctx: RunContext, train: TrainerLoader): void {
  const loop = ctx.loops.fitLoop.epochLoop;
  const bp = loop.batchProgress;
  // A batch handed out but not completed when the state was saved (a save in onTrainBatchEnd, or inside the step)
  // counts as done: the loader's saved position is after it, and batches are never replayed.
  const inFlight = bp.current.ready - bp.current.completed;
  if (inFlight > 0) {
    settle(bp.current, bp.current.ready);
    settle(bp.total, bp.total.ready);
  }
  loop.automaticOptimization.optimProgress.resetOnRestart();
  loop.schedulerProgress.resetOnRestart();
  loop.valLoop.batchProgress.resetOnRestart();
  const done = bp.current.completed;
  // A loader that is not Stateful was named at the restore (connector/restore.ts): it has no saved position to miss.
  if (isStatefulLoader(train) && (train.epoch !== ctx.view.currentEpoch || train.batchesYielded !== done)) {
    warnAtResume(
      'KINDLING_RESUME_LOADER_POSITION',
      `Resuming epoch ${ctx.view.currentEpoch} after batch ${done}, but the training loader stands at batch ${train.batchesYielded} of epoch ${train.epoch}: ` +
        'its position was not restored (the checkpoint holds no state for it, or restore.dataloaders is false). Training continues from where the loader stands.',
    );
  }
  const n = ctx.options.accumulateGradBatches;
  const inWindow = done >= ctx.numTrainingBatches ? 0 : done % n;
  if (ctx.accumulator.batches !== inWindow) {
    warnAtResume(
      'KINDLING_RESUME_ACCUMULATION',
      `Resuming epoch ${ctx.view.currentEpoch} after batch ${done}, ${inWindow} batches into a gradient-accumulation window of ${n}, but the restored ` +
        `gradient accumulator holds the gradients of ${ctx.accumulator.batches} batches: the checkpoint has no gradientAccumulator section ` +
        '(it was written with layout 2 or weightsOnly, or restore.gradientAccumulator is false), or it was saved with another accumulateGradBatches. ' +
        'The window steps with the gradients the accumulator holds and those of its remaining batches; resume from a checkpoint saved with its partial sums for an exact resume.',
    );
  }
}

async function runEpochBatches(ctx: RunContext, train: TrainerLoader): Promise<void> {
  const loop = ctx.loops.fitLoop.epochLoop;
  const bp = loop.batchProgress;
  const n = ctx.numTrainingBatches;
  const accumulate = ctx.options.accumulateGradBatches;
  ctx.setStage('train');
  // A resume after the epoch's last batch may still owe that batch's validation.
  if (bp.current.completed > 0 && (await maybeValidate(ctx, bp.current.completed, bp.current.completed >= n))) return;
  if (bp.current.completed >= n || stopMidEpoch(ctx)) return;
  await forBatches(train, n - bp.current.completed, async (batch) => {
    const i = bp.current.completed;
    const isLast = i === n - 1;
    ctx.isLastBatch = isLast;
    bp.isLastBatch = isLast;
    bp.incrementReady();
    ctx.setLogContext('trainStep');
    ctx.hooks.callbacksHook('onTrainBatchStart', batch, i);
    const skip = ctx.hooks.moduleHook('onTrainBatchStart', batch, i);
    if (skip === -1) {
      // Lightning: a module's onTrainBatchStart returning -1 ends the epoch before this batch.
      bp.total.ready--;
      bp.current.ready--;
      return true;
    }
    bp.incrementStarted();
    const windowEnds = (i + 1) % accumulate === 0 || isLast;
    const stepsBefore = loop.batchesThatStepped;
    const output = trainOnBatch(ctx, ctx.accumulator, batch, i, windowEnds);
    bp.incrementProcessed();
    const stepped = loop.batchesThatStepped > stepsBefore;
    const logStep = loop.batchesThatStepped - (stepped ? 1 : 0);
    const sendToLoggers = windowEnds && ((logStep + 1) % ctx.options.logEveryNSteps === 0 || ctx.view.shouldStop);
    ctx.logging.apply(ctx.trainResults.takeStepMetrics(), sendToLoggers ? logStep : undefined, undefined);
    ctx.setLogContext('trainStep');
    try {
      ctx.hooks.both('onTrainBatchEnd', output, batch, i);
    } finally {
      disposeOutput(output);
    }
    ctx.setLogContext(undefined);
    bp.incrementCompleted();
    await ctx.flushSaves();
    await yieldToEventLoop();
    const done = bp.current.completed;
    if (await maybeValidate(ctx, done, done >= n)) return true;
    return stopMidEpoch(ctx);
  });
}

/** Validates after `done` batches when it is due and has not run there yet; returns whether training should stop. */
async function maybeValidate(ctx: RunContext, done: number, isLast: boolean): Promise<boolean> {
  const loop = ctx.loops.fitLoop.epochLoop;
  const vals = loadersOf(ctx, 'val');
  if (vals.length === 0 || ctx.numValBatches.every((n) => n === 0)) return stopMidEpoch(ctx);
  if ((ctx.view.currentEpoch + 1) % ctx.options.checkValEveryNEpoch !== 0) return stopMidEpoch(ctx);
  const due = done % ctx.valCheckBatch === 0 || (isLast && ctx.valCheckBatch > ctx.numTrainingBatches);
  if (!due || loop.lastValidatedBatch === done) return stopMidEpoch(ctx);
  ctx.setStage('validate');
  // Recorded before the end hooks: a checkpoint saved in onValidationEnd resumes after this validation, one saved
  // during its batches runs it again.
  await runEvaluation(ctx, 'validation', vals, ctx.numValBatches, loop.valLoop, { beforeEndHooks: () => (loop.lastValidatedBatch = done) });
  ctx.setStage('train');
  return stopMidEpoch(ctx);
}

/** The end of an epoch: its end hooks (unless they already ran before a save), epoch metrics, epoch schedulers. */
async function finishEpoch(ctx: RunContext, restarted: boolean): Promise<void> {
  const fit = ctx.loops.fitLoop;
  const loop = fit.epochLoop;
  if (!restarted) {
    fit.epochProgress.incrementProcessed();
    ctx.setLogContext('trainEpoch');
    const refresh = () => ctx.logging.apply(ctx.trainResults.epochMetrics(), undefined, undefined);
    refresh();
    ctx.hooks.trainEpochEnd(refresh);
    ctx.setLogContext(undefined);
    const step = Math.max(0, loop.batchesThatStepped - 1);
    ctx.logging.apply(ctx.trainResults.epochMetrics(), step, ctx.view.currentEpoch);
  }
  // ReduceLROnPlateau reads a metric the checkpoint does not hold: after a restart at an epoch's end it is not
  // stepped for that epoch (as in Lightning).
  stepSchedulers(ctx, 'epoch', { plateau: !restarted });
  ctx.trainResults.reset();
  fit.epochProgress.incrementCompleted();
  await ctx.flushSaves();
}
