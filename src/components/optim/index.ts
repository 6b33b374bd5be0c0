/** Optimizer classes (state keyed by parameter name) over the functional update rules in ./functional. */
export { type NamedParameters, Optimizer, OptimizerError, type OptimizerParams, type ParamGroup, type ParamGroupInput } from './optimizer.js';
export { OptimizerState } from './optimizer.state.generated.js';
