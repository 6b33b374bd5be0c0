// The user API of `kindling` (docs/api.md lists it). Generated code and integrations import the rest of the state
// layer from `kindling/runtime` (src/runtime/index.ts).
export type { GeneratedState } from './codec.js';
export { persist, stateful } from './decorators.js';
export { loadStateDictInto, stateDictOf } from './engine.js';
export { formatIssue, StaleGenerationError, StateDeclarationError, StateError, type StateIssue } from './errors.js';
export * from './limits.js';
export { type LoadPlan, prepareLoad } from './load-plan.js';
export { prepareAll, restoreAll, type RestoreTargets } from './restore.js';
export type { Constructor, PersistOptions, StatefulOptions } from './metadata.js';
export { type GeneratedStateWithShims, LEGACY_HOOK_RETURN_WARNING, type StateSection, type StateShims } from './shims.js';
export * from './stateful.js';
export * from './tensor.js';
export {
  INVALID,
  type Invalid,
  registerValueKind,
  UnregisteredValueKindError,
  VALUE_KIND,
  type ValueKind,
  type ValueKindBrand,
  type ValueKindState,
  type ValueKindStates,
} from './value-kinds.js';
