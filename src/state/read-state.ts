/**
 * Reading a state once. A load validates a state and then commits it; if it read the input again at commit, a getter
 * or Proxy could hand validation one value and the commit another (a number, then a function), or throw half-way
 * through the commit. So a load works on a copy of the input's structure in inert plain data, made reading every
 * property exactly once. Tensor memory is not copied: the copy of a tensor is a new `{ dtype, shape, data }` sharing
 * the typed array it was given.
 *
 * The reflective engine copies the whole state first ({@link readOnce}). Generated loads read most fields on a faster
 * path of their own (`Codec.take`) and copy here only the fields that need it ({@link readValue}).
 *
 * The same walk enforces the shared depth limit and refuses cycles, so no later recursion can overflow the stack, and
 * turns an exception thrown by a getter or Proxy into an issue at its path.
 */
import { addIssues, describeValue, IssueList, joinIndex, joinKey, type StateIssue } from './errors.js';
import { INVALID } from './value-kinds.js';
import { MAX_STATE_DEPTH } from './limits.js';
import { plan, prepareLoad, type LoadPlan } from './load-plan.js';
import type { LoadOptions } from './stateful.js';
import { setOwn } from './values.js';

const NOTHING: unique symbol = Symbol('kindling:nothing');
/**
 * The part of a once-read copy that a load hands to the loader of a component nested in it (see {@link prepareInert}).
 * Only that exact value is passed on without a copy: anything else reaching {@link readOnce} during a load (a state
 * some user code, such as a value kind's `validate`, loads on the side) is copied, so a load's copy is never user data.
 */
let handedOver: unknown = NOTHING;

/**
 * Runs `prepare` on a once-read copy of `state` (`path` names it in messages). A state handed over by an enclosing
 * load is already such a copy and is passed on as it is. Loaders decode the copy by reusing its containers
 * (`Codec.adopt`): nobody else holds it.
 */
export function readOnce(state: unknown, path: string, prepare: (inert: unknown) => LoadPlan): LoadPlan {
  if (typeof state !== 'object' || state === null) return prepare(state);
  if (state === handedOver) {
    handedOver = NOTHING;
    return prepare(state);
  }
  const walk = new Walk(path);
  const inert = walk.copy(state, 1);
  return walk.issues !== undefined ? plan(walk.issues) : prepare(inert);
}

/**
 * A once-read copy of `value`, a part of a state at `depth` (the state itself is at depth 1), for a loader that reads
 * it value by value (generated code, when a field's fast path does not apply). What is wrong with it (depth, cycles,
 * getters that threw) is added to `issues`, and INVALID returned.
 */
export function readValue(value: unknown, path: string, issues: StateIssue[], depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const walk = new Walk(path);
  const copy = walk.copy(value, depth);
  if (walk.issues === undefined) return copy;
  addIssues(issues, walk.issues);
  return INVALID;
}

/** Prepares the load of `inert`, a part of the once-read copy of an enclosing load, into the component `target`. */
export function prepareInert(target: object, inert: unknown, path: string, options: LoadOptions): LoadPlan {
  const before = handedOver;
  handedOver = inert;
  try {
    return prepareLoad(target, inert, path, options);
  } finally {
    handedOver = before;
  }
}

/**
 * One copy of a state. It runs on every load, so its cost matters (BENCHMARKS.md, "Issue 7: did not regress"): paths
 * are kept as a stack of keys and built only for an issue, the issue list is allocated with the first issue, and
 * reads are guarded by try/catch in place rather than by a closure per container. Nothing here needs `finally`: what
 * user code throws is caught where it is read, and a walk is dropped after one copy.
 */
class Walk {
  /** Allocated with the first issue: almost every state has none. */
  issues: IssueList | undefined;
  /** The containers being copied, outermost first (for cycles), and the keys leading to the current one. */
  private readonly ancestors: object[] = [];
  private readonly keys: (string | number)[] = [];

  constructor(private readonly root: string) {}

  /** The path of the value being copied, with `key` (when given) appended. */
  private path(key?: string | number): string {
    let path = this.root;
    for (const k of this.keys) path = typeof k === 'number' ? joinIndex(path, k) : joinKey(path, k);
    if (key === undefined) return path;
    return typeof key === 'number' ? joinIndex(path, key) : joinKey(path, key);
  }

