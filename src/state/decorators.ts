import type { AnyGeneratedState, DesignTypeName, FieldDescription, FieldFingerprint, GeneratedState } from './codec.js';
import { StaleGenerationError, StateDeclarationError } from './errors.js';
import { prepareReflectiveLoad, stateDictOf } from './engine.js';
import { loadAtomically, PREPARE_LOAD, type PrepareLoad } from './load-plan.js';
import { guardSave } from './save-guard.js';
import {
  addPersistedField,
  type Constructor,
  declarationSite,
  nearestStatefulClass,
  type PersistedField,
  type PersistOptions,
  persistedFields,
  recordDeclarationSite,
  setStatefulClassInfo,
  type StatefulOptions,
  statefulClassInfo,
} from './metadata.js';
import type { LoadOptions, LoadResult } from './stateful.js';

/**
 * Declares a field as part of its class's state. Options: `name`, `legacyNames`, `optional`, `type`, `opaque`
 * (see {@link PersistOptions}).
 */
export function persist(options: PersistOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    refuseStandardDecorators(property, `field ${describeDecorated(property)}`);
    if (typeof property === 'symbol') {
      throw new TypeError(`@persist() cannot be used on symbol property ${String(property)}: state keys are strings`);
    }
    const ctor = (prototype as { constructor: Constructor }).constructor;
    recordDeclarationSite(ctor);
    addPersistedField(ctor, {
      property,
      key: options.name ?? property,
      legacyNames: [...(options.legacyNames ?? [])],
      optional: options.optional ?? false,
      ...(options.type ? { type: options.type } : {}),
      ...(options.opaque ? { opaque: true } : {}),
      ...(options.resizable ? { resizable: true } : {}),
      ...(options.codec ? { codec: options.codec } : {}),
      designType: Reflect.getMetadata('design:type', prototype, property),
      owner: ctor,
    });
  };
}

/**
 * Declares a class stateful and gives it `stateDict()`/`loadStateDict()`.
 *
 * - `@stateful(XGenerated)`: the generated, reflection-free implementation written by `kindling codegen`
 *   (the generated file also gives the methods their precise types). The decorator checks here, when the class is
 *   defined, that the generated fields match the `@persist` fields (names, keys, options and, where every toolchain
 *   agrees on it, the design type), and throws naming the class if not.
 * - `@stateful()`: the reflective engine, driven by the decorator metadata (no codegen needed, untyped state).
 *
 * A class that writes its own `stateDict`/`loadStateDict` keeps them.
 */
export function stateful<T extends object>(
  generated?: GeneratedState<T, object>,
  options: StatefulOptions = {},
): (target: Constructor<T>) => void {
  return (target, ...rest: unknown[]) => {
    refuseStandardDecorators(rest[0], target.name);
    const className = target.name;
    checkDistinctKeys(target);
    if (generated) checkGeneratedFields(target, generated);
    setStatefulClassInfo(target, {
      className,
      ...(generated ? { generated } : {}),
      legacyKeys: [...(options.legacyKeys ?? [])],
    });
    installMethods(target, generated);
  };
}

/**
 * kindling's decorators are TypeScript's legacy (experimental) decorators. A file compiled with standard decorators
 * (a tsconfig without `experimentalDecorators`, or a file outside the tsconfig's `include` that a runner such as tsx
 * compiles with its defaults) calls them with a context object instead of a property name: say what to set, rather
 * than fail on an undefined prototype.
 */
function refuseStandardDecorators(second: unknown, where: string): void {
  if (typeof second !== 'object' || second === null || !('kind' in second)) return;
  throw new StateDeclarationError(
    where,
    'this file was compiled with standard (TC39) decorators, and kindling uses TypeScript\'s legacy decorators: set ' +
      '"experimentalDecorators": true, "emitDecoratorMetadata": true and "useDefineForClassFields": false in the ' +
      'tsconfig.json that compiles it (or extend kindling/tsconfig.base.json), and check that the file is in its "include"',
  );
}

function describeDecorated(property: unknown): string {
  if (typeof property === 'object' && property !== null && 'name' in property) return String((property as { name: unknown }).name);
  return String(property);
}

