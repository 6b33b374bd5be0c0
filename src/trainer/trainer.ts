/**
 * The Trainer (Lightning's `Trainer`): runs `fit`, `validate`, `test` and `predict` on a module with its data, calls
 * the callbacks' and the module's hooks in Lightning's order, routes `module.log` to the callbacks, progress bar and
 * loggers, and saves and restores checkpoints of every component (src/trainer/connector).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import type { Callback } from '../components/callbacks/callback.js';
import { type CheckpointSaveOptions, ModelCheckpoint } from '../components/callbacks/model-checkpoint/model-checkpoint.js';
import { ProgressBar } from '../components/callbacks/progress/progress-bar.js';
import type {
  Metrics,
  RunningStage,
  SaveCheckpointOptions,
  TrainerFn,
  TrainerLrScheduler,
  TrainerOptimizer,
  TrainerState,
  TrainerStatus,
  TrainerView,
} from '../components/callbacks/trainer-view.js';
import type { DataModule, LoaderKind } from '../components/data/data-module.js';
import { isTrainerLoader, type TrainerLoader } from './loader.js';
import { Precision } from '../components/precision/precision.js';
import { seedEverything } from '../components/rng/default.js';
import { LocalCheckpointIO } from '../checkpoint/local-io.js';
import type { CheckpointIO, StateTree } from '../checkpoint/types.js';
import { CheckpointError } from '../checkpoint/errors.js';
import { snapshotTree } from '../checkpoint/snapshot.js';
import type { Checkpoint } from './connector/checkpoint.js';
import { dumpCheckpoint } from './connector/dump.js';
import { migrateLayout } from './connector/layout.js';
import { restoreCheckpoint } from './connector/restore.js';
import type { CheckpointParts, RestoreSections } from './connector/sections.js';
import { TrainerCheckpointError, TrainerConfigError } from './errors.js';
import { HookDispatcher, orderCallbacks } from './hooks.js';
import { LoggerConnector } from './logging/logger-connector.js';
import type { Logger } from './loggers/logger.js';
import { type LogContext, ResultCollection } from './logging/results.js';
import { Loops } from './loops/loop-state.js';
import { type NormalizedOptimizerConfig, normalizeOptimizers, type TrainableModule } from './module-api.js';
import { applyLimit, type ResolvedOptions, resolveOptions, type TrainerOptions } from './options.js';
import { runEvaluation, runPredict } from './run/evaluation.js';
import { runFitLoop } from './run/fit.js';
import { GradientAccumulator } from './run/gradient-accumulator.js';
import { loadersOf, type RunContext } from './run/run-context.js';

/**
 * Data for `fit`: a datamodule, or loaders (kindling DataLoaders, or loaders of your own: see {@link TrainerLoader};
 * one that is not Stateful cannot be restored exactly, and a resume says so).
 */
export type FitData = { readonly datamodule: DataModule } | { readonly trainDataloaders: TrainerLoader; readonly valDataloaders?: TrainerLoader | Readonly<Record<string, TrainerLoader>> };
/** Data for `validate`, `test` and `predict`: a datamodule, or loaders. */
export type EvalData = { readonly datamodule: DataModule } | { readonly dataloaders: TrainerLoader | Readonly<Record<string, TrainerLoader>> };

export interface RunOptions {
  /**
   * Restore from this checkpoint first: a path; `'best'` (the ModelCheckpoint's best file); or `'last'`, the newest
   * complete checkpoint in the ModelCheckpoint's dirpath (else `<defaultRootDir>/checkpoints`), found on disk so that
   * it works in a new process after a crash (docs/resume-training.md).
   */
  readonly ckptPath?: string;
  /** Sections of the checkpoint to leave out of the restore (each `true` by default). */
  readonly restore?: RestoreSections;
}

/** What the trainer finds on a checkpoint callback (ModelCheckpoint) to resolve `ckptPath: 'best' | 'last'`. */
interface CheckpointLocator {
  readonly bestModelPath: string;
  readonly lastModelPath: string;
  /** Where it saves (ModelCheckpoint resolves it from the trainer's logDir when it was not given). */
  resolveDirpath?(trainer: { readonly logDir: string }): string;
}

function isLocator(callback: Callback): callback is Callback & CheckpointLocator {
  const c = callback as Partial<CheckpointLocator>;
  return callback.hookOrder === 'checkpoint' && typeof c.bestModelPath === 'string' && typeof c.lastModelPath === 'string';
}

