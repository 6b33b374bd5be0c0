/** The Trainer's options (Lightning's `Trainer(...)` arguments in camelCase) and their checks. */
import type { Callback } from '../components/callbacks/callback.js';
import type { Precision } from '../components/precision/precision.js';
import type { CheckpointIO } from '../checkpoint/types.js';
import { TrainerConfigError } from './errors.js';
import type { Logger } from './loggers/logger.js';

/** A batch limit: a fraction of the loader (0 < x ≤ 1) or a number of batches (an integer ≥ 0; 1 means one batch only with `{ batches: 1 }`). */
export type BatchLimit = number | { readonly batches: number };

export interface TrainerOptions {
  /** Stop after this many epochs (default: 1000 when `maxSteps` is not given either, as in Lightning). */
  readonly maxEpochs?: number;
  /** Stop after this many optimizer steps; -1 (default) for no limit. */
  readonly maxSteps?: number;
  /** Keep training at least this many epochs, even when a callback asks to stop. */
  readonly minEpochs?: number;
  readonly callbacks?: readonly Callback[];
  /** The precision plugin (default `Precision32`-like float32: the base `Precision`). */
  readonly precision?: Precision;
  /** Seeds kindling's default generator when the trainer is made (`seedEverything(seed)`). */
  readonly seed?: number;
  /** Where logs and checkpoints go (default: the working directory). */
  readonly defaultRootDir?: string;
  /** Loggers (default none; `false` is none too). */
  readonly logger?: Logger | readonly Logger[] | false;
  /** Send step metrics to the loggers every this many optimizer steps (default 50). */
  readonly logEveryNSteps?: number;
  /** Add a ProgressBar when none is given (default true). */
  readonly enableProgressBar?: boolean;
  /** Add a ModelCheckpoint (every epoch, under `<logDir>/checkpoints`) when no checkpoint callback is given (default true). */
  readonly enableCheckpointing?: boolean;
  readonly limitTrainBatches?: BatchLimit;
  readonly limitValBatches?: BatchLimit;
  readonly limitTestBatches?: BatchLimit;
  readonly limitPredictBatches?: BatchLimit;
  /** Validate after this fraction of an epoch (0 < x ≤ 1, default 1) or after every this many batches (`{ batches: n }`, or an integer > 1). */
  readonly valCheckInterval?: BatchLimit;
  /** Validate in every n-th epoch (default 1). */
  readonly checkValEveryNEpoch?: number;
  /** Validation batches run before training starts, to catch bugs early (default 2; -1 for all; 0 for none). */
  readonly numSanityValSteps?: number;
  /** Sum the gradients of this many batches before each optimizer step (default 1). */
  readonly accumulateGradBatches?: number;
  /** Clip gradients to this norm or value before each optimizer step (default: no clipping). */
  readonly gradientClipVal?: number;
  readonly gradientClipAlgorithm?: 'norm' | 'value';
  /**
   * kindling's backends are deterministic and its randomness is seeded (docs/design/rng.md), so there is nothing to
   * switch; `true` is accepted for Lightning users, `false` is refused because kindling cannot be non-deterministic.
   */
  readonly deterministic?: boolean;
  /** Checkpoint restores: a state in the file that no component takes is an error (default: a warning). */
  readonly strict?: boolean;
  /** Where checkpoint files are read and written (default: the local filesystem). */
  readonly checkpointIO?: CheckpointIO;
}

export interface ResolvedOptions {
  readonly maxEpochs: number | undefined;
  readonly maxSteps: number;
  readonly minEpochs: number | undefined;
  readonly logEveryNSteps: number;
  readonly limitTrainBatches: BatchLimit;
  readonly limitValBatches: BatchLimit;
  readonly limitTestBatches: BatchLimit;
  readonly limitPredictBatches: BatchLimit;
  readonly valCheckInterval: BatchLimit;
  readonly checkValEveryNEpoch: number;
  readonly numSanityValSteps: number;
  readonly accumulateGradBatches: number;
  readonly gradientClipVal: number | undefined;
  readonly gradientClipAlgorithm: 'norm' | 'value';
  readonly strict: boolean;
  readonly defaultRootDir: string;
}

