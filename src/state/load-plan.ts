import { StateError, type StateIssue } from './errors.js';
import type { LoadOptions, LoadResult } from './stateful.js';
import { cloneTensor, type Tensor } from './tensor.js';

/**
 * A validated, not yet applied load. Loading happens in two phases so that a component holding other stateful
 * components can validate all of their states before any of them is changed: `prepare` checks and plans,
 * `commit` assigns. Commits of kindling's own loaders cannot fail on valid input; a hand-written `loadStateDict`
 * nested inside (see {@link prepareLoad}) runs at commit time and is the one exception.
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
 * The symbol under which `@stateful` attaches a class's two-phase loader to the `loadStateDict` it installs. Generated
 * and reflective implementations both provide it; nested stateful values are loaded through it. It hangs on the
 * installed method, not on the prototype, so a subclass that writes its own `loadStateDict` is never bypassed.
 */
export const PREPARE_LOAD: unique symbol = Symbol.for('kindling:prepare-load') as never;

/**
 * Prepares a load into any stateful value: through its two-phase loader when it has one (every `@stateful` class),
 * otherwise (a hand-written `Stateful`) by deferring to its own `loadStateDict` at commit time, which cannot be
 * validated in advance.
 */
export function prepareLoad(target: object, state: unknown, path: string, options: LoadOptions = {}): LoadPlan {
  const load = (target as { loadStateDict?: ((s: unknown) => void) & { [PREPARE_LOAD]?: PrepareLoad } }).loadStateDict;
  const prepare = typeof load === 'function' ? load[PREPARE_LOAD] : undefined;
  if (typeof prepare === 'function') return prepare(target, state, path, options);
  if (typeof load !== 'function') {
    return plan([{ path, kind: 'type', expected: 'a Stateful value', actual: 'a value without loadStateDict' }]);
  }
  const run = () => load.call(target, state);
  if (preparing) {
    // Inside loadAtomically: run before kindling assigns anything (see there), not in commit order.
    (handWrittenLoads ??= []).push(run);
    return plan([]);
  }
  return { issues: [], missingKeys: [], unexpectedKeys: [], commit: run };
}

// Module state of the load running on this thread (loads are synchronous, so they cannot interleave). The lists are
// allocated only when something is put in them: most loads have no hand-written loader and no in-place tensor.
/** Whether loadAtomically is preparing a load. */
let preparing = false;
/** Hand-written nested loaders found while loadAtomically prepares a load. */
let handWrittenLoads: (() => void)[] | null = null;

/**
 * Prepares and runs a load as one unit. A hand-written `loadStateDict` nested anywhere inside cannot be validated in
 * advance, so it runs first, after kindling's own validation and before kindling assigns anything: if it throws,
 * nothing else has changed. (With several hand-written loaders, those that ran before the one that threw keep their
 * effect.) Then the validated plan is committed as {@link runLoad} does.
 */
export function loadAtomically(prepare: () => LoadPlan): LoadResult {
  if (preparing || committing) {
    const prepared = prepareAtomically(prepare);
    if (prepared.issues.length > 0) throw new StateError(prepared.issues);
    prepared.commit();
    return { missingKeys: prepared.missingKeys, unexpectedKeys: prepared.unexpectedKeys };
  }
  // What prepareAtomically(prepare).commit() does, without the wrapping plan: every loadStateDict() runs this.
  const { prepared, early } = prepareOutermost(prepare);
  if (prepared.issues.length > 0) throw new StateError(prepared.issues);
  if (early) for (const run of early) run();
  return runLoad(prepared);
}

/** Runs `prepare` as the outermost load, with the hand-written nested loaders it found (to run before the commit). */
function prepareOutermost(prepare: () => LoadPlan): { prepared: LoadPlan; early: (() => void)[] | null } {
  preparing = true;
  try {
    return { prepared: prepare(), early: handWrittenLoads };
  } finally {
    handWrittenLoads = null;
    preparing = false;
  }
}

/**
 * Prepares a load as one unit without running it: the returned plan's `commit` runs the hand-written loaders found
 * inside first, then commits the rest as {@link runLoad} does (see {@link loadAtomically}). Inside another load it
 * joins that load.
 */
export function prepareAtomically(prepare: () => LoadPlan): LoadPlan {
  if (preparing || committing) {
    const nested = prepare();
    return { ...nested, commit: () => void runLoad(nested) };
  }
  const { prepared: ready, early: before } = prepareOutermost(prepare);
  return {
    issues: ready.issues,
    missingKeys: ready.missingKeys,
    unexpectedKeys: ready.unexpectedKeys,
    commit() {
      if (ready.issues.length > 0) throw new StateError(ready.issues);
      if (before) for (const run of before) run();
      runLoad(ready);
    },
  };
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

/** Whether runLoad is committing a load. */
let committing = false;
/** In-place tensor copies requested during the commit that is running, applied when it ends (see {@link runLoad}). */
let pendingFills: { target: Tensor; source: Tensor }[] | null = null;

/**
 * Copies `source`'s elements into `target` (same dtype and shape). Inside a load's commit the copy is deferred to the
 * end of the commit, so that a state whose tensors are the target's own tensors in other places (two fields swapped,
 * a list reversed) is read before any of them is overwritten.
 */
export function fillTensor(target: Tensor, source: Tensor): void {
  // The same memory (a component's own state loaded back, read through a copy of its tensor objects): nothing to copy.
  if (target === source || target.data === source.data) return;
  if (committing) (pendingFills ??= []).push({ target, source });
  else copyElements(target, source);
}

function copyElements(target: Tensor, source: Tensor): void {
  // Same dtype means the same typed-array class, so `set` copies elements exactly (bits included).
  (target.data as { set(source: ArrayLike<number | bigint>): void }).set(source.data);
}

function applyFills(fills: readonly { target: Tensor; source: Tensor }[]): void {
  const written = new Set(fills.map((f) => f.target.data.buffer));
  // A source whose memory is also written by this load is copied aside first; everything else is copied directly.
  const sources = fills.map((f) => (written.has(f.source.data.buffer) ? cloneTensor(f.source) : f.source));
  fills.forEach((f, i) => copyElements(f.target, sources[i]!));
}

/**
 * Runs a prepared load: throws a `StateError` (nothing changed) if it has issues, otherwise commits it. In-place
 * tensor copies requested by the commit (at any depth of nesting) are applied together at its end.
 */
export function runLoad(prepared: LoadPlan): LoadResult {
  if (prepared.issues.length > 0) throw new StateError(prepared.issues);
  if (committing) {
    // A load started from inside another load's commit (a hand-written loader): it joins the running one.
    prepared.commit();
  } else {
    committing = true;
    let fills: { target: Tensor; source: Tensor }[] | null;
    try {
      prepared.commit();
    } finally {
      fills = pendingFills;
      pendingFills = null;
      committing = false;
    }
    if (fills) applyFills(fills);
  }
  return { missingKeys: prepared.missingKeys, unexpectedKeys: prepared.unexpectedKeys };
}
