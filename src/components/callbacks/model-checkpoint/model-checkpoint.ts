/**
 * Lightning's ModelCheckpoint: save checkpoints periodically, keep the `saveTopK` best by a monitored metric, and
 * optionally a `last.ckpt`.
 *
 * - **Order.** The trainer runs ModelCheckpoint after every other callback (Lightning's `_reorder_callbacks`), so a
 *   checkpoint holds the other callbacks' state after they have updated. This callback updates its own bookkeeping
 *   (`bestKModels`, `lastModelPath`) *before* it saves, so the file records itself.
 * - **Hooks are synchronous.** A save takes its snapshot inside the hook (`trainer.saveCheckpoint`); the write goes
 *   on in the background and the trainer waits for it at the end of the batch, validation or epoch, where a failed
 *   write fails the run.
 * - **Never deletes first.** The file that leaves the top k (or the previous `last`) is removed only once the new one
 *   is written (chained on the write); a failed write keeps the old file, a failed removal is a warning. Files outside
 *   `dirpath` and the checkpoint the run resumed from are never removed. {@link flush} waits for the removals.
 * - **Crash leftovers.** At setup it removes the temporary files that killed saves of earlier processes left in
 *   `dirpath` (its file names change at every save, so no later save of the same name would).
 * - **A failed save** (a full disk, a failing device: a `CheckpointSaveError`) leaves the previous files as they were
 *   and undoes this callback's bookkeeping of the failed file, so `bestKModels`, `bestModelPath` and `lastModelPath`
 *   name committed files once the write has settled (async mode: see below). Then `onSaveError` decides: `'raise'`
 *   (default) fails the run (sync mode: at the end of the batch or epoch; async mode: at the next save, or at the end
 *   of fit), `'warn'` emits one warning per failed file (`KINDLING_CHECKPOINT_SAVE_FAILED`) and training goes on. It is an option of this callback, not of the
 *   Trainer: `trainer.saveCheckpoint` called by hand always rejects, and fails the run.
 * - **`saveLast` is a real copy**: `last.ckpt` is a second atomic save of the same state, not a link. Links dangle
 *   when the top-k file they point to is removed, and not every filesystem has them; the cost is the disk space of
 *   one more file. It is written after the top-k file of the same save, and not when that write fails (its state
 *   names that file).
 * - **Async** (`asyncSave`): the snapshot is written by an {@link AsyncCheckpointSaver}, which the trainer does not
 *   wait for: training goes on across batches while the file is written. A background failure is thrown by the next
 *   save, or at the end of `fit`: `onFitEnd` returns {@link flush}, which the trainer awaits (in both modes, so that
 *   the removals of replaced files are done too when `fit` returns). The writes go one at a time, in order, each
 *   after the removals of the one before. A save is decided (ranked, named) against the live fields, which count
 *   the files still being written; the state a file records is computed when its write starts, from the files
 *   committed by then plus itself, so it never names a file whose write failed or has not finished. A failure undoes
 *   nothing: the live fields are ranked again from the committed files and the saves still in flight, and a save
 *   queued behind the failed one ranks against the committed files when its write starts (it replaces what the
 *   failed one was to replace). So each write starts, and `fit` returns, with the directory holding exactly the top k
 *   (and `last`) that the last committed file and, after {@link flush}, the live fields name.
 * - **Resume.** The state is Lightning's. When the checkpoint was written with another `dirpath`, only `bestModelPath`
 *   is taken (with a warning), as in Lightning: the other paths name files this run does not manage.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AsyncCheckpointSaver } from '../../../checkpoint/async-saver.js';
import { CheckpointSaveError } from '../../../checkpoint/save-error.js';
import { LocalCheckpointIO } from '../../../checkpoint/local-io.js';
import { snapshotTree } from '../../../checkpoint/snapshot.js';
import { sweepStaleTempFiles } from '../../../checkpoint/sweep.js';
import type { CheckpointIO, StateTree } from '../../../checkpoint/types.js';
import { persist, stateful } from '../../../state/index.js';
import { Callback, type CallbackHookOrder, type StateIdentity } from '../callback.js';
import type { TrainerModule, TrainerView } from '../trainer-view.js';
import { CallbackConfigError, MonitorNotFoundError } from '../errors.js';
import { checkMode, isBetter, type MetricsSource, type MonitorMode, type ValidationSchedule, validatesOncePerEpoch, worstScore } from '../monitor.js';
import { reconcileLoad } from '../reconcile-load.js';
import { type FilenameTemplate, formatName, isInside, LAST_NAME, parseTemplate, resolveInside } from './filename-template.js';
import { ModelCheckpointState } from './model-checkpoint.state.generated.js';
import { type Bookkeeping, capacity, leaversOf, names, pick, recordIn, replacedBy, type SavedFile, withSaved } from './top-k.js';

export interface ModelCheckpointOptions {
  /** Where checkpoints go. Default: `<trainer.logDir>/checkpoints` (the first logger's directory, else `defaultRootDir`). */
  readonly dirpath?: string;
  /** A template such as `'{epoch}-{step}-{val_loss:.3f}'` (default `'{epoch}-{step}'`), relative to `dirpath`. */
  readonly filename?: string;
  /** The logged metric that ranks checkpoints; without it, the latest `saveTopK` (0, 1 or -1) are kept. */
  readonly monitor?: string;
  readonly mode?: MonitorMode;
  /** How many best checkpoints to keep: -1 all, 0 none (only `last`), default 1. */
  readonly saveTopK?: number;
  /** Also write `last.ckpt` at every save (default false). */
  readonly saveLast?: boolean;
  /** Save only what `weightsOnly` keeps (no callbacks, optimizers, schedulers, precision); such files do not resume `fit`. */
  readonly saveWeightsOnly?: boolean;
  /** Save every N optimizer steps (0: off). Exclusive with `everyNEpochs` and `trainTimeInterval`. */
  readonly everyNTrainSteps?: number;
  /** Save every N epochs (default 1 when no other trigger is given; 0: off). */
  readonly everyNEpochs?: number;
  /** Save when this many milliseconds have passed since the last time-based save (checked after each batch). */
  readonly trainTimeInterval?: number;
  /** Save at the end of the training epoch rather than after validation (default: Lightning's rule, see below). */
  readonly saveOnTrainEpochEnd?: boolean;
  /** Insert `name=` before each template value (default true). */
  readonly autoInsertMetricName?: boolean;
  /** Add `-v1`, `-v2`, … when a file of that name exists (default true); otherwise overwrite it. */
  readonly enableVersionCounter?: boolean;
  /** Write in the background: `true` for a saver of its own, or a shared {@link AsyncCheckpointSaver}. */
  readonly asyncSave?: boolean | AsyncCheckpointSaver;
  /** Where files are removed, and written in async mode (default: the local filesystem). */
  readonly io?: CheckpointIO;
  /** Whether a file exists, for the version counter; synchronous because hooks are (default `fs.existsSync`). */
  readonly exists?: (path: string) => boolean;
  /** Create `dirpath` and a template's subdirectories before writing (default: true unless `io` is given). */
  readonly createDirs?: boolean;
  /** Print each decision (default false). */
  readonly verbose?: boolean;
  /**
   * What a failed save does (a full disk, a permission or I/O error): `'raise'` (default) stops training with the
   * `CheckpointSaveError`; `'warn'` emits a warning naming the file and the error, and training goes on. Either way
   * the previous checkpoints stay and this callback's state names only files that were written.
   */
  readonly onSaveError?: 'raise' | 'warn';
  /** The clock for `trainTimeInterval`, in milliseconds (default `performance.now`). */
  readonly now?: () => number;
}

