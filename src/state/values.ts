/**
 * Small value helpers shared by the reflective engine and the code `kindling codegen` emits, so that both encode
 * and copy values in exactly one way (the encodings are fixed in docs/design/state-contract.md).
 *
 * Decoders assume their input has been validated (the `is…` guards here are what validation uses); they still throw a
 * TypeError rather than produce a wrong value when that assumption is broken.
 */
import { constructorName, StateError } from './errors.js';
import { MAX_STATE_DEPTH } from './limits.js';
import { fillTensor } from './load-plan.js';
import { cloneTensor, describeTensor, isTensor, sameShape, type Tensor } from './tensor.js';

/** An object literal or a null-prototype object: the only objects a state holds besides tensors. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === null || proto === Object.prototype;
}

/**
 * Sets an own enumerable property, also for the key `__proto__` (which plain assignment would turn into a prototype
 * change: states parsed from files may contain it as an ordinary key).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A deep copy of plain state data: arrays and plain objects are copied, tensors are shared (as `stateDict()` shares
 * them), primitives are returned as they are. Throws a TypeError for anything else (a Map, a class instance, a
 * cycle), because such a value is not state data and copying it blindly would lose its meaning.
 */
export function copyPlain<T>(value: T): T {
  return copyPlainAt(value, [], '', false) as T;
}

/**
 * Like {@link copyPlain}, but tensors are copied too: what a load assigns where the component had no tensor to fill
 * in place, so loaded state never shares memory with the state it came from.
 */
export function clonePlain<T>(value: T): T {
  return copyPlainAt(value, [], '', true) as T;
}

function copyPlainAt(value: unknown, ancestors: object[], path: string, cloneTensors: boolean): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`copyPlain: ${typeof value} at ${path || 'the root'} is not state data`);
    }
    return value;
  }
  if (isTensor(value)) return cloneTensors ? cloneTensor(value) : value;
  if (ancestors.length >= MAX_STATE_DEPTH) {
    const at = path || 'the root';
    throw new StateError([{ path: at, kind: 'type', expected: `at most ${MAX_STATE_DEPTH} levels of nesting`, actual: 'deeper nesting' }]);
  }
  if (ancestors.includes(value)) throw new TypeError(`copyPlain: cycle at ${path || 'the root'}`);
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = copyPlainAt(value[i], ancestors, `${path}[${i}]`, cloneTensors);
      return out;
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) setOwn(out, key, copyPlainAt(value[key], ancestors, `${path}.${key}`, cloneTensors));
      return out;
    }
  } finally {
    ancestors.pop();
  }
  throw new TypeError(`copyPlain: ${constructorName(value) ?? 'object'} at ${path || 'the root'} is not plain state data`);
}

type Mapper<A, B> = (value: A) => B;

/** `Map<K, V>` → `[K, V][]`, entries in insertion order; keys and values go through the mappers (default `copyPlain`). */
export function encodeMap<K, V, EK = K, EV = V>(
  map: ReadonlyMap<K, V>,
  encodeKey: Mapper<K, EK> = copyPlain as Mapper<K, EK>,
  encodeValue: Mapper<V, EV> = copyPlain as Mapper<V, EV>,
): [EK, EV][] {
  const out: [EK, EV][] = [];
  for (const [k, v] of map) out.push([encodeKey(k), encodeValue(v)]);
  return out;
}

/** Whether a value is an encoded Map: an array of two-element arrays. */
export function isMapEntries(value: unknown): value is [unknown, unknown][] {
  return Array.isArray(value) && value.every((e) => Array.isArray(e) && e.length === 2);
}

