/**
 * The component model: a plain, serialisable description of every `@stateful` class the scanner found. Scanning
 * (ts-morph) produces it, emitting (pure text functions) consumes it; nothing here refers to ts-morph, so either
 * side can be replaced or tested alone.
 */
import type { DesignTypeName } from '../src/state/codec.js';
import type { Diagnostic } from './diagnostics.js';

/** A resolved field type, as far as state encoding is concerned. */
export type TypeModel =
  | { readonly kind: 'number' | 'string' | 'boolean' | 'bigint' | 'null' }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | {
      /** An enum: validated by its values; written by name when `ref` says where to import it from. */
      readonly kind: 'enum';
      readonly name: string;
      readonly values: readonly (string | number)[];
      readonly ref?: TypeRef;
      /** Member names when the type is a subset of the enum (`Phase.Train | Phase.Test`), in declaration order. */
      readonly members?: readonly string[];
    }
  | { readonly kind: 'array'; readonly element: TypeModel; readonly readonly: boolean }
  | { readonly kind: 'tuple'; readonly elements: readonly TupleElement[]; readonly readonly: boolean }
  | {
      /** Interfaces, type aliases, object literals, records and index signatures. */
      readonly kind: 'object';
      readonly properties: readonly PropertyModel[];
      /** Type of a string index signature (`Record<string, T>`, `{ [k: string]: T }`), if any. */
      readonly index?: TypeModel;
    }
  | { readonly kind: 'union'; readonly members: readonly TypeModel[] }
  | {
      readonly kind: 'tensor';
      /** Allowed dtypes; empty means any dtype. */
      readonly dtypes: readonly string[];
    }
  | { readonly kind: 'map'; readonly key: TypeModel; readonly value: TypeModel; readonly readonly: boolean }
  | { readonly kind: 'set'; readonly element: TypeModel; readonly readonly: boolean }
  | { readonly kind: 'date' }
  | {
      /**
       * A nested `@stateful` object: saved with its own `stateDict()`, loaded through its own two-phase loader. Either
       * one class (any subclass instance at run time) or a union of classes (`EarlyStopping | Ema`).
       */
      readonly kind: 'stateful';
      /** For messages: `Head`, or `EarlyStopping | Ema` for a union. */
      readonly className: string;
      /** Where each class's generated `<Class>State` type lives (one per union member). */
      readonly states: readonly TypeRef[];
    }
  | {
      /**
       * `@stateful` values held in a collection (`Head[]`, `[Head, Body]`, `Record<string, Head>`, `Map<K, Head>`,
       * `Head | null`): saved with their own `stateDict()`, loaded in place element by element (never constructed).
       */
      readonly kind: 'statefuls';
      readonly shape: StatefulShape;
      /** The element class; one per element for a tuple. */
      readonly elements: readonly StatefulModel[];
      /** A Map's key type (plain: string, number, literals). */
      readonly key?: TypeModel;
      readonly readonly: boolean;
    }
  | {
      /** A plain class instance converted with class-transformer (`@persist({ type: () => C })`). */
      readonly kind: 'instance';
      readonly className: string;
      readonly ref: TypeRef;
    }
  | {
      /**
       * A value of a value kind (src/state/value-kinds.ts): a type branded with the registered kind `name`, or, without
       * `name`, a field with `@persist({ codec })`. Saved, validated and committed by the kind.
       */
      readonly kind: 'valueKind';
      readonly name?: string;
    }
  | {
      /** Opaque plain state data (`@persist({ opaque: true })` on an `unknown`/`any`/`object` field). */
      readonly kind: 'opaque';
    };

export type StatefulModel = Extract<TypeModel, { readonly kind: 'stateful' }>;

export type StatefulShape = 'array' | 'tuple' | 'record' | 'map' | 'nullable';

/**
 * A name to import: `name` from the module at `file` (absolute path of a project file or declaration file), or, with
 * `specifier`, from that package specifier as the user wrote it (`'kindling'`): a library's export.
 */
export interface TypeRef {
  readonly name: string;
  readonly file: string;
  /** The name is declared in the generated file of `file` (a State type), not in `file` itself. */
  readonly inGenerated?: boolean;
  /** Import from this bare module specifier instead of a path computed from `file`. */
  readonly specifier?: string;
}

export interface TupleElement {
  readonly type: TypeModel;
  readonly optional: boolean;
}

export interface PropertyModel {
  readonly name: string;
  readonly type: TypeModel;
  readonly optional: boolean;
}

/** One `@persist` field. */
export interface FieldModel {
  /** Property on the instance. */
  readonly property: string;
  /** Key in the state dict (`@persist({ name })`, default the property). */
  readonly key: string;
  readonly legacyNames: readonly string[];
  /** `@persist({ optional: true })`: the key may be absent and the field then keeps its value. */
  readonly optional: boolean;
  /** The field is declared `x?: T` or its type includes `undefined`: undefined is saved as an absent key. */
  readonly undefinable: boolean;
  /** The field's type without `undefined`. */
  readonly type: TypeModel;
  /** `@persist({ opaque: true })`. */
  readonly opaque?: boolean;
  /** `@persist({ type: () => C })` (class-transformer). */
  readonly converted?: boolean;
  /** `@persist({ resizable: true })`: loaded tensors may replace live ones of another shape. */
  readonly resizable?: boolean;
  /** `@persist({ codec })`: the field's value kind is given in the decorator. */
  readonly codec?: boolean;
  /** The `design:type` all toolchains emit for the field's annotation, when they agree (the run-time check uses it). */
  readonly design?: DesignTypeName;
  /** The class whose body declares the field. */
  readonly owner: string;
  /** Where the field is declared (for diagnostics about it). */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ComponentModel {
  readonly className: string;
  /** Absolute path of the source file. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Nearest `@stateful` ancestor whose generated State type this one extends. */
  readonly base?: { readonly className: string; readonly state: TypeRef; readonly fields: readonly string[] };
  /**
   * The nearest `@stateful` ancestor declared in a declaration file (a library class): the generator cannot see its
   * fields, so the generated code composes with its generated state (`state`, a value and a type) at run time.
   */
  readonly composes?: { readonly className: string; readonly state: TypeRef };
  /**
   * Every persisted field the generator sees, in state order: ancestors' first; a re-declared field keeps its
   * ancestor's position. Fields of `composes` (and its ancestors) are not among them.
   */
  readonly fields: readonly FieldModel[];
  /** `@stateful(X, { legacyKeys })`. */
  readonly legacyKeys: readonly string[];
  /** Whether the class is wired to its generated state (`@stateful(XState)`). */
  readonly wired: boolean;
}

/** Every component of one source file: one generated file. */
export interface SourceModel {
  /** Absolute path. */
  readonly file: string;
  readonly components: readonly ComponentModel[];
}

export interface ProjectModel {
  /** Directory paths in messages and headers are relative to (the tsconfig's directory). */
  readonly root: string;
  readonly sources: readonly SourceModel[];
  readonly diagnostics: readonly Diagnostic[];
  /** Generated files found in scope, for orphan detection (absolute paths). */
  readonly existingGenerated: readonly string[];
  /** Source files with @stateful classes that have errors: nothing is generated for them (their old output stays). */
  readonly failedSources: readonly string[];
  /** Whether the project is the kindling package itself (runtime imported relatively under src/). */
  readonly isKindlingItself: boolean;
}
