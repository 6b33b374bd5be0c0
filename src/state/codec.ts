import type { StateLoad } from './generated-runtime/state-load.js';
import type { LoadPlan } from './load-plan.js';
import type { LoadOptions } from './stateful.js';

/**
 * What `kindling codegen` generates for one `@stateful` class, handed to the decorator:
 * `@stateful(EarlyStoppingState)`. Passing it is how a class gets its generated, reflection-free implementation;
 * the decorator compares `fields` with the `@persist` metadata when the class is defined, so a stale generation
 * fails loudly at start-up instead of silently dropping a field or loading a value of the wrong type.
 */
export interface GeneratedState<T extends object, S extends object> {
  /** The class the code was generated for. */
  readonly className: string;
  /** Source file, relative to the project root, for messages. */
  readonly source: string;
  /**
   * The generated state of a base class this one composes with at run time: a `@stateful` class from a library
   * (a declaration file), whose fields the generator cannot see. Its fields are saved and loaded by its own code.
   */
  readonly base?: AnyGeneratedState;
  /**
   * Persisted fields in state order (inherited ones first, except those of `base`), as the generator saw them: what
   * the decorator compares with the `@persist` metadata when the class is defined.
   */
  readonly fields: readonly FieldFingerprint[];
  /** Component-level keys older checkpoints may store this class's state under (class name, snake_case, …). */
  readonly legacyKeys: readonly string[];
  /** Every key the state may hold (current keys and legacy names, `base`'s included); others are unexpected. */
  readonly keys?: ReadonlySet<string>;
  stateDict(self: T): S;
  /**
   * Validates the whole `state` against the class's static state type and plans the assignment; `path` names
   * `self` in messages. Nothing is changed until the plan is committed.
   */
  prepareLoad(self: T, state: unknown, path: string, options: LoadOptions): LoadPlan;
  /**
   * Reads and validates this class's fields from a load another class's generated code started (a subclass composing
   * with this one); returns the commit, which only assigns. Generated code always has it; `prepareLoad` is built
   * from it.
   */
  loadFields?(self: T, load: StateLoad): () => void;
}

/**
 * One persisted field as the generator saw it: the property name alone when every option has its default and the
 * design type is not one all toolchains agree on, otherwise the options that differ and `design`.
 */
export type FieldFingerprint = string | FieldDescription;

export interface FieldDescription {
  readonly property: string;
  /** `@persist({ name })`, when it differs from the property. */
  readonly key?: string;
  /** `@persist({ legacyNames })`, when not empty (order matters: the first one present is loaded). */
  readonly legacyNames?: readonly string[];
  /** `@persist({ optional: true })`. */
  readonly optional?: true;
  /** `@persist({ opaque: true })`. */
  readonly opaque?: true;
  /** `@persist({ type: () => C })`: converted with class-transformer. */
  readonly instance?: true;
  /** `@persist({ resizable: true })`. */
  readonly resizable?: true;
  /** `@persist({ codec })`: the field's value kind is the one given in the decorator. */
  readonly codec?: true;
  /**
   * The `design:type` every toolchain that emits one gives this field's annotation (`Number`, `String`, `Boolean`,
   * `BigInt`, `Array`, `Map`, `Set`, `Date`); absent where tsc and oxc disagree or the annotation says nothing.
   */
  readonly design?: DesignTypeName;
}

export type DesignTypeName = 'Number' | 'String' | 'Boolean' | 'BigInt' | 'Array' | 'Map' | 'Set' | 'Date';

// Method parameters are bivariant, so every GeneratedState<T, S> is assignable to this.
export type AnyGeneratedState = GeneratedState<never, object>;
