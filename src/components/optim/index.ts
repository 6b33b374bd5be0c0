/** Optimizer classes (state keyed by parameter name) over the functional update rules in ./functional. */
export { type NamedParameters, Optimizer, OptimizerError, type OptimizerParams, type ParamGroup, type ParamGroupInput } from './optimizer.js';
export { OptimizerState } from './optimizer.state.generated.js';
export { SGD, type SGDOptions, type SGDParamGroup, type SGDParamState } from './sgd.js';
export { Adam, type AdamParamGroup, type AdamParamState } from './adam.js';
export { AdamW } from './adamw.js';
export { SGDState } from './sgd.state.generated.js';
export { AdamState } from './adam.state.generated.js';
export { AdamWState } from './adamw.state.generated.js';
