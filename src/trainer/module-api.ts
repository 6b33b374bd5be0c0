/**
 * What the trainer uses of a Module and its optimizers (CONTRACT.md section B), in one place. The Module class of
 * src/components/nn satisfies these interfaces structurally; the trainer depends on this subset so that it names
 * exactly what it calls.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HParamValue, Stage } from '../components/data/data-module.js';
import type { GradientMap } from '../components/optim/functional/gradient-map.js';
import type { CheckpointContents } from '../components/precision/precision.js';
import { LRScheduler } from '../components/schedulers/lr-scheduler.js';
import type { ParamGroupsHolder } from '../components/schedulers/param-groups.js';
import { ReduceLROnPlateau } from '../components/schedulers/reduce-lr-on-plateau.js';

export type StepOutput = tf.Scalar | { loss: tf.Scalar; [key: string]: unknown };

export interface LogOptions {
  onStep?: boolean;
  onEpoch?: boolean;
  progBar?: boolean;
  logger?: boolean;
  reduceFx?: 'mean' | 'sum' | 'max' | 'min';
}

export interface ModuleTrainerLink {
  log(name: string, value: number | tf.Tensor, options: LogOptions): void;
  readonly currentEpoch: number;
  readonly globalStep: number;
}

/** An optimizer as the trainer drives it. */
export interface TrainerOptimizerApi extends ParamGroupsHolder {
  step(grads: GradientMap): void;
  zeroGrad(): void;
  stateDict(): object;
  loadStateDict(state: never): unknown;
}

export interface NormalizedLrSchedulerConfig {
  scheduler: LRScheduler | ReduceLROnPlateau;
  interval: 'epoch' | 'step';
  frequency: number;
  monitor: string | undefined;
  name: string | undefined;
}

export interface NormalizedOptimizerConfig {
  optimizer: TrainerOptimizerApi;
  lrScheduler: NormalizedLrSchedulerConfig | undefined;
}

/** A parameter as the trainer sees it: its tfjs variable and whether it trains. */
export interface TrainerParameter {
  readonly variable: tf.Variable;
  trainable: boolean;
}

/** The Module API the trainer calls (hooks without a trainer argument, as in CONTRACT B). */
export interface TrainableModule {
  training: boolean;
  hparams: Record<string, HParamValue>;
  train(mode?: boolean): unknown;
  eval(): unknown;
  namedParameters(): [string, TrainerParameter][];
  stateDict(): object;
  loadStateDict(state: never, options?: { strict?: boolean }): unknown;

