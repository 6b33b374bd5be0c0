/**
 * Backward-compatible hook shims: the generic half of what the trainer's checkpoint connector calls for components
 * written before `stateDict()`/`loadStateDict()` were standard (the generated part only binds them to a class).
 * They are never installed as `onSaveCheckpoint`/`onLoadCheckpoint`: those global hooks belong to the user.
 */
import type { GeneratedState } from './codec.js';
import { StateError } from './errors.js';
import { loadAtomically } from './load-plan.js';
import type { LoadOptions } from './stateful.js';

/** A checkpoint section that holds component states by key (e.g. `checkpoint.callbacks`). */
export type StateSection = Record<string, unknown>;

export interface StateShims<T extends object, S extends object> {
  /** Writes `self.stateDict()` into `section[key]`. */
  save(self: T, section: StateSection, key: string): void;
  /**
   * Loads the state found under `key`, else under the first legacy key present (class name, its snake_case form,
   * `@stateful(X, { legacyKeys })`), with the usual two-phase load. Returns the key used, or `undefined` when the
   * section holds no state for this component (it then keeps its current state, as in Lightning).
   */
  load(self: T, section: StateSection, key: string, options?: LoadOptions): string | undefined;
  /**
   * For components whose pre-standard `onSaveCheckpoint` returned their state: validates the returned value as this
   * class's state and returns it (it is what gets saved, as the old API did), with a one-time deprecation warning per
   * class. `undefined` (nothing returned) gives `undefined` and no warning.
   */
  fromLegacyHookReturn(self: T, returned: unknown): S | undefined;
}

/** The warning code of {@link StateShims.fromLegacyHookReturn}. */
export const LEGACY_HOOK_RETURN_WARNING = 'KINDLING_DEP_HOOK_RETURN';

// Keyed by the generated object, not the class name: two classes may share a name.
const warned = new WeakSet<object>();

export function createStateShims<T extends object, S extends object>(generated: GeneratedState<T, S>): StateShims<T, S> {
  return {
    save(self, section, key) {
      section[key] = generated.stateDict(self);
    },
    load(self, section, key, options = {}) {
      const used = [key, ...generated.legacyKeys].find((k) => Object.prototype.hasOwnProperty.call(section, k));
      if (used === undefined) return undefined;
      loadAtomically(() => generated.prepareLoad(self, section[used], generated.className, options));
      return used;
    },
    fromLegacyHookReturn(self, returned) {
      if (returned === undefined) return undefined;
      if (!warned.has(generated)) {
        warned.add(generated);
        process.emitWarning(
          `${generated.className}.onSaveCheckpoint() returned its state; returning state from the hook is deprecated. ` +
            `Persist the fields with @persist() (the state is then saved through stateDict()) and make the hook return nothing.`,
          { type: 'DeprecationWarning', code: LEGACY_HOOK_RETURN_WARNING },
        );
      }
      // Validate against the class's state type so that a checkpoint is never written that could not be loaded back.
      const issues = generated.prepareLoad(self, returned, `${generated.className}.onSaveCheckpoint()`, { strict: true }).issues;
      if (issues.length > 0) {
        throw new StateError(issues, `The value returned by ${generated.className}.onSaveCheckpoint() is not a valid ${generated.className} state.`);
      }
      return returned as S;
    },
  };
}

/** A generated state with its shims (what `kindling codegen` exports as `XState`). */
export type GeneratedStateWithShims<T extends object, S extends object> = GeneratedState<T, S> & {
  readonly shims: StateShims<T, S>;
};

/** Attaches the shims to a generated state object (called once by each generated file). */
export function withShims<T extends object, S extends object>(generated: GeneratedState<T, S>): GeneratedStateWithShims<T, S> {
  return Object.assign(generated, { shims: createStateShims(generated) });
}
