import type { LoadPlan } from './load-plan.js';
import type { LoadOptions } from './stateful.js';

/**
 * What `kindling codegen` generates for one `@stateful` class, handed to the decorator:
 * `@stateful(EarlyStoppingState)`. Passing it is how a class gets its generated, reflection-free implementation;
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
  /**
   * Validates the whole `state` against the class's static state type and plans the assignment; `path` names
   * `self` in messages. Nothing is changed until the plan is committed.
   */
  prepareLoad(self: T, state: unknown, path: string, options: LoadOptions): LoadPlan;
}

// Method parameters are bivariant, so every GeneratedState<T, S> is assignable to this.
export type AnyGeneratedState = GeneratedState<never, object>;
