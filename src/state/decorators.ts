import type { GeneratedState } from './codec.js';
import { StaleGenerationError, StateDeclarationError } from './errors.js';
import { prepareReflectiveLoad, stateDictOf } from './engine.js';
import { loadAtomically, PREPARE_LOAD, type PrepareLoad } from './load-plan.js';
import {
  addPersistedField,
  type Constructor,
  nearestStatefulClass,
  type PersistOptions,
  persistedFields,
  setStatefulClassInfo,
  type StatefulOptions,
  statefulClassInfo,
} from './metadata.js';
import type { LoadOptions, LoadResult } from './stateful.js';

/**
 * Declares a field as part of its class's state. Options: `name`, `legacyNames`, `optional`, `type`
 * (see {@link PersistOptions}).
 */
export function persist(options: PersistOptions = {}): PropertyDecorator {
  return (prototype, property) => {
    if (typeof property === 'symbol') {
      throw new TypeError(`@persist() cannot be used on symbol property ${String(property)}: state keys are strings`);
    }
    const ctor = (prototype as { constructor: Constructor }).constructor;
    addPersistedField(ctor, {
      property,
      key: options.name ?? property,
      legacyNames: [...(options.legacyNames ?? [])],
      optional: options.optional ?? false,
      ...(options.type ? { type: options.type } : {}),
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
 *   defined, that the generated field list matches the `@persist` fields, and throws naming the class if not.
 * - `@stateful()`: the reflective engine, driven by the decorator metadata (no codegen needed, untyped state).
 *
 * A class that writes its own `stateDict`/`loadStateDict` keeps them.
 */
export function stateful<T extends object>(
  generated?: GeneratedState<T, object>,
  options: StatefulOptions = {},
): (target: Constructor<T>) => void {
  return (target) => {
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

function checkGeneratedFields(target: Constructor, generated: GeneratedState<never, object>): void {
  const declared = persistedFields(target).map((f) => f.property);
  if (generated.className !== target.name) {
    throw new StaleGenerationError(
      target.name,
      `@stateful() was given the generated state of ${generated.className} (from ${generated.source})`,
    );
  }
  if (declared.length !== generated.fields.length || declared.some((p, i) => p !== generated.fields[i])) {
    throw new StaleGenerationError(
      target.name,
      `generated state code is stale: @persist fields are [${declared.join(', ')}] but the generated code ` +
        `(from ${generated.source}) has [${generated.fields.join(', ')}]`,
    );
  }
}

type StateMethods = {
  stateDict(this: object): object;
  loadStateDict: ((this: object, state: unknown, options?: LoadOptions) => LoadResult) & { [PREPARE_LOAD]: PrepareLoad };
};

function installMethods(target: Constructor, generated: GeneratedState<never, object> | undefined): void {
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
          return generated.stateDict(this as never);
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
 * silently lose those fields: refuse instead.
 */
function assertCovered(instance: object, target: Constructor): void {
  const ctor = instance.constructor as Constructor;
  if (ctor === target || covered.has(ctor)) return;
  if (nearestStatefulClass(ctor) === target && persistedFields(ctor).length !== persistedFields(target).length) {
    throw new StaleGenerationError(
      ctor.name,
      `it adds @persist fields to ${target.name} but is not decorated with @stateful(), so they would not be saved`,
    );
  }
  covered.add(ctor);
}

/** The generated state a class was decorated with, if any. */
export function generatedStateOf(ctor: Constructor): GeneratedState<never, object> | undefined {
  return statefulClassInfo(ctor)?.generated;
}