/** What ModelCheckpoint reads and calls on the trainer. */
export interface CheckpointingTrainer extends MetricsSource {
  readonly currentEpoch: number;
  readonly globalStep: number;
  /** The checkpoint this run resumed from, if any: never removed. */
  readonly ckptPath?: string | undefined;
  /** The first logger's version directory, else `defaultRootDir`. */
  readonly logDir: string;
  saveCheckpoint(path: string, options?: CheckpointSaveOptions): Promise<void>;
  dumpCheckpoint(options?: { readonly weightsOnly?: boolean }): StateTree;
}

/** How ModelCheckpoint asks the trainer to save. */
export interface CheckpointSaveOptions {
  readonly weightsOnly?: boolean;
  /**
   * Whether a failed write fails the run at the trainer's next flush (default true). With `onSaveError: 'warn'`
   * ModelCheckpoint passes false: the returned promise still rejects, and the callback handles it.
   */
  readonly failRunOnError?: boolean;
  /**
   * Take the snapshot now, but start writing once this settles; when it rejects, write nothing and reject with its
   * reason (ModelCheckpoint writes `last` only after the top-k file of the same save is written).
   */
  readonly after?: Promise<void> | undefined;
}

/** When a save is attempted: after a training batch, at a training epoch end, or after validation. */
export type CheckpointTrigger = 'trainBatchEnd' | 'trainEpochEnd' | 'validationEnd';

@reconcileLoad(reconcileCheckpointState)
@stateful(ModelCheckpointState)
export class ModelCheckpoint extends Callback {
  @persist() readonly monitor: string | null;
  /** The score of {@link bestModelPath} (null before the first monitored save). */
  @persist() bestModelScore: number | null = null;
  /** The best checkpoint so far (with no monitor: the latest). Empty before the first save. */
  @persist() bestModelPath = '';
  /** The monitored value at the last save. */
  @persist() currentScore: number | null = null;
  /** The resolved directory (null until setup). */
  @persist() dirpath: string | null;
  /** The kept checkpoints by path, with their scores. */
  @persist() bestKModels: Record<string, number> = {};
  /** The worst of the kept checkpoints: the next to go. */
  @persist() kthBestModelPath = '';
  @persist() kthValue: number;
  @persist() lastModelPath = '';

