// PLACEHOLDER — the reflective engine is being written (issue 2). Signatures are the contract.
import { type LoadPlan, runLoad } from './load-plan.js';
import type { LoadOptions, LoadResult } from './stateful.js';

/** The state of a decorated object, read through its `@persist` metadata. */
export function stateDictOf(obj: object): Record<string, unknown> {
  throw new Error(`stateDictOf(${obj.constructor.name}): not implemented yet`);
}

/** Two-phase reflective load (see load-plan.ts): validates `state` against `obj`'s persisted fields. */
export function prepareReflectiveLoad(obj: object, state: unknown, path: string, options: LoadOptions): LoadPlan {
  throw new Error(`prepareReflectiveLoad(${obj.constructor.name}, ${typeof state}, ${path}, ${String(options.strict)}): not implemented yet`);
}

/** Validates `state` completely against `obj`'s persisted fields, then assigns; on error nothing changes. */
export function loadStateDictInto(obj: object, state: unknown, options: LoadOptions = {}): LoadResult {
  return runLoad(prepareReflectiveLoad(obj, state, obj.constructor.name, options));
}
