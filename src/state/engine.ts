// PLACEHOLDER — the reflective engine is being written (issue 2). Signatures are the contract.
import type { LoadOptions, LoadResult } from './stateful.js';

/** The state of a decorated object, read through its `@persist` metadata. */
export function stateDictOf(obj: object): Record<string, unknown> {
  throw new Error(`stateDictOf(${obj.constructor.name}): not implemented yet`);
}

/** Validates `state` completely against `obj`'s persisted fields, then assigns; on error nothing changes. */
export function loadStateDictInto(obj: object, state: unknown, options: LoadOptions = {}): LoadResult {
  throw new Error(`loadStateDictInto(${obj.constructor.name}, ${typeof state}, ${String(options.strict)}): not implemented yet`);
}
