/**
 * Learning-rate schedulers with torch 1.13's semantics in camelCase: {@link StepLR}, {@link MultiStepLR},
 * {@link ExponentialLR}, {@link CosineAnnealingLR}, {@link LinearLR}, {@link OneCycleLR}, {@link SequentialLR} and
 * {@link ReduceLROnPlateau}. Each drives an optimizer's param groups through {@link ParamGroupsHolder} and keeps only
 * plain data as (generated) state; see param-groups.ts for the keys a scheduler reads and writes.
 */
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr.js';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr.js';
export { LinearLR, type LinearLROptions } from './linear-lr.js';
export { LRScheduler } from './lr-scheduler.js';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr.js';
export { type AnnealStrategy, type OneCyclePhase, OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { type ParamGroupsHolder, type SchedulableParamGroup, SchedulerError } from './param-groups.js';
export { type PlateauMode, ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ThresholdMode } from './reduce-lr-on-plateau.js';
export { SequentialLR, type SequentialLROptions } from './sequential-lr.js';
export { StepLR, type StepLROptions } from './step-lr.js';
// Generated states (type and value): users' subclasses in other packages compose with them.
export { CosineAnnealingLRState } from './cosine-annealing-lr.state.generated.js';
export { ExponentialLRState } from './exponential-lr.state.generated.js';
export { LinearLRState } from './linear-lr.state.generated.js';
export { LRSchedulerState } from './lr-scheduler.state.generated.js';
export { MultiStepLRState } from './multi-step-lr.state.generated.js';
export { OneCycleLRState } from './one-cycle-lr.state.generated.js';
export { ReduceLROnPlateauState } from './reduce-lr-on-plateau.state.generated.js';
export { SequentialLRState } from './sequential-lr.state.generated.js';
export { StepLRState } from './step-lr.state.generated.js';