  readonly mode: MonitorMode;
  readonly saveTopK: number;
  readonly saveLast: boolean;
  readonly saveWeightsOnly: boolean;
  readonly everyNTrainSteps: number;
  readonly everyNEpochs: number;
  readonly trainTimeInterval: number | null;
  readonly saveOnTrainEpochEnd: boolean | undefined;
  readonly enableVersionCounter: boolean;
  readonly verbose: boolean;
  readonly onSaveError: 'raise' | 'warn';
  private failedSaves = 0;
  /** Counts the calls of {@link save}, so that undoing a failed save knows whether a later one changed the state. */
  private saveCount = 0;
  /** Writes started per path being written, so that a failed write undoes nothing a later write of the path did. */
  private readonly writesOf = new Map<string, number>();
  private readonly template: FilenameTemplate;
  private readonly io: CheckpointIO;
  private readonly saver: AsyncCheckpointSaver | undefined;
  private readonly now: () => number;
  private readonly exists: (path: string) => boolean;
  private readonly createDirs: boolean;
  private lastGlobalStepSaved = -1;
  private lastTimeChecked: number | undefined;
  /** Removals and (async mode) background writes in flight; each leaves the set when it settles. */
  private readonly pending = new Set<Promise<void>>();
  /** The last background write (async mode): the next one starts after it. */
  private chain: Promise<unknown> = Promise.resolve();
  /** A background (async-mode) failure, thrown by the next save or flush. */
  private failure: { error: unknown } | undefined;
  /** Async mode: the bookkeeping of the committed files only (the live fields also count the files in flight). */
  private committed: Bookkeeping | undefined;
  /** Async mode: the files decided but not yet written (or failed), in the order of their saves. */
  private readonly inFlight: SavedFile[] = [];

  constructor(options: ModelCheckpointOptions = {}) {
    super();
    this.monitor = options.monitor ?? null;
    this.mode = checkMode('ModelCheckpoint', options.mode ?? 'min');
    this.saveTopK = options.saveTopK ?? 1;
    this.saveLast = options.saveLast ?? false;
    this.saveWeightsOnly = options.saveWeightsOnly ?? false;
    this.enableVersionCounter = options.enableVersionCounter ?? true;
    this.verbose = options.verbose ?? false;
    this.onSaveError = options.onSaveError ?? 'raise';
    if (this.onSaveError !== 'raise' && this.onSaveError !== 'warn') {
      throw new CallbackConfigError(`ModelCheckpoint: onSaveError must be 'raise' or 'warn', got ${JSON.stringify(this.onSaveError)}`);
    }
    this.saveOnTrainEpochEnd = options.saveOnTrainEpochEnd;
    this.template = parseTemplate(options.filename, options.autoInsertMetricName ?? true);
    this.dirpath = options.dirpath === undefined ? null : path.resolve(options.dirpath);
    this.kthValue = worstScore(this.mode);
    this.io = options.io ?? new LocalCheckpointIO();
    this.saver = options.asyncSave === true ? new AsyncCheckpointSaver(this.io) : options.asyncSave || undefined;
    this.now = options.now ?? (() => performance.now());
    this.exists = options.exists ?? existsSync;
    this.createDirs = options.createDirs ?? options.io === undefined;
    const triggers = resolveTriggers(options);
    this.everyNTrainSteps = triggers.everyNTrainSteps;
    this.everyNEpochs = triggers.everyNEpochs;
    this.trainTimeInterval = triggers.trainTimeInterval;
    if (!Number.isInteger(this.saveTopK) || this.saveTopK < -1) {
      throw new CallbackConfigError(`ModelCheckpoint: saveTopK must be an integer ≥ -1, got ${this.saveTopK}`);
    }
    if (this.monitor === null && this.saveTopK !== -1 && this.saveTopK !== 0 && this.saveTopK !== 1) {
      throw new CallbackConfigError(`ModelCheckpoint: saveTopK ${this.saveTopK} needs a monitor to rank checkpoints by; give monitor, or use saveTopK -1, 0 or 1`);
    }
  }

  /** Lightning's key: monitor, mode and the triggers (not dirpath or filename, which a resumed run may change). */
  protected override stateIdentity(): StateIdentity {
    return {
      monitor: this.monitor,
      mode: this.mode,
      everyNTrainSteps: this.everyNTrainSteps,
      everyNEpochs: this.everyNEpochs,
      trainTimeInterval: this.trainTimeInterval,
    };
  }

  /** After every other callback, so that its checkpoints hold what they have just updated. */
  override get hookOrder(): CallbackHookOrder {
    return 'checkpoint';
  }

