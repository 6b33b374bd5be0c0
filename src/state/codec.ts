import type { LoadOptions, LoadResult } from './stateful.js';

/**
 * What `kindling codegen` generates for one `@stateful` class, handed to the decorator:
 * `@stateful(EarlyStoppingGenerated)`. Passing it is how a class gets its generated, reflection-free implementation;
 * the decorator compares `fields` with the `@persist` metadata when the class is defined, so a stale generation
 * fails loudly at start-up instead of silently dropping a field.
 */
export interface GeneratedState<T extends object, S extends object> {
  /** The class the code was generated for. */
  readonly className: string;
  /** Source file, relative to the project root, for messages. */
  readonly source: string;
  /** Persisted property names in state order (inherited first), as the generator saw them. */
  readonly fields: readonly string[];
  /** Component-level keys older checkpoints may store this class's state under (class name, snake_case, …). */
  readonly legacyKeys: readonly string[];
  stateDict(self: T): S;
  /** Validates the whole `state` first; on any error throws a `StateError` and leaves `self` untouched. */
  loadStateDict(self: T, state: unknown, options?: LoadOptions): LoadResult;
}

/** A generated state of any class, as stored in metadata. */
// Method parameters are bivariant, so every GeneratedState<T, S> is assignable to this.
export type AnyGeneratedState = GeneratedState<never, object>;
