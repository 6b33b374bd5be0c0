/**
 * fast-check arbitraries for field values, in two flavours: `exact` covers everything a state may hold (NaN, ±Infinity,
 * -0, invalid dates, `__proto__` keys, null-prototype records), `json` only what survives JSON.stringify/parse
 * unchanged (no non-finite numbers, no -0, no tensors, valid dates only).
 */
import fc from 'fast-check';
import { type DType, type Tensor, tensorView, type TypedArrayOf } from 'kindling';

export type Flavour = 'exact' | 'json';

export function num(flavour: Flavour): fc.Arbitrary<number> {
  if (flavour === 'exact') return fc.double();
  // JSON writes -0 as 0 and non-finite numbers as null.
  return fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
}

export function int(): fc.Arbitrary<number> {
  return fc.integer({ min: -1_000_000, max: 1_000_000 });
}

/** Strings, including ones that are awkward as object keys. */
export function str(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 8, arbitrary: fc.string() }, fc.constantFrom('__proto__', 'constructor', 'a b', ''));
}

export function key(): fc.Arbitrary<string> {
  return str();
}

export function date(flavour: Flavour): fc.Arbitrary<Date> {
  return fc.date({ noInvalidDate: flavour === 'json' });
}

export function bigint(): fc.Arbitrary<bigint> {
  return fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n });
}

/** A record with arbitrary (also awkward) keys; sometimes with a null prototype, which is valid state too. */
export function record<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc.dictionary(key(), value, { maxKeys: 5 });
}

export function smallArray<T>(item: fc.Arbitrary<T>, maxLength = 5): fc.Arbitrary<T[]> {
  return fc.array(item, { maxLength });
}

export function map<K, V>(k: fc.Arbitrary<K>, v: fc.Arbitrary<V>): fc.Arbitrary<Map<K, V>> {
  return fc.array(fc.tuple(k, v), { maxLength: 5 }).map((entries) => new Map(entries));
}

export function set<T>(item: fc.Arbitrary<T>): fc.Arbitrary<Set<T>> {
  return fc.array(item, { maxLength: 5 }).map((items) => new Set(items));
}

export function nullable<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(value, { nil: null });
}

export function maybe<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.option(value, { nil: undefined });
}

const shape = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });

function elements(dtype: DType, length: number): fc.Arbitrary<TypedArrayOf<DType>> {
  const n = { minLength: length, maxLength: length };
  switch (dtype) {
    case 'float64':
      return fc.float64Array(n);
    case 'float32':
      return fc.float32Array(n);
    case 'int64':
      return fc.bigInt64Array(n);
    case 'uint64':
      return fc.bigUint64Array(n);
    case 'int32':
      return fc.int32Array(n);
    case 'int16':
      return fc.int16Array(n);
    case 'int8':
      return fc.int8Array(n);
    case 'uint32':
      return fc.uint32Array(n);
    case 'float16':
    case 'bfloat16':
    case 'uint16':
      return fc.uint16Array(n);
    case 'uint8':
      return fc.uint8Array(n);
    case 'bool':
      return fc.array(fc.constantFrom(0, 1), n).map((bits) => Uint8Array.from(bits));
  }
}

/** A tensor of the given dtype (or of any dtype) with a random small shape, scalars and empty tensors included. */
export function tensor<D extends DType>(dtype: D): fc.Arbitrary<Tensor<D>>;
export function tensor(dtypes: readonly DType[]): fc.Arbitrary<Tensor>;
export function tensor(dtype: DType | readonly DType[]): fc.Arbitrary<Tensor> {
  const dtypes = typeof dtype === 'string' ? [dtype] : dtype;
  return fc.tuple(fc.constantFrom(...dtypes), shape).chain(([d, dims]) => {
    const length = dims.reduce((a, b) => a * b, 1);
    return elements(d, length).map((data) => tensorView(d, dims, data as never) as Tensor);
  });
}
