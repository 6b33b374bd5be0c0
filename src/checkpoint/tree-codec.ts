/**
 * The non-tensor part of a state tree travels as JSON in the header. JSON cannot hold every state value, so the
 * encoding reserves object keys that start with `$` (see docs/checkpoint-format.md, "The state tree"):
 *
 * - `{"$tensor": "<name>"}` stands for the tensor stored under that name;
 * - `{"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}` stands for a number JSON cannot write;
 * - a state key that itself starts with `$` is written with one more `$` (`$x` → `$$x`), so no state key can be
 *   mistaken for a marker.
 */
import { isTensor, type Tensor } from '../state/tensor.js';
import { constructorName, joinIndex, joinKey } from '../state/errors.js';
import { isPlainObject, setOwn } from '../state/values.js';
import { MAX_STATE_DEPTH } from '../state/limits.js';
import { CheckpointError } from './errors.js';
import { tensorName } from './names.js';
import { printable, quoteName } from './quote.js';
import type { StateTree, StateValue } from './types.js';

export const TENSOR_MARKER = '$tensor';
export const NUMBER_MARKER = '$number';

/** A JSON value (what JSON.parse returns and JSON.stringify writes without loss). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface NamedTensor {
  readonly name: string;
  readonly tensor: Tensor;
}

export interface EncodedTree {
  /** The tree with tensors replaced by references and special numbers and `$` keys escaped. */
  readonly json: Json;
  /** Each distinct tensor once, in tree order; a tensor object found at several paths is stored once. */
  readonly tensors: readonly NamedTensor[];
  /** How many JSON values `json` holds (what a reader counts against its node budget). */
  readonly nodes: number;
}

const SPECIAL_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['-0', -0],
]);

function encodeNumber(n: number): Json {
  if (Number.isFinite(n) && !Object.is(n, -0)) return n;
  return { [NUMBER_MARKER]: Object.is(n, -0) ? '-0' : String(n) };
}

function escapeKey(key: string): string {
  return key.startsWith('$') ? `$${key}` : key;
}

function describeBad(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `a bare ${value.constructor.name} (wrap it with tensorView(dtype, shape, data))`;
  if (typeof value === 'object' && value !== null && 'dtype' in value && 'data' in value) {
    return 'an object that looks like a tensor but is not a valid one (dtype, shape and data must agree)';
  }
  if (value === undefined) return 'undefined (leave the key out instead)';
  if (typeof value === 'object' && value !== null) {
    return `a ${constructorName(value) ?? 'non-plain'} object (state holds only plain objects, arrays, JSON values and tensors)`;
  }
  return `a ${typeof value}`;
}

/** A BOOL element is 0 or 1 (as in safetensors and torch); a reader refuses other bytes, so a writer must too. */
function checkBoolTensor(data: Uint8Array, path: string, file: string): void {
  for (let i = 0; i < data.length; i++) {
    if (data[i]! > 1) {
      throw new CheckpointError(
        file,
        'invalid-state',
        `cannot store ${path}: it is a bool tensor holding ${data[i]} at element ${i}; bool elements must be 0 or 1`,
      );
    }
  }
}

