/**
 * Reading a state once. A load validates a state and then commits it; if it read the input again at commit, a getter
 * or Proxy could hand validation one value and the commit another (a number, then a function), or throw half-way
 * through the commit. So the outermost prepare of a load first copies the input's structure into inert plain data,
 * reading every property exactly once, and everything after works on the copy. Tensor memory is not copied: the copy
 * of a tensor is a new `{ dtype, shape, data }` sharing the typed array it was given.
 *
 * The same walk enforces the shared depth limit and refuses cycles, so no later recursion can overflow the stack, and
 * turns an exception thrown by a getter or Proxy into an issue at its path.
 */
import { describeValue, IssueList, joinIndex, joinKey, type StateIssue } from './errors.js';
import { MAX_STATE_DEPTH } from './limits.js';
import { plan, type LoadPlan } from './load-plan.js';
import { setOwn } from './values.js';

/** Whether the prepare running now already works on a copy made by {@link readOnce}. */
let reading = false;

/**
 * Runs `prepare` on a once-read copy of `state` (`path` names it in messages). Inside another load's prepare the state
 * is already such a copy and is passed on as it is.
 */
export function readOnce(state: unknown, path: string, prepare: (inert: unknown) => LoadPlan): LoadPlan {
  if (reading) return prepare(state);
  const issues = new IssueList();
  const inert = copyState(state, path, 1, [], issues);
  if (issues.length > 0) return plan(issues);
  reading = true;
  try {
    return prepare(inert);
  } finally {
    reading = false;
  }
}

function unreadable(issues: StateIssue[], path: string, error: unknown): undefined {
  const message = error instanceof Error ? error.message : String(error);
  issues.push({ path, kind: 'type', expected: 'a value that can be read', actual: `a getter or Proxy that threw: ${message}` });
  return undefined;
}

/** Whether a value is a container the walk copies: an array or a plain object (null prototype or Object.prototype). */
function containerKind(value: object): 'array' | 'object' | undefined {
  if (Array.isArray(value)) return 'array';
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype ? 'object' : undefined;
}

function copyState(value: unknown, path: string, depth: number, ancestors: object[], issues: StateIssue[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  let kind: 'array' | 'object' | undefined;
  try {
    kind = containerKind(value);
  } catch (error) {
    return unreadable(issues, path, error);
  }
  // Typed arrays, class instances, Maps, Dates: kept as they are; validation decides about them.
  if (kind === undefined) return value;
  if (depth > MAX_STATE_DEPTH) {
    issues.push({ path, kind: 'type', expected: `at most ${MAX_STATE_DEPTH} levels of nesting`, actual: `${describeValue(value)} nested deeper` });
    return undefined;
  }
  if (ancestors.includes(value)) {
    issues.push({ path, kind: 'type', expected: 'a tree (no cycles)', actual: 'a reference to one of its parents' });
    return undefined;
  }
  ancestors.push(value);
  try {
    if (kind === 'array') {
      const source = value as unknown[];
      const length = read(() => source.length, path, issues);
      if (typeof length !== 'number') return undefined;
      const out = new Array<unknown>(length);
      for (let i = 0; i < length; i++) {
        let item: unknown;
        try {
          item = source[i];
        } catch (error) {
          unreadable(issues, joinIndex(path, i), error);
          continue;
        }
        // Paths are built only for containers: long arrays of numbers are common state.
        out[i] = typeof item === 'object' && item !== null ? copyState(item, joinIndex(path, i), depth + 1, ancestors, issues) : item;
      }
      return out;
    }
    const source = value as Record<string, unknown>;
    const keys = read(() => Object.keys(source), path, issues);
    if (keys === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      let item: unknown;
      try {
        item = source[key];
      } catch (error) {
        unreadable(issues, joinKey(path, key), error);
        continue;
      }
      setOwn(out, key, typeof item === 'object' && item !== null ? copyState(item, joinKey(path, key), depth + 1, ancestors, issues) : item);
    }
    return out;
  } finally {
    ancestors.pop();
  }
}

/** One read of user-controlled data (a getter, a Proxy trap); what it throws becomes an issue at `path`. */
function read<T>(get: () => T, path: string, issues: StateIssue[]): T | undefined {
  try {
    return get();
  } catch (error) {
    return unreadable(issues, path, error);
  }
}
