/**
 * What the trainer uses of a Module and its optimizers (CONTRACT.md section B), gathered in one place: the trainer
 * imports the module side only from here.
 */
import type { Module } from '../components/nn/module.js';

export type {
  LogOptions,
  ModuleTrainerLink,
  NormalizedLrSchedulerConfig,
  NormalizedOptimizerConfig,
  StepOutput,
} from '../components/nn/module-types.js';
export { DEFAULT_OPTIMIZER_NAME, normalizeOptimizers } from '../components/nn/normalize-optimizers.js';
export { valueAndGrads } from '../components/nn/gradients.js';

/** The module a trainer trains. */
export type TrainableModule = Module;
