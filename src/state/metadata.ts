import 'reflect-metadata';
import type { AnyGeneratedState } from './codec.js';
import type { AnyValueKind } from './value-kinds.js';

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
  /**
   * A tensor loaded into this field may have another shape than the live one, which it then replaces (with a copy).
   * Without it, a tensor loads into the live tensor, and a shape that differs is an error naming both shapes.
   */
  readonly resizable?: boolean;
  /**
   * A one-off value kind for this field (see docs/tensors.md, "Value kinds"): how its value is saved, validated and
   * committed. The alternative to registering a kind and branding a class with it.
   */
  readonly codec?: AnyValueKind;
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
  /** `@persist({ opaque: true })`. */
  readonly opaque?: boolean;
  /** `@persist({ resizable: true })`. */
  readonly resizable?: boolean;
  /** `@persist({ codec })`. */
  readonly codec?: AnyValueKind;
  /**
   * `design:type` as emitted by the compiler: coarse (Object for unions), absent under tsx, and different between
   * tsc and oxc for aliases and enums; compared with generated code only where every toolchain agrees.
   */
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
const SITE = Symbol.for('kindling:declaration-site');

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

/**
 * Remembers where a class with `@persist` fields is declared (a stack captured when its first field is decorated;
 * V8 formats it only if it is read), so that a message about the class can name its generated file.
 */
export function recordDeclarationSite(ctor: Constructor): void {
  if (!Reflect.hasOwnMetadata(SITE, ctor)) Reflect.defineMetadata(SITE, new Error('declaration site'), ctor);
}

// Frames of this directory (the decorators), of dependencies (reflect-metadata, decorator helpers, including the one
// vitest's oxc transform serves from a virtual `@oxc-project` path) and of Node itself come before the frame of the
// module that declares the class.
const OWN_DIR = new URL('.', import.meta.url).href;
const HELPERS = /\/node_modules\/|@oxc-project|^node:/;

/** `/a/b.ts` from `at f (/a/b.ts:3:4)`, `at file:///a/b.ts:3:4` or `at /a/b.ts:3:4`. */
function frameFile(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('at ')) return undefined;
  const inner = text.endsWith(')') && text.includes('(') ? text.slice(text.lastIndexOf('(') + 1, -1) : text.slice(3);
  return /^(.*?)(?::\d+){1,2}$/.exec(inner)?.[1];
}

/** The base name of the file that declares `ctor` (`early-stopping` for `…/early-stopping.ts`), when it can be told. */
export function declarationSite(ctor: Constructor): string | undefined {
  const site = Reflect.getOwnMetadata(SITE, ctor) as Error | undefined;
  for (const line of (site?.stack ?? '').split('\n').slice(1)) {
    const file = frameFile(line);
    if (file === undefined || HELPERS.test(file)) continue;
    const url = file.startsWith('file://') ? file : `file://${file}`;
    if (url.startsWith(OWN_DIR)) continue;
    const name = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
    return name.replace(/\.(m|c)?(t|j)sx?$/, '');
  }
  return undefined;
}