function namedLoaders(kind: LoaderKind, value: TrainerLoader | Readonly<Record<string, TrainerLoader>> | undefined): Record<string, TrainerLoader> {
  if (value === undefined) return {};
  if (isTrainerLoader(value)) return { [kind]: value };
  const out: Record<string, TrainerLoader> = {};
  for (const [name, loader] of Object.entries(value as Readonly<Record<string, unknown>>)) {
    if (!isTrainerLoader(loader)) {
      throw new TrainerConfigError(`The ${kind} loader '${name}' is not a loader: pass a kindling DataLoader, or an async iterable with length, epoch, batchesYielded and setEpoch (TrainerLoader)`);
    }
    out[`${kind}.${name}`] = loader;
  }
  return out;
}

/** A run in progress (one entry point). */
interface ActiveRun {
  readonly ctx: RunContext;
  readonly directLoaders: Readonly<Record<string, TrainerLoader>>;
}

export class Trainer implements TrainerView {
  readonly callbacks: readonly Callback[];
  readonly precision: Precision;
  readonly loops = new Loops();
  private readonly accumulator = new GradientAccumulator();
  readonly loggers: readonly Logger[];
  shouldStop = false;
  /** @internal */
  readonly resolved: ResolvedOptions;
  private readonly io: CheckpointIO;
  private readonly logging: LoggerConnector;
  private readonly trainResults = new ResultCollection();
  private readonly evalResults = new ResultCollection();
  private fn: TrainerFn | undefined;
  private stage: RunningStage | undefined;
  private status: TrainerStatus = 'initializing';
  private logContext: LogContext | undefined;
  /** The components of the last (or current) entry point: what `dumpCheckpoint` saves. */
  private current: ActiveRun | undefined;
  private pendingSaves: Promise<unknown>[] = [];
  private resumedFrom: string | undefined;

  constructor(options: TrainerOptions = {}) {
    this.resolved = resolveOptions(options);
    this.callbacks = orderCallbacks(withDefaultCallbacks(options));
    checkStateKeys(this.callbacks);
    this.precision = options.precision ?? new Precision();
    this.io = options.checkpointIO ?? new LocalCheckpointIO();
    const logger = options.logger;
    this.loggers = logger === undefined || logger === false ? [] : Array.isArray(logger) ? [...(logger as readonly Logger[])] : [logger as Logger];
    this.logging = new LoggerConnector(this.loggers);
    if (options.seed !== undefined) seedEverything(options.seed);
  }

  // ---- TrainerView ----

  get currentEpoch(): number {
    return this.loops.fitLoop.epochProgress.current.completed;
  }

  get globalStep(): number {
    return this.loops.fitLoop.epochLoop.automaticOptimization.optimProgress.optimizerSteps;
  }

  get maxEpochs(): number | undefined {
    return this.resolved.maxEpochs;
  }

  get maxSteps(): number {
    return this.resolved.maxSteps;
  }

  get minEpochs(): number | undefined {
    return this.resolved.minEpochs;
  }

  get callbackMetrics(): Metrics {
    return this.logging.callbackMetrics;
  }

  get loggedMetrics(): Metrics {
    return this.logging.loggedMetrics;
  }

  get progressBarMetrics(): Metrics {
    return this.logging.progressBarMetrics;
  }

  get state(): TrainerState {
    return { fn: this.fn, stage: this.stage, status: this.status };
  }

  get sanityChecking(): boolean {
    return this.stage === 'sanityCheck';
  }

  get defaultRootDir(): string {
    return this.resolved.defaultRootDir;
  }

  get logDir(): string {
    return this.loggers.find((l) => l.logDir !== undefined)?.logDir ?? this.resolved.defaultRootDir;
  }

  get optimizers(): Readonly<Record<string, TrainerOptimizer>> {
    const configs = this.current?.ctx.optimizers ?? {};
    return Object.fromEntries(Object.entries(configs).map(([name, c]) => [name, c.optimizer]));
  }

  get lrSchedulers(): Readonly<Record<string, TrainerLrScheduler>> {
    return Object.fromEntries((this.current?.ctx.schedulers ?? []).map((s) => [s.name, s]));
  }

  get accumulateGradBatches(): number {
    return this.resolved.accumulateGradBatches;
  }

  get logEveryNSteps(): number {
    return this.resolved.logEveryNSteps;
  }