  /**
   * Resolves the directory, and removes from it the temporary files that saves killed in earlier processes left
   * (sweep.ts: only those whose writer is gone). A save removes the leftovers of its own target, but ModelCheckpoint's
   * names change at every save, so without this a crash loop would leave one file per crash. The trainer awaits the
   * sweep before the end of the first batch; a failure is a warning.
   */
  override setup(trainer: TrainerView): Promise<void> | void {
    const dirpath = this.resolveDirpath(trainer);
    if (!(this.io instanceof LocalCheckpointIO)) return;
    return sweepStaleTempFiles(dirpath).then(
      (result) => {
        for (const failed of result.failed) process.emitWarning(`ModelCheckpoint could not remove the stale temporary file ${failed.path}: ${failed.error}`, { code: 'KINDLING_CHECKPOINT_SWEEP_FAILED' });
      },
      (error: unknown) => {
        if ((error as { reason?: unknown }).reason === 'not-found') return;
        process.emitWarning(`ModelCheckpoint could not look for stale temporary files in ${dirpath}: ${error instanceof Error ? error.message : String(error)}`, { code: 'KINDLING_CHECKPOINT_SWEEP_FAILED' });
      },
    );
  }

  override onTrainStart(_trainer: TrainerView, _module: TrainerModule): void {
    this.startClock();
  }

