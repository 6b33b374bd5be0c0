import type { StateIssue } from '../../state/index.js';
import {
  type Constructor,
  type LoadOptions,
  type LoadResult,
  loadAtomically,
  PREPARE_LOAD,
  type PrepareLoad,
  plan,
  readOnce,
} from '../../runtime/index.js';

/**
 * Checks what the generated code cannot see in a state that already has the right shape: value ranges, and
 * agreement with the live component's configuration. It gets the component, the (well-typed) state and the state's
 * path for messages, and returns the issues it finds. Keys may be absent in a non-strict load: absent means "keep
 * the current value" and needs no check.
 */
export type StateCheck<T, S> = (self: T, state: Partial<S>, path: string) => StateIssue[];

/**
 * Adds a semantic check to a class's generated two-phase load. Place it above `@stateful(XState)`: the check runs
 * after the generated validation succeeded and before anything is assigned, on the once-read copy of the state that
 * the load commits (see src/state/read-state.ts), so a state that fails it changes nothing, here or in any component
 * loaded with it. Nested loads (a sampler inside a loader) run it too, because it travels on the installed
 * `loadStateDict`.
 *
 * A state-layer hook would be the better home for this; until there is one, it wraps the loader `@stateful` installs.
 */
export function checkedState<T extends object, S extends object>(
  check: StateCheck<T, S>,
): (target: Constructor<T> & { prototype: T }) => void {
  return (target) => {
    const proto = target.prototype as { loadStateDict?: { [PREPARE_LOAD]?: PrepareLoad } };
    const generated = Object.hasOwn(proto, 'loadStateDict') ? proto.loadStateDict?.[PREPARE_LOAD] : undefined;
    if (typeof generated !== 'function') {
      throw new TypeError(`@checkedState on ${target.name} must be written above @stateful(${target.name}State)`);
    }
    // The check and the generated load see one once-read copy of the state: a check of the caller's object would
    // read it a second time, and a getter could show the check a value other than the one the load commits.
    const prepare: PrepareLoad = (self, state, path, options) =>
      readOnce(state, path, (inert) => {
        const prepared = generated(self, inert, path, options);
        if (prepared.issues.length > 0) return prepared;
        const issues = check(self as T, inert as Partial<S>, path);
        return issues.length > 0 ? plan(issues) : prepared;
      });
    const loadStateDict = Object.assign(
      function (this: object, state: unknown, options: LoadOptions = {}): LoadResult {
        return loadAtomically(() => prepare(this, state, this.constructor.name, options));
      },
      { [PREPARE_LOAD]: prepare },
    );
    Object.defineProperty(proto, 'loadStateDict', { value: loadStateDict, writable: true, configurable: true });
  };
}

/** An issue for a value of the right type but outside what the component accepts. */
export function rangeIssue(path: string, expected: string, actual: unknown): StateIssue {
  return { path, kind: 'type', expected, actual: typeof actual === 'number' ? String(actual) : JSON.stringify(actual) };
}

/** Issues for `value` (when present) unless it is an integer in [min, max]. */
export function checkInteger(issues: StateIssue[], path: string, value: number | undefined, min: number, max: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    issues.push(rangeIssue(path, `an integer in [${min}, ${max}]`, value));
  }
}
