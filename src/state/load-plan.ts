import { StateError, type StateIssue } from './errors.js';
import type { LoadOptions, LoadResult } from './stateful.js';

/**
 * A validated, not yet applied load. Loading happens in two phases so that a component holding other stateful
 * components can validate all of their states before any of them is changed: `prepare` checks and plans,
 * `commit` assigns and cannot fail on valid input.
 */
export interface LoadPlan {
  /** Problems found; the plan must not be committed unless this is empty. */
  readonly issues: readonly StateIssue[];
  /** Full paths of keys that were absent (non-strict loads; strict loads report them as issues). */
  readonly missingKeys: readonly string[];
  /** Full paths of keys nobody expected (non-strict loads; strict loads report them as issues). */
  readonly unexpectedKeys: readonly string[];
  commit(): void;
}

/** Prepares a load of `state` into `self`; `path` names `self` in messages (its class name at the top level). */
export type PrepareLoad = (self: object, state: unknown, path: string, options: LoadOptions) => LoadPlan;

/**
 * The symbol under which `@stateful` installs a class's two-phase loader on its prototype. Generated and reflective
 * implementations both provide it; nested stateful values are loaded through it.
 */
export const PREPARE_LOAD: unique symbol = Symbol.for('kindling:prepare-load') as never;

/**
 * Prepares a load into any stateful value: through its two-phase loader when it has one (every `@stateful` class),
 * otherwise (a hand-written `Stateful`) by deferring to its own `loadStateDict` at commit time, which cannot be
 * validated in advance.
 */
export function prepareLoad(target: object, state: unknown, path: string, options: LoadOptions = {}): LoadPlan {
  const prepare = (target as { [PREPARE_LOAD]?: PrepareLoad })[PREPARE_LOAD];
  if (typeof prepare === 'function') return prepare(target, state, path, options);
  const load = (target as { loadStateDict?: (s: unknown) => void }).loadStateDict;
  if (typeof load !== 'function') {
    return plan([{ path, kind: 'type', expected: 'a Stateful value', actual: 'a value without loadStateDict' }]);
  }
  return { issues: [], missingKeys: [], unexpectedKeys: [], commit: () => load.call(target, state) };
}

/** A plan from parts; `commit` defaults to doing nothing (for plans with issues). */
export function plan(
  issues: readonly StateIssue[],
  commit: () => void = () => {},
  missingKeys: readonly string[] = [],
  unexpectedKeys: readonly string[] = [],
): LoadPlan {
  return { issues, missingKeys, unexpectedKeys, commit };
}

/** Runs a prepared load: throws a `StateError` (nothing changed) if it has issues, otherwise commits it. */
export function runLoad(prepared: LoadPlan): LoadResult {
  if (prepared.issues.length > 0) throw new StateError(prepared.issues);
  prepared.commit();
  return { missingKeys: prepared.missingKeys, unexpectedKeys: prepared.unexpectedKeys };
}