  override onTrainBatchEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (!skipsSaving(trainer)) this.maybeSave(trainer, 'trainBatchEnd');
  }

  override onTrainEpochEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (!skipsSaving(trainer) && this.savesOnTrainEpochEnd(trainer)) this.maybeSave(trainer, 'trainEpochEnd');
  }

  override onValidationEnd(trainer: TrainerView, _module: TrainerModule): void {
    if (!skipsSaving(trainer) && !this.savesOnTrainEpochEnd(trainer)) this.maybeSave(trainer, 'validationEnd');
  }

  /**
   * The trainer awaits a hook's promise before the run ends: so when `fit` returns, the writes (async mode) and the
   * removals of replaced files are done, the directory holds exactly the files this callback names, and with
   * `onSaveError: 'raise'` a failed last write fails the run instead of going unnoticed.
   */
  override onFitEnd(_trainer: TrainerView, _module: TrainerModule): Promise<void> {
    return this.flush();
  }

  /** How many saves failed in this process (each one was raised or warned about). */
  get saveFailures(): number {
    return this.failedSaves;
  }

  /** The directory (resolved at setup when not given). */
  resolveDirpath(trainer: Pick<CheckpointingTrainer, 'logDir'>): string {
    this.dirpath ??= path.resolve(trainer.logDir, 'checkpoints');
    return this.dirpath;
  }

  /** Starts the clock of `trainTimeInterval` (the trainer's `onTrainStart`). */
  startClock(): void {
    this.lastTimeChecked = this.now();
  }

  /**
   * Lightning's choice between saving at the training epoch end and after validation: the option when given;
   * otherwise at the epoch end when there is no validation, or when validation runs exactly once per epoch.
   */
  savesOnTrainEpochEnd(trainer: ValidationSchedule & { readonly numValBatches: readonly number[] }): boolean {
    if (this.saveOnTrainEpochEnd !== undefined) return this.saveOnTrainEpochEnd;
    if (trainer.checkValEveryNEpoch !== 1) return false;
    if (trainer.numValBatches.reduce((a, b) => a + b, 0) === 0) return true;
    return validatesOncePerEpoch(trainer);
  }

  /**
   * Saves if `trigger` is due: after a batch every `everyNTrainSteps` steps or `trainTimeInterval`; at an epoch end
   * (training or validation, as the trainer decided with {@link savesOnTrainEpochEnd}) every `everyNEpochs` epochs.
   * Never twice at one global step. Returns whether it saved.
   */
  maybeSave(trainer: CheckpointingTrainer, trigger: CheckpointTrigger): boolean {
    if (this.lastGlobalStepSaved === trainer.globalStep) return false;
    if (trigger === 'trainBatchEnd') {
      const skipBatch = this.everyNTrainSteps < 1 || trainer.globalStep % this.everyNTrainSteps !== 0;
      let skipTime = true;
      const now = this.now();
      if (this.trainTimeInterval !== null) {
        skipTime = this.lastTimeChecked === undefined || now - this.lastTimeChecked < this.trainTimeInterval;
      }
      if (skipBatch && skipTime) return false;
      if (!skipTime) this.lastTimeChecked = now;
      // Validation metrics may not exist yet between validations: a missing monitor is skipped, not an error.
      this.save(trainer, false);
      return true;
    }
    if (this.everyNEpochs < 1 || (trainer.currentEpoch + 1) % this.everyNEpochs !== 0) return false;
    this.save(trainer, true);
    return true;
  }

  /**
   * Saves the top-k checkpoint (when this one ranks) and `last`, now. `strictMonitor`: a missing monitored metric is
   * an error naming the logged ones (after validation ran), otherwise a warning.
   */
  save(trainer: CheckpointingTrainer, strictMonitor = true): void {
    this.throwFailure();
    this.saveCount += 1;
    // Nothing in flight: the live fields are the committed files (also after a resume loaded them).
    if (this.saver !== undefined && this.inFlight.length === 0) this.committed = this.bookkeeping();
    const dirpath = this.resolveDirpath(trainer);
    const candidates: Record<string, number> = { ...trainer.callbackMetrics, epoch: trainer.currentEpoch, step: trainer.globalStep };
    let topK: Promise<void> | undefined;
    if (this.saveTopK !== 0) {
      if (this.monitor === null) topK = this.saveLatest(trainer, dirpath, candidates);
      else topK = this.saveIfTopK(trainer, dirpath, candidates, strictMonitor);
    }
    if (this.saveLast) this.saveLastCopy(trainer, dirpath, candidates, topK);
  }

  /**
   * Waits for this callback's writes and the removals of the files they replace; throws the first failed write
   * (which the trainer also reports for its own writes). Call it after `fit` in async mode.
   */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    await this.saver?.flush().catch((error: unknown) => {
      this.failure ??= { error };
    });
    this.throwFailure();
  }

  private throwFailure(): void {
    const failure = this.failure;
    if (failure === undefined) return;
    this.failure = undefined;
    throw failure.error;
  }

  /** Returns the write of the top-k file, when this save ranks. */
  private saveIfTopK(trainer: CheckpointingTrainer, dirpath: string, candidates: Record<string, number>, strict: boolean): Promise<void> | undefined {
    const monitor = this.monitor!;
    const value = candidates[monitor];
    if (value === undefined) {
      const error = new MonitorNotFoundError('ModelCheckpoint', monitor, Object.keys(trainer.callbackMetrics));
      if (strict) throw error;
      // Between validations a validation metric is simply not logged yet: saying "log it" would send a user who does
      // log it looking for a bug. Say what happens instead, and keep "log it" for a key that never appears.
      const keys = error.available.length === 0 ? 'no metric is logged yet' : `the logged metrics are: ${error.available.map((k) => `'${k}'`).join(', ')}`;
      warnOnce(
        this,
        `ModelCheckpoint monitors '${monitor}', which is not logged yet at a save between validations (${keys}): such a save keeps no top-k file` +
          `${this.saveLast ? ' (last is still written)' : ''}, and saves after '${monitor}' is logged rank as usual. If it is never logged, ` +
          `log it with this.log('${monitor}', value) in the module, or change monitor`,
      );
      return undefined;
    }
    if (!this.ranks(value)) {
      if (this.verbose) console.error(`[ModelCheckpoint] epoch ${trainer.currentEpoch}, step ${trainer.globalStep}: ${monitor} was not in top ${this.saveTopK}`);
      return undefined;
    }
    const before = this.bookkeeping();
    // The k-th leaves, and any entries beyond k a resumed state holds; the file may take the k-th's name.
    const leavers = leaversOf(before, capacity(this.saveTopK, before), this.mode);
    // NaN ranks last, as in Lightning.
    const score = Number.isNaN(value) ? worstScore(this.mode) : value;
    const file = this.freePath(dirpath, formatName(this.template, candidates), leavers[0]);
    const saved: SavedFile = { kind: 'topK', file, score };
    this.assign(withSaved(before, saved, this.saveTopK, this.mode));
    if (this.verbose) console.error(`[ModelCheckpoint] epoch ${trainer.currentEpoch}, step ${trainer.globalStep}: ${monitor} reached ${score} (best ${this.bestModelScore}), saving ${file}`);
    if (this.saver !== undefined) return this.writeInBackground(trainer, this.saver, saved);
    const generation = this.saveCount;
    const written = this.write(trainer, file, () => this.undoTopK(generation, before, file, leavers));
    for (const leaver of leavers) this.removeAfterCommit(trainer, leaver, file, written);
    return written;
  }

  /** The live fields, as a value. */
  private bookkeeping(): Bookkeeping {
    return {
      bestKModels: { ...this.bestKModels },
      kthBestModelPath: this.kthBestModelPath,
      kthValue: this.kthValue,
      bestModelPath: this.bestModelPath,
      bestModelScore: this.bestModelScore,
      currentScore: this.currentScore,
      lastModelPath: this.lastModelPath,
    };
  }

  private assign(bookkeeping: Bookkeeping): void {
    Object.assign(this, { ...bookkeeping, bestKModels: { ...bookkeeping.bestKModels } });
  }

  /**
   * Undoes the bookkeeping of a sync top-k file whose write failed. When no save came after it (the usual case: sync
   * saves are awaited at the end of the batch), the fields get back exactly their values before that save (`last`
   * too: its copy of the same save was not written either, see saveLastCopy). Otherwise (a save called again before
   * the write settled), the failed file leaves `bestKModels` and the files it was to replace (still on disk: their
   * removal waited for this write) come back, and best and k-th are ranked again from the entries. (Async mode does
   * not undo: see {@link settle}.)
   */
  private undoTopK(generation: number, before: Bookkeeping, file: string, leavers: readonly string[]): void {
    if (generation === this.saveCount) {
      const { lastModelPath: _last, ...fields } = before;
      Object.assign(this, { ...fields, bestKModels: { ...before.bestKModels } });
      return;
    }
    delete this.bestKModels[file];
    for (const leaver of leavers) {
      const score = before.bestKModels[leaver];
      if (score !== undefined && !(leaver in this.bestKModels)) this.bestKModels[leaver] = score;
    }
    const entries = Object.entries(this.bestKModels);
    if (entries.length === 0) {
      Object.assign(this, { bestModelPath: '', bestModelScore: null, kthBestModelPath: '', kthValue: worstScore(this.mode) });
      return;
    }
    [this.bestModelPath, this.bestModelScore] = pick(entries, (a, b) => isBetter(this.mode, a, b));
    [this.kthBestModelPath, this.kthValue] = pick(entries, (a, b) => isBetter(this.mode, b, a));
  }

  private saveLatest(trainer: CheckpointingTrainer, dirpath: string, candidates: Record<string, number>): Promise<void> {
    const file = this.freePath(dirpath, formatName(this.template, candidates), undefined);
    const previous = this.bestModelPath;
    this.bestModelPath = file;
    if (this.saver !== undefined) return this.writeInBackground(trainer, this.saver, { kind: 'latest', file });
    const written = this.write(trainer, file, () => {
      if (this.bestModelPath === file) this.bestModelPath = previous;
    });
    if (this.saveTopK === 1 && previous !== '') this.removeAfterCommit(trainer, previous, file, written);
    return written;
  }

  /**
   * Writes `last` after the top-k file of the same save (`topK`) is written, and not at all when that write fails:
   * its state names that file, so a `last` written beside a failed or killed top-k write would name a file that is
   * not there (and `ckptPath: 'last'` prefers `last` on a tie). The snapshot is still taken now.
   */
  private saveLastCopy(trainer: CheckpointingTrainer, dirpath: string, candidates: Record<string, number>, topK: Promise<void> | undefined): void {
    const lastTemplate = parseTemplate(LAST_NAME, this.template.autoInsertMetricName);
    let file = resolveInside(dirpath, formatName(lastTemplate, candidates));
    if (this.enableVersionCounter) {
      for (let version = 1; file !== this.lastModelPath && this.exists(file); version += 1) {
        file = resolveInside(dirpath, formatName(lastTemplate, candidates, { version }));
      }
    }
    const previous = this.lastModelPath;
    this.lastModelPath = file;
    // A failed write of a new name leaves the previous `last` in place (never removed first); of the same name, the
    // previous file is still there, under that name.
    const after = topK?.catch((error: unknown) => {
      if (!isInPlace(error)) throw new LastCopySkipped(file, error);
    });
    if (this.saver !== undefined) {
      void this.writeInBackground(trainer, this.saver, { kind: 'last', file }, after);
      return;
    }
    const written = this.write(
      trainer,
      file,
      () => {
        if (this.lastModelPath === file) this.lastModelPath = previous;
      },
      after,
    );
    if (previous !== '') this.removeAfterCommit(trainer, previous, file, written);
  }

  /** Whether `value` enters the top k. */
  private ranks(value: number): boolean {
    if (this.saveTopK === -1) return true;
    if (Object.keys(this.bestKModels).length < this.saveTopK) return true;
    const kth = this.bestKModels[this.kthBestModelPath];
    return kth === undefined || isBetter(this.mode, value, kth);
  }

  /** `name` in `dirpath`, with `-vN` added while a file of that name exists (the file leaving the top k may be reused). */
  private freePath(dirpath: string, name: string, reusable: string | undefined): string {
    let file = resolveInside(dirpath, name);
    if (!this.enableVersionCounter) return file;
    const base = name;
    for (let version = 1; file !== reusable && this.exists(file); version += 1) {
      file = resolveInside(dirpath, `${base}-v${version}`);
    }
    return file;
  }

  /**
   * Sync mode: takes the snapshot now and starts the write; returns the write. When it fails, `undo` runs first (the
   * handlers of a promise run in the order they were added), then the failure is raised or warned about.
   */
  private write(trainer: CheckpointingTrainer, file: string, undo: () => void, after?: Promise<void>): Promise<void> {
    const options = { weightsOnly: this.saveWeightsOnly };
    const writes = (this.writesOf.get(file) ?? 0) + 1;
    this.writesOf.set(file, writes);
    let written: Promise<void>;
    try {
      // As Lightning's makedirs: the directory (and a template's subdirectories) may not exist yet.
      if (this.createDirs) mkdirSync(path.dirname(file), { recursive: true });
      written = trainer.saveCheckpoint(file, { ...options, failRunOnError: this.onSaveError === 'raise', after });
    } catch (error) {
      written = Promise.reject(error);
    }
    // Forgets the count once the last write of the path settled, so the map holds only paths being written.
    const settled = () => {
      if (this.writesOf.get(file) === writes) this.writesOf.delete(file);
    };
    this.track(
      written.then(settled, (error: unknown) => {
        if (!isInPlace(error) && this.writesOf.get(file) === writes) undo();
        settled();
        // Not written because the top-k write before it failed: that failure is the one reported.
        if (!(error instanceof LastCopySkipped)) this.reportFailure(file, error);
      }),
    );
    this.lastGlobalStepSaved = trainer.globalStep;
    return written;
  }

  /**
   * Async mode: takes the snapshot now; writes it after the previous background write, its removals and `after`
   * have settled. The state the file records is computed then, from the committed files (plus itself): a file never
   * names one whose write failed or is still going on. Once it is written, the files it replaces are removed (before
   * the next write starts, so each write starts with the directory holding exactly the committed files). On
   * failure, nothing is undone: the live fields are ranked again from the committed files and those in flight.
   * Returns the write and its removals.
   */
  private writeInBackground(trainer: CheckpointingTrainer, saver: AsyncCheckpointSaver, saved: SavedFile, after?: Promise<void>): Promise<void> {
    const file = saved.file;
    this.inFlight.push(saved);
    let written: Promise<void>;
    try {
      if (this.createDirs) mkdirSync(path.dirname(file), { recursive: true });
      const tree = snapshotTree(trainer.dumpCheckpoint({ weightsOnly: this.saveWeightsOnly }), file);
      let recorded: Bookkeeping | undefined;
      const attempt = this.chain
        .then(() => after)
        .then(async () => {
          recorded = withSaved(this.committed ?? this.bookkeeping(), saved, this.saveTopK, this.mode);
          await saver.save(file, recordIn(tree, this.stateKey, recorded));
          // The write is complete when the saver's flush returns.
          await saver.flush();
        });
      written = attempt.then(
        () => this.commit(trainer, saved, recorded!),
        async (error: unknown) => {
          if (isInPlace(error) && recorded !== undefined) await this.commit(trainer, saved, recorded);
          else this.settle(saved);
          throw error;
        },
      );
    } catch (error) {
      // `after` (the top-k write before a `last`) is then awaited by nobody: its failure is reported by that write.
      after?.catch(() => {});
      this.settle(saved);
      written = Promise.reject(error);
    }
    this.chain = written.catch(() => {});
    this.track(
      written.catch((error: unknown) => {
        // Not written because the top-k write before it failed: that failure is the one reported.
        if (!(error instanceof LastCopySkipped)) this.reportFailure(file, error);
      }),
    );
    this.lastGlobalStepSaved = trainer.globalStep;
    return written;
  }

  /** Async mode: `saved` is written and records `recorded`; removes what it replaces (never what is still named). */
  private async commit(trainer: CheckpointingTrainer, saved: SavedFile, recorded: Bookkeeping): Promise<void> {
    const before = this.committed ?? this.bookkeeping();
    this.committed = recorded;
    this.settle(saved);
    const replaced = replacedBy(before, recorded, saved, this.saveTopK).filter(
      (previous) => previous !== saved.file && !names(recorded, previous) && !this.inFlight.some((s) => s.file === previous) && this.manages(trainer, previous),
    );
    await Promise.all(replaced.map((previous) => this.removeQuietly(previous)));
  }

  /**
   * Async mode: `saved` is no longer in flight; the live fields become the committed files with the saves still in
   * flight applied again, in order (the same fields when it was written; without it when it failed).
   */
  private settle(saved: SavedFile): void {
    const at = this.inFlight.indexOf(saved);
    if (at >= 0) this.inFlight.splice(at, 1);
    const committed = this.committed ?? this.bookkeeping();
    this.assign(this.inFlight.reduce((state, next) => withSaved(state, next, this.saveTopK, this.mode), committed));
  }

  private reportFailure(file: string, error: unknown): void {
    this.failedSaves += 1;
    if (this.onSaveError === 'raise') {
      this.failure ??= { error };
      return;
    }
    const detail = error instanceof Error ? error.message : String(error);
    process.emitWarning(`ModelCheckpoint could not save ${file}; training goes on (onSaveError: 'warn'). ${detail}`, {
      code: 'KINDLING_CHECKPOINT_SAVE_FAILED',
    });
  }

  /**
   * Removes `previous` once the write of `current` has committed; never after a failed write, and not when the
   * callback has come to name it again meanwhile (a failed save's undo).
   */
  private removeAfterCommit(trainer: CheckpointingTrainer, previous: string, current: string, written: Promise<void>): void {
    if (!this.mayRemove(trainer, previous, current)) return;
    const remove = (): Promise<void> | undefined => (this.kept(previous) ? undefined : this.removeQuietly(previous));
    this.track(written.then(remove, (error: unknown) => (isInPlace(error) ? remove() : undefined)));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** A failed removal is a warning: the file stays, and the run goes on. */
  private removeQuietly(file: string): Promise<void> {
    return this.io.remove(file).catch((error: unknown) => {
      process.emitWarning(`ModelCheckpoint could not remove ${file}: ${error instanceof Error ? error.message : String(error)}`, {
        code: 'KINDLING_CHECKPOINT_REMOVE_FAILED',
      });
    });
  }

  private mayRemove(trainer: CheckpointingTrainer, previous: string, current: string): boolean {
    if (previous === current) return false;
    if (this.kept(previous)) return false;
    return this.manages(trainer, previous);
  }

  /** A file this callback may remove: inside `dirpath`, and not the checkpoint the run resumed from. */
  private manages(trainer: CheckpointingTrainer, previous: string): boolean {
    const resumedFrom = trainer.ckptPath === undefined ? undefined : path.resolve(trainer.ckptPath);
    if (resumedFrom !== undefined && path.resolve(previous) === resumedFrom) return false;
    return this.dirpath !== null && isInside(this.dirpath, path.resolve(previous));
  }

  /** A file still referenced by this callback (a top-k file that is also `last`, or the other way round). */
  private kept(file: string): boolean {
    return file in this.bestKModels || file === this.lastModelPath || file === this.bestModelPath;
  }
}

