/**
 * `kindling/runtime`: what generated state code imports (`import * as $rt from 'kindling/runtime'`), and the
 * low-level pieces of the state layer that integrations build on (metadata writers, two-phase load plumbing, path
 * helpers). Not the user API, which is `kindling` (listed in docs/api.md): names here may change with the generator,
 * which is why generated files are regenerated, never edited.
 */
export * from '../state/generated-runtime/index.js';
export { defineState, loadBase, type StateDefinition } from './define-state.js';
export type { AnyGeneratedState, DesignTypeName, FieldDescription, FieldFingerprint, GeneratedState } from '../state/codec.js';
export { generatedStateOf } from '../state/decorators.js';
export { prepareReflectiveLoad } from '../state/engine.js';
export { readOnce } from '../state/read-state.js';
export { constructorName, describeValue, joinIndex, joinKey } from '../state/errors.js';
export { fillTensor, loadAtomically, plan, PREPARE_LOAD, type PrepareLoad, runLoad } from '../state/load-plan.js';
export {
  addPersistedField,
  type Constructor,
  isStatefulClass,
  nearestStatefulClass,
  ownPersistedFields,
  type PersistedField,
  persistedFields,
  setStatefulClassInfo,
  type StatefulClassInfo,
  statefulClassInfo,
} from '../state/metadata.js';
export { createStateShims, type GeneratedStateWithShims, type StateSection, type StateShims, withShims } from '../state/shims.js';
export type { LoadOptions, LoadResult } from '../state/stateful.js';
export type { Tensor } from '../state/tensor.js';
export * from '../state/values.js';
export { INVALID, type Invalid, type ValueKindState, type ValueKindStates } from '../state/value-kinds.js';
