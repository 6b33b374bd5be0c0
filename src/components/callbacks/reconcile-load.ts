import {
  type Constructor,
  type LoadOptions,
  type LoadResult,
  loadAtomically,
  PREPARE_LOAD,
  type PrepareLoad,
} from '../../runtime/index.js';

/**
 * Given the live component and the validated state about to be loaded, returns what to do right after the generated
 * commit assigned every field: restore values that describe the live configuration (a `dirpath`, a `monitor`), or
 * drop parts of the state that no longer apply. Runs only when the whole load validated.
 */
export type LoadReconciler<T, S> = (self: T, state: Partial<S>) => () => void;

/**
 * Adds a step after a class's generated load commits (Lightning callbacks whose `load_state_dict` loads only some
 * keys, depending on the live configuration). Place it above `@stateful(XState)`, like `checkedState`.
 */
export function reconcileLoad<T extends object, S extends object>(
  reconcile: LoadReconciler<T, S>,
): (target: Constructor<T> & { prototype: T }) => void {
  return (target) => {
    const proto = target.prototype as { loadStateDict?: { [PREPARE_LOAD]?: PrepareLoad } };
    const generated = Object.hasOwn(proto, 'loadStateDict') ? proto.loadStateDict?.[PREPARE_LOAD] : undefined;
    if (typeof generated !== 'function') {
      throw new TypeError(`@reconcileLoad on ${target.name} must be written above @stateful(${target.name}State)`);
    }
    const prepare: PrepareLoad = (self, state, path, options) => {
      const prepared = generated(self, state, path, options);
      if (prepared.issues.length > 0) return prepared;
      const after = reconcile(self as T, state as Partial<S>);
      return {
        ...prepared,
        commit: () => {
          prepared.commit();
          after();
        },
      };
    };
    const loadStateDict = Object.assign(
      function (this: object, state: unknown, options: LoadOptions = {}): LoadResult {
        return loadAtomically(() => prepare(this, state, this.constructor.name, options));
      },
      { [PREPARE_LOAD]: prepare },
    );
    Object.defineProperty(proto, 'loadStateDict', { value: loadStateDict, writable: true, configurable: true });
  };
}
