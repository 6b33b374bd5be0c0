import { isStateful, type LoadOptions, type LoadResult } from 'kindling';

/** The methods `@stateful()` installs at run time, which the type checker cannot see on a decorated class. */
export interface InstalledMethods {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: unknown, options?: LoadOptions): LoadResult;
}

export function methodsOf(obj: object): InstalledMethods {
  if (!isStateful(obj)) throw new Error(`${obj.constructor.name} has no stateDict/loadStateDict`);
  return obj as unknown as InstalledMethods;
}

/** The error `fn` throws (fails the test when it throws nothing). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but nothing was thrown');
}
