/**
 * The contract every stateful part of kindling follows: it gives its own state with `stateDict()` and takes it back
 * with `loadStateDict()`. A state is plain data (see docs/design/state-contract.md): JSON values, non-finite numbers,
 * and {@link Tensor}s.
 */
export interface Stateful<S extends object = object> {
  stateDict(): S;
  /** Validates `state` completely, then applies it; on error nothing changes (see docs/design/state-contract.md). */
  loadStateDict(state: S, options?: LoadOptions): LoadResult;
}

/** The state type of a stateful value: `StateOf<EarlyStopping>` is `EarlyStoppingState`. */
export type StateOf<T> = T extends { stateDict(): infer S extends object } ? S : never;

/**
 * Whether a value has the Stateful shape (both methods present), checked structurally at run time like Python's
 * `runtime_checkable` Protocol. It does not (and cannot) check the state's type.
 */
export function isStateful(value: unknown): value is Stateful {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const v = value as { stateDict?: unknown; loadStateDict?: unknown };
  return typeof v.stateDict === 'function' && typeof v.loadStateDict === 'function';
}

/** Options for loading a state. */
export interface LoadOptions {
  /**
   * `true` (the default): a missing required key or an unexpected key is an error, and nothing is loaded.
   * `false`: unexpected keys are ignored and fields whose keys are missing keep their current values; both are
   * reported in the {@link LoadResult}. Type errors are errors either way.
   */
  readonly strict?: boolean;
}

/** What a load did not use or did not find, like torch's `load_state_dict` result. Paths are full paths. */
export interface LoadResult {
  readonly missingKeys: readonly string[];
  readonly unexpectedKeys: readonly string[];
}