  get numTrainingBatches(): number {
    return this.current?.ctx.numTrainingBatches ?? 0;
  }

  get numValBatches(): readonly number[] {
    return this.current?.ctx.numValBatches ?? [];
  }

  get valCheckBatch(): number {
    return this.current?.ctx.valCheckBatch ?? 0;
  }

  get checkValEveryNEpoch(): number | undefined {
    return this.resolved.checkValEveryNEpoch;
  }

  get isLastBatch(): boolean {
    return this.current?.ctx.isLastBatch ?? false;
  }

  get ckptPath(): string | undefined {
    return this.resumedFrom;
  }

  logMetrics(metrics: Metrics, step: number): void {
    this.logging.send(metrics, step);
  }

  /**
   * The checkpoint as it would be saved now, typed by its sections; `stateOf(checkpoint, component)` gives one
   * component's state with its State type. Tensors are shared with the live components (`saveCheckpoint` snapshots).
   */
  dumpCheckpoint(options: SaveCheckpointOptions = {}): Checkpoint {
    return dumpCheckpoint(this.parts('dumpCheckpoint'), options);
  }

  /**
   * Takes the checkpoint now (a snapshot: training may go on while it is written) and writes it atomically to `path`.
   * Hooks are synchronous, so a callback may call this without awaiting: the trainer waits for every pending write at
   * the end of the batch, validation or epoch, and a failed write fails the run there. There is no option to only
   * warn: a save asked for by hand that fails is an error (ModelCheckpoint's `onSaveError: 'warn'` is the one caller
   * that takes the failure on itself, with `failRunOnError: false`; the returned promise rejects either way).
   */
  saveCheckpoint(path: string, options: SaveCheckpointOptions & Pick<CheckpointSaveOptions, 'failRunOnError' | 'after'> = {}): Promise<void> {
    let write: Promise<void>;
    try {
      this.logging.save();
      const tree = snapshotTree(this.dumpCheckpoint(options), path);
      // Like Lightning's CheckpointIO, a save creates the file's directory.
      if (this.io instanceof LocalCheckpointIO) mkdirSync(dirname(path), { recursive: true });
      const after = options.after;
      write = after === undefined ? this.io.save(path, tree) : after.then(() => this.io.save(path, tree));
    } catch (error) {
      write = Promise.reject(error);
    }
    // The trainer still waits for the write at its next flush; whether a failure fails the run is the caller's choice.
    this.track(options.failRunOnError === false ? write.catch(() => {}) : write);
    return write;
  }

  /** Keeps `pending` (a checkpoint write, an async hook) until the next flush; its failure is reported there. */
  private track(pending: Promise<unknown>): void {
    this.pendingSaves.push(pending);
    // Failures are reported by flushSaves (and to whoever awaits the promise), never as an unhandled rejection.
    pending.catch(() => {});
  }

  /** @internal Waits for the checkpoint writes started so far; throws the first failure. */
  async flushSaves(): Promise<void> {
    while (this.pendingSaves.length > 0) {
      const pending = this.pendingSaves;
      this.pendingSaves = [];
      await Promise.all(pending);
    }
  }

  // ---- entry points ----

  async fit(module: TrainableModule, data: FitData, options: RunOptions = {}): Promise<void> {
    const direct = 'datamodule' in data ? {} : { ...namedLoaders('train', data.trainDataloaders), ...namedLoaders('val', data.valDataloaders) };
    await this.run('fit', module, data, direct, options, async (ctx, restored) => {
      this.shouldStop = false;
      ctx.hooks.both('onFitStart');
      if (Object.keys(module.hparams).length > 0) ctx.logging.logHyperparams(module.hparams);
      if (!restored) await this.sanityCheck(ctx);
      module.train();
      ctx.setStage('train');
      ctx.hooks.both('onTrainStart');
      await runFitLoop(ctx, restored);
      ctx.setStage('train');
      ctx.hooks.both('onTrainEnd');
      ctx.hooks.both('onFitEnd');
    });
  }

  /** Runs validation; returns the metrics of each validation loader. */
  async validate(module: TrainableModule, data: EvalData, options: RunOptions = {}): Promise<Record<string, number>[]> {
    return this.evaluate('validate', module, data, options);
  }

  /** Runs the test loop; returns the metrics of each test loader. */
  async test(module: TrainableModule, data: EvalData, options: RunOptions = {}): Promise<Record<string, number>[]> {
    return this.evaluate('test', module, data, options);
  }

