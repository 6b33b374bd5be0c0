/**
 * Saving a graph of stateful objects safely: `stateDict()` of a component calls `stateDict()` of the components it
 * holds, so a cycle (`a.next = a`) or a chain deeper than the shared limit would otherwise recurse until the stack
 * overflows with a bare RangeError. Every installed `stateDict()` runs inside {@link guardSave}, which keeps the
 * objects being saved and their paths, and refuses both with a `StateError` naming the path.
 */
import { joinKey, StateError } from './errors.js';
import { MAX_STATE_DEPTH } from './limits.js';

const active: object[] = [];
const paths: string[] = [];
/** The path the next guarded stateDict() is saved under, set by the caller that holds the component. */
let nextPath: string | undefined;

function current(): string | undefined {
  return paths[paths.length - 1];
}

/** Runs `run` (the stateDict of `self`) with `self` on the save stack; `name` labels it when it is the root. */
export function guardSave<S>(self: object, name: string, run: () => S): S {
  const given = nextPath;
  nextPath = undefined;
  const parent = current();
  const path = given ?? (parent === undefined ? name : `${parent} → ${name}`);
  const seen = active.indexOf(self);
  if (seen >= 0) {
    throw new StateError(
      [{ path, kind: 'type', expected: 'a tree of stateful objects (no cycles)', actual: `the ${name} saved at ${paths[seen]} again` }],
      'A state is a tree: a component reachable from itself cannot be saved. Persist one of the references only.',
    );
  }
  if (active.length >= MAX_STATE_DEPTH) {
    throw new StateError([{ path, kind: 'type', expected: `at most ${MAX_STATE_DEPTH} nested stateful objects`, actual: 'deeper nesting' }]);
  }
  active.push(self);
  paths.push(path);
  try {
    return run();
  } finally {
    active.pop();
    paths.pop();
  }
}

/** The path of the component being saved (its class name at the root). */
export function savePath(fallback: string): string {
  return current() ?? fallback;
}

/** The path of `key` of the component being saved, if a guarded save is running. */
export function fieldPath(key: string): string | undefined {
  const parent = current();
  return parent === undefined ? undefined : joinKey(parent, key);
}

/** The state of a nested stateful value saved under `path` (a full path; undefined: named after its class). */
export function stateDictAt<S>(value: object, path: string | undefined): S {
  nextPath = path;
  try {
    return (value as { stateDict(): S }).stateDict();
  } finally {
    nextPath = undefined;
  }
}

/**
 * The state of a nested `@stateful` value (typed by the generated State type of its class), held under the property
 * `key` by the component being saved.
 */
export function nestedStateDict<S>(value: object, key?: string): S {
  return stateDictAt(value, key === undefined ? undefined : fieldPath(key));
}
