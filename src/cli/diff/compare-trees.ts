import type { StateTree, StateValue } from '../../checkpoint/types.js';
import { joinIndex, joinKey } from '../../state/errors.js';
import type { Tensor } from '../../state/tensor.js';
import { describeTensor, isTensor, sameShape } from '../../state/tensor.js';
import { compareTensorContents } from './compare-tensors.js';

/** One difference between two state trees, at a path such as `optimizer.state[3].exp_avg`. */
export type TreeDifference =
  | { readonly kind: 'added'; readonly path: string; readonly after: string }
  | { readonly kind: 'removed'; readonly path: string; readonly before: string }
  /** A non-tensor value (or a value's kind, e.g. number → tensor) changed. */
  | { readonly kind: 'changed'; readonly path: string; readonly before: string; readonly after: string }
  | TensorDifference;

export interface TensorDifference {
  readonly kind: 'tensor';
  readonly path: string;
  /** What differs first: dtype, else shape, else the bytes. */
  readonly change: 'dtype' | 'shape' | 'contents';
  readonly before: string;
  readonly after: string;
  /** For `contents`: how many elements differ bit-wise. */
  readonly differingElements?: number;
  /** For `contents` of float dtypes: the largest absolute difference (`null` when only NaNs differ). */
  readonly maxAbsDiff?: number | null;
}

const MAX_STRING = 60;

/** A short rendering of a value for diff output: literals for leaves, a kind and size for containers. */
export function describeStateValue(value: StateValue): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > MAX_STRING ? `${quoted.slice(0, MAX_STRING - 2)}…"` : quoted;
  }
  if (isTensor(value)) return describeTensor(value);
  if (Array.isArray(value)) return `array(${value.length})`;
  const keys = Object.keys(value).length;
  return `object(${keys} ${keys === 1 ? 'key' : 'keys'})`;
}

type Kind = 'leaf' | 'tensor' | 'array' | 'object';

function kindOf(value: StateValue): Kind {
  if (value === null || typeof value !== 'object') return 'leaf';
  if (isTensor(value)) return 'tensor';
  return Array.isArray(value) ? 'array' : 'object';
}

function childPath(path: string, key: string): string {
  const joined = joinKey(path, key);
  return path === '' && joined.startsWith('.') ? joined.slice(1) : joined;
}

function compareTensors(path: string, a: Tensor, b: Tensor, out: TreeDifference[]): void {
  const before = describeTensor(a);
  const after = describeTensor(b);
  if (a.dtype !== b.dtype) {
    out.push({ kind: 'tensor', path, change: 'dtype', before, after });
  } else if (!sameShape(a.shape, b.shape)) {
    out.push({ kind: 'tensor', path, change: 'shape', before, after });
  } else {
    const contents = compareTensorContents(a, b);
    if (contents) out.push({ kind: 'tensor', path, change: 'contents', before, after, ...contents });
  }
}

/**
 * Work still to do: compare two values at a path, or report a difference. The walk keeps its own stack instead of
 * recursing, so a tree nested deeper than the JavaScript call stack (which a checkpoint may legally hold) is diffed
 * like any other.
 */
type Task = { readonly compare: readonly [string, StateValue, StateValue] } | { readonly report: TreeDifference };

function compareValues(path: string, a: StateValue, b: StateValue, out: TreeDifference[], todo: Task[]): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) {
    out.push({ kind: 'changed', path, before: describeStateValue(a), after: describeStateValue(b) });
    return;
  }
  switch (ka) {
    case 'leaf':
      // Object.is: NaN equals NaN and -0 differs from 0, matching the bit-exact meaning of a checkpoint.
      if (!Object.is(a, b)) out.push({ kind: 'changed', path, before: describeStateValue(a), after: describeStateValue(b) });
      return;
    case 'tensor':
      compareTensors(path, a as Tensor, b as Tensor, out);
      return;
    case 'array':
      schedule(todo, arrayTasks(path, a as readonly StateValue[], b as readonly StateValue[]));
      return;
    case 'object':
      schedule(todo, objectTasks(path, a as StateTree, b as StateTree));
  }
}

/** Pushes tasks so that they are popped in the order given (document order). */
function schedule(todo: Task[], tasks: Task[]): void {
  for (let i = tasks.length - 1; i >= 0; i--) todo.push(tasks[i]!);
}

function arrayTasks(path: string, a: readonly StateValue[], b: readonly StateValue[]): Task[] {
  const tasks: Task[] = [];
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) tasks.push({ compare: [joinIndex(path, i), a[i]!, b[i]!] });
  for (let i = common; i < a.length; i++) tasks.push({ report: { kind: 'removed', path: joinIndex(path, i), before: describeStateValue(a[i]!) } });
  for (let i = common; i < b.length; i++) tasks.push({ report: { kind: 'added', path: joinIndex(path, i), after: describeStateValue(b[i]!) } });
  return tasks;
}

function objectTasks(path: string, a: StateTree, b: StateTree): Task[] {
  const has = (o: StateTree, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const tasks: Task[] = [];
  for (const key of Object.keys(a)) {
    const p = childPath(path, key);
    if (has(b, key)) tasks.push({ compare: [p, a[key]!, b[key]!] });
    else tasks.push({ report: { kind: 'removed', path: p, before: describeStateValue(a[key]!) } });
  }
  for (const key of Object.keys(b)) {
    if (!has(a, key)) tasks.push({ report: { kind: 'added', path: childPath(path, key), after: describeStateValue(b[key]!) } });
  }
  return tasks;
}

/**
 * Every difference between two state trees, in document order (keys of `a` first, then keys only in `b`). Empty
 * when the trees are identical bit for bit. Containers that exist on one side only are reported once, not
 * element by element.
 */
export function compareStateTrees(a: StateTree, b: StateTree): TreeDifference[] {
  const out: TreeDifference[] = [];
  const todo: Task[] = [];
  schedule(todo, objectTasks('', a, b));
  for (let task = todo.pop(); task !== undefined; task = todo.pop()) {
    if ('report' in task) out.push(task.report);
    else compareValues(...task.compare, out, todo);
  }
  return out;
}