  /** Runs `predictStep` over the predict loaders; returns the predictions per loader (tensors belong to the caller). */
  async predict(module: TrainableModule, data: EvalData, options: RunOptions = {}): Promise<unknown[][]> {
    let out: unknown[][] = [];
    const direct = 'datamodule' in data ? {} : namedLoaders('predict', data.dataloaders);
    await this.run('predict', module, data, direct, options, async (ctx) => {
      const loaders = loadersOf(ctx, 'predict');
      ctx.setStage('predict');
      out = await runPredict(ctx, loaders, loaders.map((l) => applyLimit(this.resolved.limitPredictBatches, l.length)), this.loops.predictLoop);
    });
    return out;
  }

  private async evaluate(fn: 'validate' | 'test', module: TrainableModule, data: EvalData, options: RunOptions): Promise<Record<string, number>[]> {
    let out: Record<string, number>[] = [];
    const kind = fn === 'validate' ? 'val' : 'test';
    const direct = 'datamodule' in data ? {} : namedLoaders(kind, data.dataloaders);
    await this.run(fn, module, data, direct, options, async (ctx) => {
      const loaders = loadersOf(ctx, kind);
      const limit = fn === 'validate' ? this.resolved.limitValBatches : this.resolved.limitTestBatches;
      ctx.setStage(fn === 'validate' ? 'validate' : 'test');
      out = await runEvaluation(ctx, fn === 'validate' ? 'validation' : 'test', loaders, loaders.map((l) => applyLimit(limit, l.length)), fn === 'validate' ? this.loops.validateLoop : this.loops.testLoop);
    });
    return out;
  }

  private async sanityCheck(ctx: RunContext): Promise<void> {
    const steps = this.resolved.numSanityValSteps;
    const vals = loadersOf(ctx, 'val');
    if (steps === 0 || vals.length === 0 || ctx.numValBatches.every((n) => n === 0)) return;
    ctx.setStage('sanityCheck');
    ctx.hooks.callbacksHook('onSanityCheckStart');
    const limits = ctx.numValBatches.map((n) => (steps === -1 ? n : Math.min(n, steps)));
    await runEvaluation(ctx, 'validation', vals, limits, this.loops.fitLoop.epochLoop.valLoop, { sanity: true });
    // The sanity run's progress is not training progress: the validation loop starts from zero.
    const bp = this.loops.fitLoop.epochLoop.valLoop.batchProgress;
    bp.total.reset();
    bp.current.reset();
    ctx.hooks.callbacksHook('onSanityCheckEnd');
    ctx.setStage(undefined);
  }

  /** The common frame of every entry point: setup, restore, `body`, teardown, with failure handling. */
  private async run(
    fn: TrainerFn,
    module: TrainableModule,
    data: FitData | EvalData,
    directLoaders: Record<string, TrainerLoader>,
    options: RunOptions,
    body: (ctx: RunContext, restored: boolean) => Promise<void>,
  ): Promise<void> {
    if (this.status === 'running') throw new TrainerConfigError(`Trainer.${fn}: the trainer is already running ${this.fn}; wait for it to finish`);
    const datamodule = 'datamodule' in data ? data.datamodule : undefined;
    // Resolve and read the checkpoint before anything runs, so that a bad path changes nothing.
    const ckpt = options.ckptPath === undefined ? undefined : options.ckptPath === 'last' ? await this.findLast(fn) : await this.readCheckpoint(this.resolveCkptPath(options.ckptPath));
    this.resumedFrom = ckpt?.file;
    this.fn = fn;
    this.status = 'running';
    this.logging.reset();
    this.trainResults.reset();
    this.evalResults.reset();
    const loaders: Record<string, TrainerLoader> = { ...directLoaders };
    const ctx = this.makeContext(fn, module, datamodule, loaders);
    this.current = { ctx, directLoaders };
    const trainer = this;
    module.attachTrainer({
      log: (name, value, logOptions) => this.log(name, value, logOptions),
      get currentEpoch() {
        return trainer.currentEpoch;
      },
      get globalStep() {
        return trainer.globalStep;
      },
    });
    const stage = fn;
    let setupDone = false;
    try {
      if (datamodule !== undefined) {
        await datamodule.prepareData();
        await datamodule.setup(stage);
      }
      ctx.hooks.callbacksHook('setup', stage);
      await module.setup(stage);
      setupDone = true;
      if (datamodule !== undefined) Object.assign(loaders, this.datamoduleLoaders(fn, datamodule));
      this.checkLoaders(fn, loaders);
      if (fn === 'fit') this.configureOptimizers(ctx);
      this.measureLoaders(ctx);
      let restored = false;
      if (ckpt !== undefined) {
        restoreCheckpoint(this.partsOf(ctx, directLoaders), ckpt.tree, {
          fn,
          file: ckpt.file,
          sections: options.restore ?? {},
          strict: this.resolved.strict,
          maxEpochs: this.resolved.maxEpochs,
        });
        restored = fn === 'fit' && options.restore?.loops !== false;
      }
      await body(ctx, restored);
      await this.flushSaves();
      this.status = 'finished';
    } catch (error) {
      this.status = 'interrupted';
      ctx.hooks.callbacksHook('onException', error);
      throw error;
    } finally {
      // A write still pending after a failure must not outlive the run unobserved.
      await this.flushSaves().catch(() => {});
      this.stage = undefined;
      this.logContext = undefined;
      try {
        if (setupDone) {
          if (datamodule !== undefined) await datamodule.teardown(stage);
          ctx.hooks.callbacksHook('teardown', stage);
          await module.teardown(stage);
        }
        await this.logging.finalize(this.status === 'finished' ? 'success' : 'failed');
      } finally {
        module.attachTrainer(undefined);
      }
    }
  }