  private issue(issue: StateIssue): undefined {
    (this.issues ??= new IssueList()).push(issue);
    return undefined;
  }

  private unreadable(error: unknown, key?: string | number): undefined {
    const message = error instanceof Error ? error.message : String(error);
    const actual = `a getter or Proxy that threw: ${message}`;
    return this.issue({ path: this.path(key), kind: 'type', expected: 'a value that can be read', actual });
  }

  /**
   * An inert copy of `value` (an object) at `depth`; its path is the current key stack. Only arrays and plain objects
   * (null prototype or Object.prototype) are copied; typed arrays, class instances, Maps and Dates are kept as they
   * are, and validation decides about them.
   */
  copy(value: object, depth: number): unknown {
    let array: boolean;
    try {
      array = Array.isArray(value);
      if (!array) {
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== null && proto !== Object.prototype) return value;
      }
    } catch (error) {
      return this.unreadable(error);
    }
    if (depth > MAX_STATE_DEPTH) {
      const expected = `at most ${MAX_STATE_DEPTH} levels of nesting`;
      return this.issue({ path: this.path(), kind: 'type', expected, actual: `${describeValue(value)} nested deeper` });
    }
    const ancestors = this.ancestors;
    if (ancestors.includes(value)) {
      return this.issue({ path: this.path(), kind: 'type', expected: 'a tree (no cycles)', actual: 'a reference to one of its parents' });
    }
    ancestors.push(value);
    const out = array ? this.copyArray(value as unknown[], depth) : this.copyObject(value as Record<string, unknown>, depth);
    ancestors.pop();
    return out;
  }

  private copyArray(source: unknown[], depth: number): unknown[] | undefined {
    let out: unknown[];
    try {
      out = Array.from(source);
    } catch {
      const before = this.issues?.length ?? 0;
      const found = this.copyArrayByIndex(source, depth);
      if ((this.issues?.length ?? 0) === before) return this.unreadable(new Error('an element threw when read, and not when read again'));
      return found;
    }
    for (let i = 0; i < out.length; i++) {
      const item = out[i];
      if (typeof item === 'object' && item !== null) out[i] = this.child(item, i, depth);
    }
    return out;
  }

  private copyArrayByIndex(source: unknown[], depth: number): unknown[] | undefined {
    let length: number;
    try {
      length = source.length;
    } catch (error) {
      return this.unreadable(error);
    }
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      let item: unknown;
      try {
        item = source[i];
      } catch (error) {
        this.unreadable(error, i);
        continue;
      }
      out[i] = typeof item === 'object' && item !== null ? this.child(item, i, depth) : item;
    }
    return out;
  }

  private copyObject(source: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
    let out: Record<string, unknown>;
    try {
      // A spread reads each own enumerable property once (getters included) into a new plain object, several times
      // faster than a keyed store per key, and defines `__proto__` as an ordinary own key, as setOwn does.
      out = { ...source };
    } catch {
      // Something threw: the read-by-read walk finds where, for the issue's path. The load is refused whatever the
      // second reading finds, so reading a getter twice here cannot let a changed value through.
      const before = this.issues?.length ?? 0;
      const found = this.copyObjectByKey(source, depth);
      if ((this.issues?.length ?? 0) === before) return this.unreadable(new Error('a property threw when read, and not when read again'));
      return found;
    }
    for (const key in out) {
      if (!Object.hasOwn(out, key)) continue;
      const item = out[key];
      if (typeof item === 'object' && item !== null) out[key] = this.child(item, key, depth);
    }
    return out;
  }

  private copyObjectByKey(source: Record<string, unknown>, depth: number): Record<string, unknown> | undefined {
    let keys: string[];
    try {
      keys = Object.keys(source);
    } catch (error) {
      return this.unreadable(error);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      let item: unknown;
      try {
        item = source[key];
      } catch (error) {
        this.unreadable(error, key);
        continue;
      }
      setOwn(out, key, typeof item === 'object' && item !== null ? this.child(item, key, depth) : item);
    }
    return out;
  }

  private child(item: object, key: string | number, depth: number): unknown {
    this.keys.push(key);
    const out = this.copy(item, depth + 1);
    this.keys.pop();
    return out;
  }
}