/** Why `last` was not written: the top-k write of the same save failed (`cause`), and was reported itself. */
class LastCopySkipped extends Error {
  constructor(file: string, cause: unknown) {
    super(`${file} was not written, because the checkpoint saved before it in the same step failed`, { cause });
  }
}

/** After a failed directory fsync the new file is complete at its path: it counts as written (and stays recorded). */
function isInPlace(error: unknown): boolean {
  return error instanceof CheckpointSaveError && error.committed;
}

/** Lightning's `_should_skip_saving_checkpoint` (the same-step rule is in maybeSave): only while fitting, not in the sanity check. */
function skipsSaving(trainer: TrainerView): boolean {
  return trainer.state.fn !== 'fit' || trainer.sanityChecking;
}

function resolveTriggers(options: ModelCheckpointOptions): { everyNTrainSteps: number; everyNEpochs: number; trainTimeInterval: number | null } {
  const { everyNTrainSteps, everyNEpochs, trainTimeInterval } = options;
  for (const [name, value] of [['everyNTrainSteps', everyNTrainSteps], ['everyNEpochs', everyNEpochs]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new CallbackConfigError(`ModelCheckpoint: ${name} must be an integer ≥ 0, got ${value}`);
    }
  }
  if (trainTimeInterval !== undefined && !(trainTimeInterval > 0 && Number.isFinite(trainTimeInterval))) {
    throw new CallbackConfigError(`ModelCheckpoint: trainTimeInterval must be a positive number of milliseconds, got ${trainTimeInterval}`);
  }
  const set = [everyNTrainSteps !== undefined && everyNTrainSteps > 0, everyNEpochs !== undefined && everyNEpochs > 0, trainTimeInterval !== undefined];
  if (set.filter(Boolean).length > 1) {
    throw new CallbackConfigError('ModelCheckpoint: everyNTrainSteps, everyNEpochs and trainTimeInterval are exclusive; give one of them');
  }
  if (everyNTrainSteps === undefined && everyNEpochs === undefined && trainTimeInterval === undefined) {
    return { everyNTrainSteps: 0, everyNEpochs: 1, trainTimeInterval: null };
  }
  return { everyNTrainSteps: everyNTrainSteps ?? 0, everyNEpochs: everyNEpochs ?? 0, trainTimeInterval: trainTimeInterval ?? null };
}