  private makeContext(fn: TrainerFn, module: TrainableModule, datamodule: DataModule | undefined, loaders: Record<string, TrainerLoader>): RunContext {
    const trainer = this;
    const optimizers: Record<string, NormalizedOptimizerConfig> = {};
    const schedulers: TrainerLrScheduler[] = [];
    const ctx: RunContext = {
      view: this,
      options: this.resolved,
      module,
      callbacks: this.callbacks,
      hooks: new HookDispatcher(this, module, this.callbacks, (pending) => this.track(pending)),
      loops: this.loops,
      accumulator: this.accumulator,
      precision: this.precision,
      logging: this.logging,
      trainResults: this.trainResults,
      evalResults: this.evalResults,
      datamodule,
      optimizers,
      schedulers,
      loaders,
      setStage(stage) {
        trainer.stage = stage;
      },
      setLogContext(context) {
        trainer.logContext = context;
      },
      flushSaves: () => trainer.flushSaves(),
      numTrainingBatches: 0,
      numValBatches: [],
      valCheckBatch: 0,
      isLastBatch: false,
    };
    void fn;
    return ctx;
  }

  private configureOptimizers(ctx: RunContext): void {
    const configs = normalizeOptimizers(ctx.module.configureOptimizers());
    const optimizers = ctx.optimizers as Record<string, NormalizedOptimizerConfig>;
    const schedulers = ctx.schedulers as TrainerLrScheduler[];
    for (const [name, config] of Object.entries(configs)) {
      optimizers[name] = config;
      const s = config.lrScheduler;
      if (s === undefined) continue;
      const schedulerName = s.name ?? name;
      if (schedulers.some((other) => other.name === schedulerName)) {
        throw new TrainerConfigError(`configureOptimizers(): two schedulers are named '${schedulerName}'; give each a unique name (lrScheduler: { scheduler, name })`);
      }
      schedulers.push({ scheduler: s.scheduler, interval: s.interval, frequency: s.frequency, monitor: s.monitor, name: schedulerName, optimizerName: name });
    }
  }

  private datamoduleLoaders(fn: TrainerFn, dm: DataModule): Record<string, TrainerLoader> {
    const kinds: LoaderKind[] = fn === 'fit' ? ['train', 'val'] : fn === 'validate' ? ['val'] : [fn];
    const out: Record<string, TrainerLoader> = {};
    for (const kind of kinds) {
      const has = kind === 'val' && fn === 'fit' ? dm.valDataloader() !== undefined : true;
      if (has) Object.assign(out, dm.createDataloaders(kind));
    }
    return out;
  }

  private checkLoaders(fn: TrainerFn, loaders: Record<string, TrainerLoader>): void {
    const kind = fn === 'fit' ? 'train' : fn === 'validate' ? 'val' : fn;
    if (!Object.keys(loaders).some((n) => n === kind || n.startsWith(`${kind}.`))) {
      throw new TrainerConfigError(`Trainer.${fn}: no ${kind} loader; pass ${fn === 'fit' ? 'trainDataloaders' : 'dataloaders'} or a datamodule that implements ${kind}Dataloader()`);
    }
  }

