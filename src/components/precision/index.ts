/**
 * Precision plugins: {@link Precision} (the base, Lightning's plugin with empty state and the global checkpoint
 * hooks), {@link Precision32} (`'32-true'`) and {@link DynamicLossScaling} (torch's GradScaler algorithm, which on
 * kindling's float32 backends detects and skips non-finite steps).
 */
export { DynamicLossScaling, type DynamicLossScalingOptions, type TorchGradScalerState } from './dynamic-loss-scaling.js';
export { type CheckpointContents, Precision, type PrecisionName } from './precision.js';
export { Precision32 } from './precision-32.js';
// Generated states (type and value): users' subclasses in other packages compose with them.
export { DynamicLossScalingState } from './dynamic-loss-scaling.state.generated.js';
export { Precision32State } from './precision-32.state.generated.js';
export { PrecisionState } from './precision.state.generated.js';
