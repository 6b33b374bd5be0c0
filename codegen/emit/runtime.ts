/**
 * The runtime-imports table: every name generated code takes from kindling's runtime, written `$rt.<name>` after one
 * `import * as $rt from 'kindling/runtime'`. The names come from the runtime module itself: value names are typed
 * `keyof typeof Runtime`, type names by the type-only import below, so renaming anything in src/runtime/index.ts
 * without updating the emitter fails to compile (test/codegen/unit/runtime-table.test.ts checks the same against the
 * module's exported declarations). Emitters never spell a runtime name in a string.
 */
import type * as Runtime from '../../src/runtime/index.js';
import type { GeneratedStateWithShims, LoadOptions, LoadResult, Tensor, ValueKindState } from '../../src/runtime/index.js';

/** The local name of the runtime namespace in generated files (reserved: user names never take it). */
export const RUNTIME_NAMESPACE = '$rt';

/** The runtime's package entry, imported by generated files outside kindling's own `src/`. */
export const RUNTIME_MODULE = 'kindling/runtime';

export type RuntimeValue = Extract<keyof typeof Runtime, string>;

/** The runtime types generated code refers to. */
interface RuntimeTypes {
  GeneratedStateWithShims: GeneratedStateWithShims<object, object>;
  LoadOptions: LoadOptions;
  LoadResult: LoadResult;
  Tensor: Tensor;
  ValueKindState: ValueKindState<string>;
}

export type RuntimeType = keyof RuntimeTypes;

/** Every runtime type name the emitter may use (for the table test). */
export const RUNTIME_TYPES: readonly RuntimeType[] = ['GeneratedStateWithShims', 'LoadOptions', 'LoadResult', 'Tensor', 'ValueKindState'];

/** A runtime value or type as generated code writes it: `$rt.StateLoad`, `$rt.LoadOptions`. */
export function rt(name: RuntimeValue | RuntimeType): string {
  return `${RUNTIME_NAMESPACE}.${name}`;
}
