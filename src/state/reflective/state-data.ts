import { describeValue, joinIndex, joinKey } from '../errors.js';
import { isTensor } from '../tensor.js';
import { clonePlain, isPlainObject } from '../values.js';
import type { Build, LoadContext } from './load-context.js';

/** What may be stored where the engine has nothing to compare with. */
export const STATE_DATA = 'a state value (null, boolean, number, string, array, plain object or Tensor)';

/**
 * Checks that `value` is plain state data (JSON values, non-finite numbers, Tensors; no cycles), reporting every
 * offending place. Undefined object properties count as absent keys.
 */
export function checkStateData(value: unknown, path: string, ctx: LoadContext, ancestors: object[] = []): void {
  if (isJsonPrimitive(value)) return;
  if (typeof value !== 'object' || (!Array.isArray(value) && !isPlainObject(value))) {
    ctx.typeIssue(path, STATE_DATA, describeValue(value));
    return;
  }
  if (isTensor(value)) return;
  if (ancestors.includes(value)) {
    ctx.typeIssue(path, 'a tree (no cycles)', 'a reference to one of its parents');
    return;
  }
  ancestors.push(value);
  // Primitives are skipped before a path is built for them: large arrays would pay for it per element.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!isJsonPrimitive(value[i])) checkStateData(value[i], joinIndex(path, i), ctx, ancestors);
    }
  } else {
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item !== undefined && !isJsonPrimitive(item)) checkStateData(item, joinKey(path, key), ctx, ancestors);
    }
  }
  ancestors.pop();
}

/**
 * null, a boolean, a number or a string: stored as it is. Callers test it before building a path for a value, which
 * large arrays would otherwise pay per element.
 */
export function isJsonPrimitive(value: unknown): boolean {
  const t = typeof value;
  return t === 'number' || t === 'string' || t === 'boolean' || value === null;
}

/** Plans loading `incoming` where anything may go: it is checked as state data and assigned as a deep copy. */
export function planStateData(incoming: unknown, path: string, ctx: LoadContext): Build {
  checkStateData(incoming, path, ctx);
  return () => clonePlain(incoming);
}