function intAtLeast(name: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < min) throw new TrainerConfigError(`Trainer: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
}

function checkLimit(name: string, limit: BatchLimit): void {
  if (typeof limit === 'object' && limit !== null) {
    intAtLeast(`${name}.batches`, limit.batches, 0);
    return;
  }
  if (typeof limit !== 'number' || !(limit >= 0) || (limit > 1 && !Number.isSafeInteger(limit))) {
    throw new TrainerConfigError(`Trainer: ${name} must be a fraction in [0, 1], an integer number of batches, or { batches: n }, got ${String(limit)}`);
  }
}

/** How many batches of a loader of `length` a limit allows (Lightning's rule: a fraction is floored, at least 1 if > 0). */
export function applyLimit(limit: BatchLimit, length: number): number {
  if (typeof limit === 'object') return Math.min(limit.batches, length);
  if (limit > 1) return Math.min(limit, length);
  if (limit === 1) return length;
  if (limit === 0) return 0;
  return Math.max(1, Math.floor(length * limit));
}

export function resolveOptions(options: TrainerOptions): ResolvedOptions {
  intAtLeast('maxEpochs', options.maxEpochs, 0);
  if (options.maxSteps !== undefined && options.maxSteps !== -1) intAtLeast('maxSteps', options.maxSteps, 0);
  intAtLeast('minEpochs', options.minEpochs, 0);
  intAtLeast('logEveryNSteps', options.logEveryNSteps, 1);
  intAtLeast('checkValEveryNEpoch', options.checkValEveryNEpoch, 1);
  intAtLeast('accumulateGradBatches', options.accumulateGradBatches, 1);
  if (options.numSanityValSteps !== undefined && options.numSanityValSteps !== -1) intAtLeast('numSanityValSteps', options.numSanityValSteps, 0);
  for (const name of ['limitTrainBatches', 'limitValBatches', 'limitTestBatches', 'limitPredictBatches', 'valCheckInterval'] as const) {
    const limit = options[name];
    if (limit !== undefined) checkLimit(name, limit);
  }
  if (options.valCheckInterval === 0) throw new TrainerConfigError('Trainer: valCheckInterval must be > 0; to skip validation use limitValBatches: 0');
  if (options.gradientClipVal !== undefined && !(options.gradientClipVal >= 0)) {
    throw new TrainerConfigError(`Trainer: gradientClipVal must be a number ≥ 0, got ${String(options.gradientClipVal)}`);
  }
  const algorithm = options.gradientClipAlgorithm ?? 'norm';
  if (algorithm !== 'norm' && algorithm !== 'value') throw new TrainerConfigError(`Trainer: gradientClipAlgorithm must be 'norm' or 'value', got ${String(algorithm)}`);
  if (options.deterministic === false) {
    throw new TrainerConfigError('Trainer: deterministic: false is not available: kindling always computes deterministically (omit the option)');
  }
  const maxSteps = options.maxSteps ?? -1;
  return {
    maxEpochs: options.maxEpochs ?? (maxSteps === -1 ? 1000 : undefined),
    maxSteps,
    minEpochs: options.minEpochs,
    logEveryNSteps: options.logEveryNSteps ?? 50,
    limitTrainBatches: options.limitTrainBatches ?? 1,
    limitValBatches: options.limitValBatches ?? 1,
    limitTestBatches: options.limitTestBatches ?? 1,
    limitPredictBatches: options.limitPredictBatches ?? 1,
    valCheckInterval: options.valCheckInterval ?? 1,
    checkValEveryNEpoch: options.checkValEveryNEpoch ?? 1,
    numSanityValSteps: options.numSanityValSteps ?? 2,
    accumulateGradBatches: options.accumulateGradBatches ?? 1,
    gradientClipVal: options.gradientClipVal,
    gradientClipAlgorithm: algorithm,
    strict: options.strict ?? false,
    defaultRootDir: options.defaultRootDir ?? process.cwd(),
  };
}