const warned = new WeakMap<ModelCheckpoint, Set<string>>();
function warnOnce(owner: ModelCheckpoint, message: string): void {
  const seen = warned.get(owner) ?? new Set<string>();
  warned.set(owner, seen);
  if (seen.has(message)) return;
  seen.add(message);
  process.emitWarning(message, { code: 'KINDLING_MONITOR_NOT_LOGGED' });
}

/**
 * Lightning's `load_state_dict`: `monitor` and `dirpath` describe this run and are kept (a resumed run may write to
 * another directory); when the checkpoint's `dirpath` differs from this callback's, only `bestModelPath` and
 * `currentScore` are taken, with a warning. (Lightning does not reload `currentScore`; kindling does, so a resumed
 * callback's state equals the saved one.)
 */
function reconcileCheckpointState(self: ModelCheckpoint, state: Partial<ModelCheckpointState>): () => void {
  const live = {
    monitor: self.monitor,
    dirpath: self.dirpath,
    bestModelScore: self.bestModelScore,
    bestKModels: self.bestKModels,
    kthBestModelPath: self.kthBestModelPath,
    kthValue: self.kthValue,
    lastModelPath: self.lastModelPath,
  };
  const moved = state.dirpath !== undefined && live.dirpath !== null && state.dirpath !== live.dirpath;
  return () => {
    const target = self as unknown as { monitor: string | null; dirpath: string | null };
    target.monitor = live.monitor;
    target.dirpath = live.dirpath ?? state.dirpath ?? null;
    if (!moved) return;
    Object.assign(target, {
      bestModelScore: live.bestModelScore,
      bestKModels: live.bestKModels,
      kthBestModelPath: live.kthBestModelPath,
      kthValue: live.kthValue,
      lastModelPath: live.lastModelPath,
    });
    process.emitWarning(
      `ModelCheckpoint: the dirpath has changed from ${JSON.stringify(state.dirpath)} to ${JSON.stringify(live.dirpath)}, so bestModelScore, kthBestModelPath, kthValue, lastModelPath and bestKModels are not restored; only bestModelPath is`,
      { code: 'KINDLING_CHECKPOINT_DIRPATH_CHANGED' },
    );
  };
}
