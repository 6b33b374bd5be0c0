export { Callback, type CallbackHookOrder, type StateIdentity, type StateIdentityValue } from './callback.js';
// The generated state (type and value) of Callback: subclasses in other packages compose with it.
export { CallbackState } from './callback.state.generated.js';
export type {
  Metrics,
  RunningStage,
  SaveCheckpointOptions,
  TrainerFn,
  TrainerLrScheduler,
  TrainerModule,
  TrainerOptimizer,
  TrainerState,
  TrainerStatus,
  TrainerView,
} from './trainer-view.js';
export { CallbackConfigError, MonitorNotFoundError } from './errors.js';
export type { MonitorMode } from './monitor.js';
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingReason, type StoppingDecision } from './early-stopping.js';
export { EarlyStoppingState } from './early-stopping.state.generated.js';
export { ModelCheckpoint, type ModelCheckpointOptions, type CheckpointTrigger } from './model-checkpoint/model-checkpoint.js';
export { ModelCheckpointState } from './model-checkpoint/model-checkpoint.state.generated.js';
export { Timer, parseDuration, type TimerOptions, type TimerDuration, type TimerStage } from './timer.js';
export { TimerState } from './timer.state.generated.js';
export { LearningRateMonitor, type LearningRateMonitorOptions } from './learning-rate-monitor.js';
export { ProgressBar, type ProgressBarOptions, type ProgressStream } from './progress/progress-bar.js';
export {
  EMAWeightAveraging,
  type EMAWeightAveragingOptions,
  CURRENT_MODEL_STATE_KEY,
  AVERAGED_WEIGHTS_KEY,
} from './ema-weight-averaging.js';
export { EMAWeightAveragingState } from './ema-weight-averaging.state.generated.js';
export { BackboneFinetuning, type BackboneFinetuningOptions, type ParamGroupRecord, multiplicative } from './backbone-finetuning.js';
export { BackboneFinetuningState } from './backbone-finetuning.state.generated.js';
