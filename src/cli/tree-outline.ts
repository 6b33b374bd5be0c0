/**
 * `kindling inspect --tree`: the state tree as indented lines, non-tensor values shown as they are (a sampler's
 * position, a best score, a scheduler's step) and tensors as their dtype and shape. Reads only the header's JSON.
 */
import type { TensorInfo } from '../checkpoint/types.js';
import type { Json } from '../checkpoint/tree-codec.js';
import { shown } from './escape.js';
import { formatCount, formatShape } from './format.js';

/** Most lines printed; a bigger tree ends with a count of what was left out (`--json --tree` has all of it). */
export const MAX_OUTLINE_LINES = 2000;
/** An array of at most this many plain numbers, strings, booleans or nulls is shown on one line. */
const INLINE_ITEMS = 16;

const INDENT = '  ';

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of a marker object (`{"$tensor": name}`, `{"$number": "NaN"}`), or undefined for a plain object. */
function markerOf(value: { [key: string]: Json }): { marker: string; payload: string } | undefined {
  const keys = Object.keys(value);
  const payload = value[keys[0]!];
  if (keys.length === 1 && keys[0]!.startsWith('$') && !keys[0]!.startsWith('$$') && typeof payload === 'string') {
    return { marker: keys[0]!, payload };
  }
  return undefined;
}

function leafText(value: Json, tensors: ReadonlyMap<string, TensorInfo>): string | undefined {
  if (value === null || typeof value !== 'object') return shown(JSON.stringify(value), 80);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.length <= INLINE_ITEMS && value.every((v) => v === null || typeof v !== 'object')) {
      return shown(`[${value.map((v) => JSON.stringify(v)).join(', ')}]`, 120);
    }
    return undefined;
  }
  const marker = markerOf(value);
  if (marker?.marker === '$tensor') {
    const t = tensors.get(marker.payload);
    return t === undefined ? `tensor ${shown(marker.payload)}` : `${t.dtype}${formatShape(t.shape)}`;
  }
  if (marker?.marker === '$number') return marker.payload;
  if (Object.keys(value).length === 0) return '{}';
  return undefined;
}

/** The outline's lines, without a trailing newline. */
export function outlineLines(tree: Json, tensors: readonly TensorInfo[]): string[] {
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const lines: string[] = [];
  let omitted = 0;
  // An explicit stack (the tree may be MAX_STATE_DEPTH deep): [label, value, depth], popped in document order.
  const todo: [string, Json, number][] = [];
  const push = (children: [string, Json][], depth: number): void => {
    for (let i = children.length - 1; i >= 0; i--) todo.push([children[i]![0], children[i]![1], depth]);
  };
  const childrenOf = (value: Json): [string, Json][] =>
    Array.isArray(value)
      ? value.map((v, i): [string, Json] => [`[${i}]`, v])
      : Object.entries(value as { [key: string]: Json }).map(([k, v]): [string, Json] => [shown(k.startsWith('$$') ? k.slice(1) : k), v]);
  if (isObject(tree)) push(childrenOf(tree), 0);
  for (let item = todo.pop(); item !== undefined; item = todo.pop()) {
    const [label, value, depth] = item;
    if (lines.length >= MAX_OUTLINE_LINES) {
      omitted++;
      continue;
    }
    const leaf = leafText(value, byName);
    const indent = INDENT.repeat(Math.min(depth, 40));
    if (leaf !== undefined) {
      lines.push(`${indent}${label}: ${leaf}`);
    } else {
      lines.push(`${indent}${label}`);
      push(childrenOf(value), depth + 1);
    }
  }
  if (omitted > 0) lines.push(`… and ${formatCount(omitted)} more entries (kindling inspect --json --tree has the whole tree)`);
  return lines;
}