/** Encodes a state tree for the header; throws `invalid-state` naming the path of the first unstorable value. */
export function encodeTree(tree: StateTree, file: string): EncodedTree {
  if (!isPlainObject(tree) || isTensor(tree)) {
    throw new CheckpointError(file, 'invalid-state', `the state tree must be a plain object, got ${describeBad(tree)}`);
  }
  const names = new Map<Tensor, string>();
  const tensors: NamedTensor[] = [];
  const ancestors = new Set<object>();
  const segments: (string | number)[] = [];
  let nodes = 0;

  // `depth` counts the containers above `value`. A container deeper than MAX_STATE_DEPTH is refused here, as a load
  // would refuse it: a save must never replace a good checkpoint with one that cannot be read back.
  const visit = (value: unknown, path: string, depth: number): Json => {
    nodes++;
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number') {
      const encoded = encodeNumber(value);
      if (typeof encoded === 'object') nodes++;
      return encoded;
    }
    if (isTensor(value)) {
      nodes++;
      if (value.dtype === 'bool') checkBoolTensor(value.data as Uint8Array, path, file);
      let name = names.get(value);
      if (name === undefined) {
        name = tensorName(segments);
        names.set(value, name);
        tensors.push({ name, tensor: value });
      }
      return { [TENSOR_MARKER]: name };
    }
    const isArray = Array.isArray(value);
    if (!isArray && !isPlainObject(value)) {
      throw new CheckpointError(file, 'invalid-state', `cannot store ${path}: it is ${describeBad(value)}`);
    }
    if (ancestors.has(value)) {
      throw new CheckpointError(file, 'invalid-state', `cannot store ${path}: it contains itself (a cycle)`);
    }
    if (depth + 1 > MAX_STATE_DEPTH) {
      throw new CheckpointError(
        file,
        'invalid-state',
        `cannot store ${path}: it nests deeper than ${MAX_STATE_DEPTH} levels (MAX_STATE_DEPTH), which loading refuses`,
      );
    }
    ancestors.add(value);
    let out: Json;
    if (isArray) {
      // An index loop, not forEach: a hole in a sparse array must be reported, not skipped.
      const array = value as readonly unknown[];
      const items: Json[] = [];
      for (let i = 0; i < array.length; i++) {
        segments.push(i);
        items.push(visit(array[i], joinIndex(path, i), depth + 1));
        segments.pop();
      }
      out = items;
    } else {
      const obj: { [key: string]: Json } = {};
      for (const [key, item] of Object.entries(value)) {
        // An optional member set to undefined is an absent key, as in JSON.stringify.
        if (item === undefined) continue;
        segments.push(key);
        setOwn(obj, escapeKey(key), visit(item, joinKey(path, key), depth + 1));
        segments.pop();
      }
      out = obj;
    }
    ancestors.delete(value);
    return out;
  };

  const json = visit(tree, 'state', 0);
  return { json, tensors, nodes };
}

function isJsonObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds a state tree from its header JSON. `tensorFor` returns the tensor of a name (or undefined if the file has
 * none). Every object is rebuilt with own properties only, so a key like `__proto__` stays an ordinary key.
 */
export function decodeTree(json: Json, tensorFor: (name: string) => Tensor | undefined, file: string): StateTree {
  const bad = (path: string, detail: string): CheckpointError =>
    new CheckpointError(file, 'bad-tree', `state tree in the header is malformed at ${printable(path)}: ${detail}`);

  // `depth` counts the containers above `value`, so a container found at `depth` is at level depth + 1.
  const visit = (value: Json, path: string, depth: number): StateValue => {
    if (typeof value !== 'object' || value === null) return value;
    const isMarker = !Array.isArray(value) && Object.keys(value).some((k) => k.startsWith('$') && !k.startsWith('$$'));
    if (!isMarker && depth + 1 > MAX_STATE_DEPTH) {
      throw new CheckpointError(file, 'limits', `state tree in the header nests deeper than ${MAX_STATE_DEPTH} levels at ${printable(path)}`);
    }
    if (Array.isArray(value)) return value.map((item, i) => visit(item, joinIndex(path, i), depth + 1));
    const keys = Object.keys(value);
    const markers = keys.filter((k) => k.startsWith('$') && !k.startsWith('$$'));
    if (markers.length > 0) {
      const marker = markers[0]!;
      const payload = value[marker];
      if (keys.length !== 1 || typeof payload !== 'string') {
        throw bad(path, `a ${quoteName(marker)} marker must be the object's only key and hold a string`);
      }
      if (marker === TENSOR_MARKER) {
        const t = tensorFor(payload);
        if (t === undefined) throw bad(path, `it refers to tensor ${quoteName(payload)}, which the file does not contain`);
        return t;
      }
      if (marker === NUMBER_MARKER) {
        const n = SPECIAL_NUMBERS.get(payload);
        if (n === undefined) throw bad(path, `${quoteName(payload)} is not a special number (NaN, Infinity, -Infinity, -0)`);
        return n;
      }
      throw bad(path, `unknown marker ${quoteName(marker)}`);
    }
    const out: Record<string, StateValue> = {};
    for (const key of keys) {
      const stateKey = key.slice(key.startsWith('$$') ? 1 : 0);
      setOwn(out, stateKey, visit(value[key]!, joinKey(path, stateKey), depth + 1));
    }
    return out;
  };

  if (!isJsonObject(json)) throw bad('state', 'the tree must be a JSON object');
  return visit(json, 'state', 0) as StateTree;
}