  trainingStep(batch: unknown, batchIdx: number): StepOutput;
  validationStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): StepOutput | void;
  testStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): StepOutput | void;
  predictStep?(batch: unknown, batchIdx: number, dataloaderIdx?: number): unknown;
  configureOptimizers(): unknown;
  attachTrainer(link: ModuleTrainerLink | undefined): void;

  onSaveCheckpoint(checkpoint: CheckpointContents): void;
  onLoadCheckpoint(checkpoint: CheckpointContents): void;

  setup(stage: Stage): void | Promise<void>;
  teardown(stage: Stage): void | Promise<void>;
  onFitStart(): void;
  onFitEnd(): void;
  onTrainStart(): void;
  onTrainEnd(): void;
  onTrainEpochStart(): void;
  onTrainEpochEnd(): void;
  onTrainBatchStart(batch: unknown, batchIdx: number): void;
  onTrainBatchEnd(outputs: StepOutput, batch: unknown, batchIdx: number): void;
  onValidationStart(): void;
  onValidationEnd(): void;
  onValidationEpochStart(): void;
  onValidationEpochEnd(): void;
  onValidationBatchStart(batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onValidationBatchEnd(outputs: StepOutput | void, batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onTestStart(): void;
  onTestEnd(): void;
  onTestEpochStart(): void;
  onTestEpochEnd(): void;
  onTestBatchStart(batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onTestBatchEnd(outputs: StepOutput | void, batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onPredictStart(): void;
  onPredictEnd(): void;
  onPredictEpochStart(): void;
  onPredictEpochEnd(): void;
  onPredictBatchStart(batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onPredictBatchEnd(outputs: unknown, batch: unknown, batchIdx: number, dataloaderIdx: number): void;
  onBeforeBackward(loss: tf.Scalar): void;
  onAfterBackward(): void;
  onBeforeOptimizerStep(optimizer: never, name: string): void;
  onBeforeZeroGrad(optimizer: never): void;
}

/** The name of a single optimizer (and its scheduler) in checkpoints. */
export const DEFAULT_OPTIMIZER_NAME = 'default';

function isOptimizer(value: unknown): value is TrainerOptimizerApi {
  const v = value as Partial<TrainerOptimizerApi> | null;
  return typeof v === 'object' && v !== null && Array.isArray(v.paramGroups) && typeof v.step === 'function' && typeof v.stateDict === 'function';
}

function isScheduler(value: unknown): value is LRScheduler | ReduceLROnPlateau {
  return value instanceof LRScheduler || value instanceof ReduceLROnPlateau;
}

/** Names what `configureOptimizers()` returned (a single optimizer or config is `default`) with defaults filled in. */
export function normalizeOptimizers(config: unknown): Record<string, NormalizedOptimizerConfig> {
  const where = 'configureOptimizers()';
  if (isOptimizer(config)) return { [DEFAULT_OPTIMIZER_NAME]: { optimizer: config, lrScheduler: undefined } };
  if (typeof config !== 'object' || config === null) throw new TypeError(`${where} must return an optimizer, { optimizer, lrScheduler } or a record of those, got ${String(config)}`);
  const one = (name: string, c: unknown): NormalizedOptimizerConfig => {
    const entry = c as { optimizer?: unknown; lrScheduler?: unknown };
    if (!isOptimizer(entry.optimizer)) throw new TypeError(`${where}.${name}.optimizer must be a kindling optimizer`);
    const raw = entry.lrScheduler;
    if (raw === undefined) return { optimizer: entry.optimizer, lrScheduler: undefined };
    const s = (isScheduler(raw) ? { scheduler: raw } : raw) as { scheduler: unknown; interval?: 'epoch' | 'step'; frequency?: number; monitor?: string; name?: string };
    if (!isScheduler(s.scheduler)) throw new TypeError(`${where}.${name}.lrScheduler.scheduler must be an LRScheduler or ReduceLROnPlateau`);
    return {
      optimizer: entry.optimizer,
      lrScheduler: { scheduler: s.scheduler, interval: s.interval ?? 'epoch', frequency: s.frequency ?? 1, monitor: s.monitor, name: s.name },
    };
  };
  if ('optimizer' in config) return { [DEFAULT_OPTIMIZER_NAME]: one(DEFAULT_OPTIMIZER_NAME, config) };
  const out: Record<string, NormalizedOptimizerConfig> = {};
  for (const [name, c] of Object.entries(config)) out[name] = one(name, c);
  if (Object.keys(out).length === 0) throw new TypeError(`${where} returned an empty record; return at least one optimizer`);
  return out;
}

/** The loss's value and its gradients keyed by parameter dotted name (trainable parameters only). */
export function valueAndGrads(module: TrainableModule, f: () => tf.Scalar): { value: tf.Scalar; grads: GradientMap } {
  const named = module.namedParameters().filter(([, p]) => p.trainable);
  if (named.length === 0) throw new Error(`${module.constructor.name} has no trainable parameters to differentiate; call unfreeze() or add parameters`);
  const { value, grads } = tf.variableGrads(f, named.map(([, p]) => p.variable));
  const out: GradientMap = {};
  for (const [name, p] of named) {
    const g = grads[p.variable.name];
    if (g !== undefined) out[name] = g;
  }
  return { value, grads: out };
}
