import fc from 'fast-check';
import { type DType, DTYPES, type Tensor, tensor } from 'kindling';

/** Any double, NaN, -0 and ±Infinity included (fast-check's default), and often exactly one of them. */
export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
);

const elements: { readonly [D in DType]: fc.Arbitrary<number | bigint> } = {
  float64: fc.double(),
  float32: fc.float(),
  // Half-precision tensors hold raw 16-bit words.
  float16: fc.integer({ min: 0, max: 0xffff }),
  bfloat16: fc.integer({ min: 0, max: 0xffff }),
  int64: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  int32: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  int16: fc.integer({ min: -(2 ** 15), max: 2 ** 15 - 1 }),
  int8: fc.integer({ min: -128, max: 127 }),
  uint64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  uint32: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  uint16: fc.integer({ min: 0, max: 0xffff }),
  uint8: fc.integer({ min: 0, max: 255 }),
  bool: fc.constantFrom(0, 1),
};

export const shapeArb: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });

/** A tensor of `dtype` with a random shape (scalars and empty tensors included) and random elements. */
export function tensorOf<D extends DType>(dtype: D, shape: fc.Arbitrary<number[]> = shapeArb): fc.Arbitrary<Tensor<D>> {
  return shape.chain((s) =>
    fc
      .array(elements[dtype], { minLength: s.reduce((n, d) => n * d, 1), maxLength: s.reduce((n, d) => n * d, 1) })
      .map((values) => tensor(dtype, s, values as number[])),
  );
}

/** One tensor per dtype, keyed by dtype. */
export const tensorPerDType: fc.Arbitrary<Record<DType, Tensor>> = fc.record(
  Object.fromEntries(DTYPES.map((d) => [d, tensorOf(d)])) as { [D in DType]: fc.Arbitrary<Tensor> },
);

/** Plain state data: JSON values plus the numbers JSON cannot hold, and tensors. */
export const stateData: fc.Arbitrary<unknown> = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    anyNumber,
    fc.string(),
    tensorOf('float32'),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('tree'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).tree;