  private measureLoaders(ctx: RunContext): void {
    const o = this.resolved;
    const [train] = loadersOf(ctx, 'train');
    ctx.numTrainingBatches = train === undefined ? 0 : applyLimit(o.limitTrainBatches, train.length);
    ctx.numValBatches = loadersOf(ctx, 'val').map((l) => applyLimit(o.limitValBatches, l.length));
    const interval = o.valCheckInterval;
    const n = ctx.numTrainingBatches;
    if (typeof interval === 'object' || interval > 1) {
      const batches = typeof interval === 'object' ? interval.batches : interval;
      if (train !== undefined && batches > n) {
        throw new TrainerConfigError(`Trainer: valCheckInterval ${batches} batches is more than the ${n} training batches of an epoch; use a smaller interval or checkValEveryNEpoch`);
      }
      ctx.valCheckBatch = batches;
    } else {
      ctx.valCheckBatch = Math.max(1, Math.floor(n * interval));
    }
  }

  private log(name: string, value: number | tf.Tensor, options: Parameters<ResultCollection['log']>[2]): void {
    const context = this.logContext ?? (this.stage === 'train' || this.stage === undefined ? 'trainEpoch' : 'evalEpoch');
    const results = context === 'trainStep' || context === 'trainEpoch' ? this.trainResults : this.evalResults;
    results.log(name, value, options, context);
  }

  // ---- checkpoints ----

  private parts(what: string): CheckpointParts {
    if (this.current === undefined) {
      throw new TrainerConfigError(`Trainer.${what}: nothing to save yet; call it during or after fit/validate/test (the trainer saves the module it ran)`);
    }
    return this.partsOf(this.current.ctx, this.current.directLoaders);
  }

  private partsOf(ctx: RunContext, directLoaders: Readonly<Record<string, TrainerLoader>>): CheckpointParts {
    return {
      view: this,
      module: ctx.module,
      callbacks: this.callbacks,
      loops: this.loops,
      precision: this.precision,
      accumulator: this.accumulator,
      optimizers: ctx.optimizers,
      schedulers: ctx.schedulers,
      datamodule: ctx.datamodule,
      loaders: directLoaders,
    };
  }

  private resolveCkptPath(ckptPath: string): string {
    if (ckptPath !== 'best' && ckptPath !== 'last') return ckptPath;
    const locator = this.callbacks.find(isLocator);
    if (locator === undefined) {
      throw new TrainerConfigError(`ckptPath: '${ckptPath}' needs a ModelCheckpoint callback on the trainer (none is configured); pass a path instead`);
    }
    const path = ckptPath === 'best' ? locator.bestModelPath : locator.lastModelPath;
    if (path === '') {
      // 'best' is bookkeeping of this process: a new process's ModelCheckpoint learns it from a checkpoint it restored.
      const why = ckptPath === 'last' ? ' (is saveLast on?)' : ' in this process (a new process knows the best file once it has restored a checkpoint, e.g. a fit with ckptPath: \'last\'; the saved ModelCheckpoint state names it as bestModelPath: `kindling inspect --tree <dirpath>/last.ckpt`)';
      throw new TrainerConfigError(`ckptPath: '${ckptPath}': the ModelCheckpoint has not saved a ${ckptPath} checkpoint yet${why}; pass a path instead`);
    }
    return path;
  }

