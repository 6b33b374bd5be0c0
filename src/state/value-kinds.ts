/**
 * Value kinds: the state layer's extension point for values it must not know by name (tfjs `Variable` parameters,
 * which only `src/components` may import). A kind says how a live field value is saved, how a saved value is checked
 * against the live one, and how it is applied (in place where it can be). Registered kinds are found by name by
 * generated code (`$rt.placeKind('kindling.Parameter')`) and by value by the reflective engine.
 *
 * A class whose instances are of a kind carries a type-level brand so that `kindling codegen`, which reads types and
 * never runs code, recognises fields of that class, also from the `.d.ts` files of an installed package:
 *
 *   class Parameter implements ValueKindBrand<'kindling.Parameter'> {
 *     declare readonly [VALUE_KIND]?: 'kindling.Parameter';
 *   }
 */
import type { StateIssue } from './errors.js';
import type { Tensor } from './tensor.js';

/** The property key of the brand. A symbol, so the brand never collides with a user property or shows in `Object.keys`. */
export const VALUE_KIND: unique symbol = Symbol.for('kindling:value-kind') as never;

/** What a kind's `validate` returns for a value it refused (after reporting why). */
export const INVALID: unique symbol = Symbol.for('kindling:invalid') as never;
export type Invalid = typeof INVALID;

/** The type-level brand of a class whose instances are of the value kind `N` (nothing exists at run time). */
export interface ValueKindBrand<N extends string> {
  readonly [VALUE_KIND]?: N;
}

export interface ValueKind<V extends object, S = Tensor> {
  /** Unique, namespaced: `kindling.Parameter`. Generated code refers to the kind by this name. */
  readonly name: string;
  /** For messages: `Parameter (float32 tensor)`. */
  readonly expected: string;
  /** Whether a live field value is of this kind (e.g. `value instanceof Parameter`). */
  isValue(value: unknown): value is V;
  /** Field value → state value (for parameters a kindling `Tensor`; may share memory, like tensors in `stateDict()`). */
  save(value: V): S;
  /**
   * Validates `state` for the field whose live value is `current` (undefined when the field holds no value of this
   * kind). Records problems through `report` with full paths (a shape mismatch names both shapes:
   * `Mlp.fc1.weight: expected float32[128,784], got float32[64,784]`). Must not mutate anything. Returns the value
   * commit receives: commit never reads `state` again.
   */
  validate(state: unknown, current: V | undefined, path: string, report: (issue: StateIssue) => void): S | Invalid;
  /** Applies a validated value; returns the field's value afterwards (the same object when loaded in place). */
  commit(validated: S, current: V | undefined): V;
}

// Method parameters are bivariant, so every ValueKind<V, S> is assignable to this.
export type AnyValueKind = ValueKind<object, unknown>;

/**
 * The state type of each registered kind, by name, for generated State types (`$rt.ValueKindState<'x.Y'>`). A package
 * registering a kind whose state is not a `Tensor` adds to it:
 * `declare module 'kindling' { interface ValueKindStates { 'x.Y': number[] } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: augmented by packages that register kinds
export interface ValueKindStates {}

/** The saved form of the kind `N`: what {@link ValueKindStates} says, else a `Tensor`. */
export type ValueKindState<N extends string> = N extends keyof ValueKindStates ? ValueKindStates[N] : Tensor;

const registry = new Map<string, AnyValueKind>();

/** Registers a kind under its name; throws when another kind has the name. */
export function registerValueKind(kind: AnyValueKind): void {
  if (typeof kind.name !== 'string' || kind.name === '') throw new TypeError('registerValueKind: a kind needs a non-empty name');
  const existing = registry.get(kind.name);
  if (existing !== undefined && existing !== kind) {
    throw new TypeError(`registerValueKind: a value kind named '${kind.name}' is already registered`);
  }
  registry.set(kind.name, kind);
}

/** Thrown where a field's value kind is needed but no kind of that name was registered. */
export class UnregisteredValueKindError extends Error {
  override readonly name = 'UnregisteredValueKindError';
  constructor(readonly kindName: string) {
    super(
      `value kind '${kindName}' is not registered: register it with registerValueKind() before saving or loading ` +
        `(kinds named 'kindling.*' are registered by \`import 'kindling'\`)`,
    );
  }
}

/** The kind registered under `name`; throws {@link UnregisteredValueKindError} when there is none. */
export function valueKindNamed(name: string): AnyValueKind {
  const kind = registry.get(name);
  if (kind === undefined) throw new UnregisteredValueKindError(name);
  return kind;
}

/** The registered kind a live value is of, if any (the reflective engine's view; generated code goes by name). */
export function valueKindOf(value: object): AnyValueKind | undefined {
  for (const kind of registry.values()) if (kind.isValue(value)) return kind;
  return undefined;
}

/** Whether any kind is registered (lets the reflective engine skip the lookup on every object). */
export function hasValueKinds(): boolean {
  return registry.size > 0;
}
