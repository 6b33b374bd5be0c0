/**
 * Untyped access to the methods @stateful installs. The generated module augmentation types them precisely (see
 * types.test-d.ts); behaviour tests feed deliberately wrong states, so they go through this view instead.
 */
import { type LoadOptions, type LoadResult, StateError } from 'kindling';
import { expect } from 'vitest';

interface UntypedStateful {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: unknown, options?: LoadOptions): LoadResult;
}

export function stateOf(target: object): Record<string, unknown> {
  return (target as UntypedStateful).stateDict();
}

export function load(target: object, state: unknown, options?: LoadOptions): LoadResult {
  return (target as UntypedStateful).loadStateDict(state, options);
}

/** A deep copy of the state that shares nothing with the component (tensors included). */
export function snapshot(target: object): Record<string, unknown> {
  return structuredClone(stateOf(target));
}

/** Runs a load that must fail and returns the StateError (failing the test if it does not throw one). */
export function loadError(target: object, state: unknown, options?: LoadOptions): StateError {
  try {
    load(target, state, options);
  } catch (e) {
    expect(e).toBeInstanceOf(StateError);
    return e as StateError;
  }
  return expect.fail('expected loadStateDict to throw a StateError, but it loaded');
}