/** `[K, V][]` → `Map<K, V>` (a later duplicate key wins, as in `new Map(entries)`). */
export function decodeMap<K, V, EK = K, EV = V>(
  entries: readonly (readonly [EK, EV])[],
  decodeKey: Mapper<EK, K> = copyPlain as Mapper<EK, K>,
  decodeValue: Mapper<EV, V> = copyPlain as Mapper<EV, V>,
): Map<K, V> {
  if (!isMapEntries(entries)) throw new TypeError('decodeMap: expected an array of [key, value] pairs');
  const out = new Map<K, V>();
  for (const [k, v] of entries) out.set(decodeKey(k), decodeValue(v));
  return out;
}

/** `Set<T>` → `T[]` in insertion order; items go through the mapper (default `copyPlain`). */
export function encodeSet<T, E = T>(set: ReadonlySet<T>, encodeItem: Mapper<T, E> = copyPlain as Mapper<T, E>): E[] {
  const out: E[] = [];
  for (const item of set) out.push(encodeItem(item));
  return out;
}

/** `T[]` → `Set<T>` (duplicates collapse, as in `new Set(items)`). */
export function decodeSet<T, E = T>(items: readonly E[], decodeItem: Mapper<E, T> = copyPlain as Mapper<E, T>): Set<T> {
  if (!Array.isArray(items)) throw new TypeError('decodeSet: expected an array');
  const out = new Set<T>();
  for (const item of items) out.add(decodeItem(item));
  return out;
}

/** `Date` → epoch milliseconds; an invalid date is NaN. */
export function encodeDate(date: Date): number {
  return date.getTime();
}

/** The largest distance from the epoch, in milliseconds, that a `Date` can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * Whether a number is what `encodeDate` can produce: an integer within a Date's range, or NaN (an invalid date).
 * Anything else would not come back unchanged (`new Date(1.5).getTime()` is 1).
 */
export function isEpochMillis(value: unknown): value is number {
  return typeof value === 'number' && (Number.isNaN(value) || (Number.isInteger(value) && Math.abs(value) <= MAX_DATE_MS));
}

/** Epoch milliseconds → a new `Date` (NaN gives an invalid date, as it was saved). */
export function decodeDate(time: number): Date {
  if (!isEpochMillis(time)) throw new TypeError(`decodeDate: expected integer epoch milliseconds, got ${String(time)}`);
  return new Date(time);
}

/** `bigint` → its decimal string. */
export function encodeBigint(value: bigint): string {
  return value.toString(10);
}

const DECIMAL = /^-?[0-9]+$/;

/** Whether a string is a decimal integer as `encodeBigint` writes it (`BigInt()` alone would also take `''`, hex, spaces). */
export function isBigintString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** A decimal string → `bigint`. */
export function decodeBigint(text: string): bigint {
  if (!isBigintString(text)) throw new TypeError(`decodeBigint: expected a decimal integer string, got ${JSON.stringify(text)}`);
  return BigInt(text);
}

/** Whether `incoming` can be copied into `target` in place: same dtype and shape. */
export function tensorFits(target: Tensor, incoming: Tensor): boolean {
  return target.dtype === incoming.dtype && sameShape(target.shape, incoming.shape);
}

/** Copies `source`'s elements into `target`'s memory. Both must have the same dtype and shape. */
export function copyTensorInto(target: Tensor, source: Tensor): void {
  if (!tensorFits(target, source)) {
    throw new TypeError(`copyTensorInto: cannot copy ${describeTensor(source)} into ${describeTensor(target)}`);
  }
  // Same dtype means the same typed-array class, so `set` copies elements exactly (bits included).
  (target.data as { set(source: ArrayLike<number | bigint>): void }).set(source.data);
}

/**
 * The tensor a field holds after loading `incoming`: its current tensor, filled in place, when dtype and shape match
 * (references held elsewhere, e.g. by an optimizer, stay valid); otherwise a copy of `incoming`, so the loaded state
 * never shares memory with the component.
 */
export function loadTensorValue<T extends Tensor>(current: unknown, incoming: T): T {
  if (isTensor(current) && tensorFits(current, incoming)) {
    fillTensor(current, incoming);
    return current as T;
  }
  return cloneTensor(incoming) as T;
}
