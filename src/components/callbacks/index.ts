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
