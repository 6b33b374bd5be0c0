import 'reflect-metadata';
import type { AnyGeneratedState } from './codec.js';

/** A class constructor, abstract or not, with any constructor parameters. */
export type Constructor<T = object> = abstract new (...args: never[]) => T;

/** Options of `@persist()`. The code generator reads the same options statically from source. */
export interface PersistOptions {
  /** Key in the state dict; defaults to the field name. */
  readonly name?: string;
  /** Older keys accepted on load (renamed fields, snake_case keys of older checkpoints). Never written. */
  readonly legacyNames?: readonly string[];
  /** The key may be absent on load; the field then keeps its current value. */
  readonly optional?: boolean;
  /** The class of a nested value that is not itself `@stateful` (converted with class-transformer). */
  readonly type?: () => Constructor;
  /**
   * The field holds plain state data whose shape is not known statically (an `unknown`, `any` or `object` field):
   * `kindling codegen` then copies it without checking its shape instead of reporting KC1003. Opt-in, because it
   * gives up the type guarantees of the state.
   */
  readonly opaque?: boolean;
}

/** Options of `@stateful()`. */
export interface StatefulOptions {
  /** Extra component-level keys older checkpoints may use for this class's state. */
  readonly legacyKeys?: readonly string[];
}

/** One persisted field as recorded by `@persist`. */
export interface PersistedField {
  /** The property on the instance. */
  readonly property: string;
  /** The key in the state dict. */
  readonly key: string;
  readonly legacyNames: readonly string[];
  readonly optional: boolean;
  readonly type?: () => Constructor;
  /** `design:type` as emitted by the compiler: coarse (Object for unions), informative only. */
  readonly designType: unknown;
  /** The class whose body declared the decorator. */
  readonly owner: Constructor;
}

/** What `@stateful` records about a class. */
export interface StatefulClassInfo {
  readonly className: string;
  readonly generated?: AnyGeneratedState;
  readonly legacyKeys: readonly string[];
}

// Symbols rather than strings: two copies of kindling in one process must not read each other's metadata by accident,
// and Symbol.for keeps one copy's decorators readable by the same version loaded twice (e.g. src and dist in tests).
const FIELDS = Symbol.for('kindling:persist-fields');
const CLASS = Symbol.for('kindling:stateful-class');

/** Fields declared with `@persist` in this class's own body (not its parents'). */
export function ownPersistedFields(ctor: Constructor): readonly PersistedField[] {
  return (Reflect.getOwnMetadata(FIELDS, ctor) as PersistedField[] | undefined) ?? [];
}

/**
 * Every persisted field of a class: its ancestors' first (outermost ancestor first), then its own. A subclass that
 * re-declares a field with `@persist` replaces the parent's entry in place, keeping the parent's position.
 */
export function persistedFields(ctor: Constructor): readonly PersistedField[] {
  const chain: Constructor[] = [];
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    chain.unshift(c as Constructor);
  }
  const out: PersistedField[] = [];
  for (const c of chain) {
    for (const f of ownPersistedFields(c)) {
      const at = out.findIndex((o) => o.property === f.property);
      if (at >= 0) out[at] = f;
      else out.push(f);
    }
  }
  return out;
}

/** Records one persisted field on `ctor` only; the parent's metadata is never written (copy on write). */
export function addPersistedField(ctor: Constructor, field: PersistedField): void {
  const own = ownPersistedFields(ctor).filter((f) => f.property !== field.property);
  Reflect.defineMetadata(FIELDS, [...own, field], ctor);
}

export function statefulClassInfo(ctor: Constructor): StatefulClassInfo | undefined {
  return Reflect.getOwnMetadata(CLASS, ctor) as StatefulClassInfo | undefined;
}

export function setStatefulClassInfo(ctor: Constructor, info: StatefulClassInfo): void {
  Reflect.defineMetadata(CLASS, info, ctor);
}

/** Whether the class itself (not only an ancestor) is decorated with `@stateful`. */
export function isStatefulClass(ctor: unknown): ctor is Constructor {
  return typeof ctor === 'function' && statefulClassInfo(ctor as Constructor) !== undefined;
}

/** The nearest `@stateful` class in the prototype chain of `ctor`, itself included. */
export function nearestStatefulClass(ctor: Constructor): Constructor | undefined {
  for (let c: unknown = ctor; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (isStatefulClass(c)) return c;
  }
  return undefined;
}