/** Two fields under one state key (current or legacy) would overwrite each other's state silently. */
function checkDistinctKeys(target: Constructor): void {
  const owners = new Map<string, string>();
  for (const field of persistedFields(target)) {
    for (const key of [field.key, ...field.legacyNames]) {
      const other = owners.get(key);
      if (other !== undefined && other !== field.property) {
        throw new StateDeclarationError(
          target.name,
          `fields ${other} and ${field.property} both use the state key "${key}"; give one of them another ` +
            '@persist({ name }) or remove the clashing legacy name',
        );
      }
      owners.set(key, field.property);
    }
  }
}

const DESIGN_TYPES: Readonly<Record<DesignTypeName, unknown>> = {
  Number,
  String,
  Boolean,
  BigInt,
  Array,
  Map,
  Set,
  Date,
};

function described(fingerprint: FieldFingerprint): FieldDescription {
  return typeof fingerprint === 'string' ? { property: fingerprint } : fingerprint;
}

/** Every field a generated state covers, a composed base's first. */
function coveredFields(generated: AnyGeneratedState): FieldDescription[] {
  return [...(generated.base ? coveredFields(generated.base) : []), ...generated.fields.map(described)];
}

function designName(designType: unknown): string {
  return typeof designType === 'function' && designType.name ? designType.name : String(designType);
}

/** How one field's `@persist` metadata differs from what the generator saw; empty when they agree. */
function fieldDifferences(field: PersistedField, seen: FieldDescription): string[] {
  const out: string[] = [];
  const property = field.property;
  const key = seen.key ?? seen.property;
  if (field.key !== key) out.push(`${property}'s state key is "${field.key}" but the generated code has "${key}"`);
  const legacy = seen.legacyNames ?? [];
  if (field.legacyNames.length !== legacy.length || field.legacyNames.some((n, i) => n !== legacy[i])) {
    out.push(`${property}'s legacyNames are [${field.legacyNames.join(', ')}] but the generated code has [${legacy.join(', ')}]`);
  }
  const flags: [string, boolean, boolean][] = [
    ['optional: true', field.optional, seen.optional === true],
    ['opaque: true', field.opaque === true, seen.opaque === true],
    ['type: () => …', field.type !== undefined, seen.instance === true],
    ['resizable: true', field.resizable === true, seen.resizable === true],
    ['codec', field.codec !== undefined, seen.codec === true],
  ];
  for (const [option, now, then] of flags) {
    if (now !== then) out.push(`${property} ${now ? 'has' : 'no longer has'} @persist({ ${option} }) but the generated code was written ${then ? 'with' : 'without'} it`);
  }
  // Only design types every toolchain emits alike are in the generated code; a toolchain that emits none (tsx) skips.
  if (seen.design !== undefined && field.designType !== undefined && field.designType !== DESIGN_TYPES[seen.design]) {
    out.push(`${property}'s type is now ${designName(field.designType)} but the generated code was written for ${seen.design}`);
  }
  return out;
}

function stale(target: Constructor, generated: AnyGeneratedState, detail: string): StaleGenerationError {
  return new StaleGenerationError(target.name, `generated state code is stale (from ${generated.source}): ${detail}`);
}

function checkGeneratedFields(target: Constructor, generated: AnyGeneratedState): void {
  if (generated.className !== target.name) {
    throw new StaleGenerationError(
      target.name,
      `@stateful() was given the generated state of ${generated.className} (from ${generated.source})`,
    );
  }
  const base = generated.base;
  if (base !== undefined) checkComposedBase(target, generated, base);
  const declared = persistedFields(target);
  const seen = coveredFields(generated);
  const names = (list: readonly { property: string }[]) => list.map((f) => f.property);
  if (declared.length !== seen.length || declared.some((f, i) => f.property !== seen[i]!.property)) {
    throw stale(target, generated, `@persist fields are [${names(declared).join(', ')}] but the generated code has [${names(seen).join(', ')}]`);
  }
  // A composed base's fields were checked when the base class was defined.
  const ownFrom = seen.length - generated.fields.length;
  const differences = declared.slice(ownFrom).flatMap((f, i) => fieldDifferences(f, seen[ownFrom + i]!));
  if (differences.length > 0) throw stale(target, generated, differences.join('; '));
}

