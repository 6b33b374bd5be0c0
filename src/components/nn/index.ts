/**
 * Modules and layers on tfjs: {@link Module} (the LightningModule), {@link Parameter} and {@link Buffer}, gradients
 * keyed by parameter name ({@link valueAndGrads}) and the types a trainer shares with a module.
 */
export { ModuleError, WeightsError } from './errors.js';
export { valueAndGrads, type ValueAndGrads } from './gradients.js';
export { Layer } from './layer.js';
export { Module } from './module.js';
export type {
  LogOptions,
  LrSchedulerConfig,
  ModuleTrainerLink,
  NormalizedLrSchedulerConfig,
  NormalizedOptimizerConfig,
  OptimizerConfig,
  OptimizersConfig,
  StepOutput,
} from './module-types.js';
export { DEFAULT_OPTIMIZER_NAME, normalizeOptimizers } from './normalize-optimizers.js';
export { Buffer, describeShape, type ModuleTensorOptions, Parameter } from './parameter.js';
export { LayerState } from './layer.state.generated.js';
export { ModuleState } from './module.state.generated.js';
export * from './layers/index.js';
export { linearWeightBound, normalInit, uniformInit } from './init.js';
export { readPlainSafetensors } from './weights/plain-safetensors.js';
export type { WeightsLoadOptions, WeightsLoadResult, WeightsSaveOptions } from './weights/weights.js';
