/**
 * Helpers only generated code uses (`kindling codegen` output imports them as `generatedRuntime`). Not a user API:
 * names may change with the generator, which is why generated files are regenerated, never edited.
 */
export type { CheckContext, Codec } from './codec.js';
export * from './containers.js';
export * from './places.js';
export { persistedCodec } from './field-codec.js';
export * from './scalars.js';
export * from './special.js';
export * from './stateful-slots.js';
export { ABSENT, type Absent, type Presence, StateLoad } from './state-load.js';
export { nestedStateDict } from '../save-guard.js';
export { loadTensorValue } from '../values.js';