/** A composed base must be the generated state of an ancestor, and its fields are not re-declared here. */
function checkComposedBase(target: Constructor, generated: AnyGeneratedState, base: AnyGeneratedState): void {
  let ancestor: unknown = Object.getPrototypeOf(target);
  while (typeof ancestor === 'function' && generatedStateOf(ancestor as Constructor) !== base) ancestor = Object.getPrototypeOf(ancestor);
  if (typeof ancestor !== 'function') {
    throw new StaleGenerationError(
      target.name,
      `its generated code (from ${generated.source}) composes with the state of ${base.className}, which is not a base class of it`,
    );
  }
  const inherited = new Set(coveredFields(base).map((f) => f.property));
  const redeclared = generated.fields.map(described).filter((f) => inherited.has(f.property));
  if (redeclared.length > 0) {
    const list = redeclared.map((f) => f.property).join(', ');
    throw new StateDeclarationError(
      target.name,
      `it re-declares the @persist field(s) ${list} of its library base class ${base.className}, whose generated code ` +
        'saves and loads them; remove @persist from the re-declaration (the field stays persisted by the base class)',
    );
  }
}

type StateMethods = {
  stateDict(this: object): object;
  loadStateDict: ((this: object, state: unknown, options?: LoadOptions) => LoadResult) & { [PREPARE_LOAD]: PrepareLoad };
};

function installMethods(target: Constructor, generated: AnyGeneratedState | undefined): void {
  const proto = target.prototype as Partial<StateMethods>;
  const own = (name: keyof StateMethods) => Object.prototype.hasOwnProperty.call(proto, name);
  const prepare: PrepareLoad = generated
    ? (self, state, path, options) => {
        assertCovered(self, target);
        return generated.prepareLoad(self as never, state, path, options);
      }
    : prepareReflectiveLoad;
  const methods: StateMethods = {
    stateDict: generated
      ? function (this: object) {
          assertCovered(this, target);
          return guardSave(this, this.constructor.name, () => generated.stateDict(this as never));
        }
      : function (this: object) {
          return stateDictOf(this);
        },
    loadStateDict: Object.assign(
      function (this: object, state: unknown, options: LoadOptions = {}) {
        return loadAtomically(() => prepare(this, state, this.constructor.name, options));
      },
      { [PREPARE_LOAD]: prepare },
    ),
  };
  // A class that writes its own stateDict/loadStateDict keeps them. The two-phase loader travels on the installed
  // loadStateDict itself, so nested loads use it exactly when that method is the one in effect.
  if (!own('stateDict')) define(proto, 'stateDict', methods.stateDict);
  if (!own('loadStateDict')) define(proto, 'loadStateDict', methods.loadStateDict);
}

function define(proto: object, name: PropertyKey, value: unknown): void {
  Object.defineProperty(proto, name, { value, writable: true, configurable: true, enumerable: false });
}

const covered = new WeakSet<object>();

/**
 * A subclass that adds `@persist` fields but is not itself `@stateful` would inherit its parent's generated code and
 * silently lose those fields: refuse instead, saying what to add.
 */
function assertCovered(instance: object, target: Constructor): void {
  const ctor = instance.constructor as Constructor;
  if (ctor === target || covered.has(ctor)) return;
  if (nearestStatefulClass(ctor) === target) {
    // Metadata records are shared, never copied: a field the generated code does not cover is a record of its own.
    const known = new Set(persistedFields(target));
    const added = persistedFields(ctor).filter((f) => !known.has(f));
    if (added.length > 0) throw notStateful(ctor, target, added);
  }
  covered.add(ctor);
}

function notStateful(ctor: Constructor, target: Constructor, added: readonly PersistedField[]): StateDeclarationError {
  const name = `${ctor.name}State`;
  const file = declarationSite(ctor);
  const from = file === undefined ? 'the .state.generated.js file beside its source file' : `'./${file}.state.generated.js'`;
  return new StateDeclarationError(
    ctor.name,
    `it declares @persist fields (${added.map((f) => f.property).join(', ')}) but is not decorated with @stateful, so the ` +
      `generated code it inherits from ${target.name} would not save them: add @stateful(${name}) to the class, with ` +
      `import { ${name} } from ${from}, and run \`npx kindling codegen\``,
  );
}

/** The generated state a class was decorated with, if any. */
export function generatedStateOf(ctor: Constructor): AnyGeneratedState | undefined {
  return statefulClassInfo(ctor)?.generated;
}