  /**
   * `ckptPath: 'last'`: the newest complete checkpoint on disk (CheckpointIO.findCheckpoints), loaded and verified;
   * when it does not load (corrupt, truncated), the next newest, with a warning naming each file skipped. A fit with
   * nothing to resume from starts from the beginning, with a warning, as in Lightning, so one command serves the
   * first start and every restart; validate, test and predict refuse.
   */
  private async findLast(fn: TrainerFn): Promise<{ file: string; tree: Record<string, unknown> } | undefined> {
    const locator = this.callbacks.find(isLocator);
    if (this.io.findCheckpoints === undefined) return this.readCheckpoint(this.resolveCkptPath('last'));
    const dir = locator?.resolveDirpath?.(this) ?? resolvePath(this.resolved.defaultRootDir, 'checkpoints');
    const scan = await this.io.findCheckpoints(dir);
    const skipped = [...scan.skipped];
    // Damage is skipped; a file kindling cannot read yet, or may not read, is not: resuming from an older file
    // instead would silently throw work away.
    const refused = skipped.find((s) => s.code === 'newer-format' || s.code === 'io');
    if (refused !== undefined) throw new TrainerCheckpointError(refused.path, `ckptPath: 'last' cannot decide which checkpoint is the newest: ${refused.reason}`);
    let chosen: { file: string; tree: Record<string, unknown> } | undefined;
    for (const candidate of scan.found) {
      try {
        chosen = await this.readCheckpoint(candidate.path);
        break;
      } catch (error) {
        if (!(error instanceof TrainerCheckpointError) || !(error.cause instanceof CheckpointError)) throw error;
        if (error.cause.reason === 'newer-format' || error.cause.reason === 'io') throw error;
        skipped.push({ path: candidate.path, reason: error.cause.message });
      }
    }
    if (skipped.length > 0) {
      const list = skipped.map((s) => `${s.path} (${s.reason})`).join('; ');
      process.emitWarning(`ckptPath: 'last' skipped ${skipped.length === 1 ? 'a file that is not a complete checkpoint' : `${skipped.length} files that are not complete checkpoints`}: ${list}`, {
        code: 'KINDLING_LAST_CHECKPOINT_SKIPPED',
      });
    }
    if (chosen !== undefined) return chosen;
    if (fn === 'fit') {
      // A logger's version directory is new for every run, so 'last' under it never finds the previous run's files.
      const logDir = this.loggers.find((l) => l.logDir !== undefined && dir.startsWith(resolvePath(l.logDir)))?.logDir;
      const why = logDir === undefined ? '' : ` (it is under the logger's ${logDir}, a new version directory for every run: give ModelCheckpoint a dirpath, or the logger a fixed version, to resume with 'last')`;
      process.emitWarning(`ckptPath: 'last': there is no complete checkpoint in ${dir}, so the fit starts from the beginning${why}`, { code: 'KINDLING_NO_LAST_CHECKPOINT' });
      return undefined;
    }
    throw new TrainerConfigError(`ckptPath: 'last': there is no complete checkpoint in ${dir} to ${fn} with; pass a path instead`);
  }

  private async readCheckpoint(file: string): Promise<{ file: string; tree: Record<string, unknown> }> {
    if (!(await this.io.exists(file))) throw new TrainerCheckpointError(file, `ckptPath ${file} does not exist; check the path (or use ckptPath: 'last' / 'best' with a ModelCheckpoint)`);
    let tree: StateTree;
    try {
      tree = await this.io.load(file);
    } catch (error) {
      if (error instanceof CheckpointError) throw new TrainerCheckpointError(file, `${file} cannot be restored: ${error.message}`, { cause: error });
      throw error;
    }
    const mutable = { ...(tree as Record<string, unknown>) };
    migrateLayout(mutable, file);
    return { file, tree: mutable };
  }
}

/**
 * Lightning's defaults: a ModelCheckpoint (saving under `<logDir>/checkpoints` after every epoch) unless
 * `enableCheckpointing: false` or one is given, and a ProgressBar unless `enableProgressBar: false` or one is given.
 */
function withDefaultCallbacks(options: TrainerOptions): Callback[] {
  const callbacks = [...(options.callbacks ?? [])];
  if (options.enableCheckpointing !== false && !callbacks.some((c) => c.hookOrder === 'checkpoint')) callbacks.push(new ModelCheckpoint());
  if (options.enableProgressBar !== false && !callbacks.some((c) => c instanceof ProgressBar)) callbacks.push(new ProgressBar());
  return callbacks;
}

/** Lightning's `_validate_callbacks_list`: two callbacks with state under one key would overwrite each other. */
function checkStateKeys(callbacks: readonly Callback[]): void {
  const seen = new Map<string, Callback>();
  for (const callback of callbacks) {
    if (Object.keys(callback.stateDict()).length === 0) continue;
    const key = callback.stateKey;
    if (seen.has(key)) {
      throw new TrainerConfigError(
        `Trainer: two callbacks have the state key ${key}, so their states would overwrite each other in checkpoints. ` +
          `Give them different identity arguments (e.g. another monitor or mode), or override stateIdentity() in a subclass to add the argument that tells them apart.`,
      );
    }
    seen.set(key, callback);
  }
}
