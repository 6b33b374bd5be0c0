import fc from 'fast-check';
import { bytesPerElement, DTYPES, numel, tensorView, typedArrayOver, type Tensor } from '../../src/state/tensor.js';
import type { StateTree, StateValue } from '../../src/checkpoint/index.js';

/** Keys that stress the name and marker escaping. */
export const WEIRD_KEYS = [
  'a.b',
  'a\\.b',
  'a\\',
  '.',
  '',
  '$tensor',
  '$number',
  '$$x',
  '$',
  '__proto__',
  '__metadata__',
  'constructor',
  '0',
  '12',
  'ünïcødé 🔥',
  '"quoted"',
  'line\nbreak',
];

export const keyArb = fc.oneof(fc.constantFrom(...WEIRD_KEYS), fc.string({ maxLength: 6 }));

/**
 * A tensor of any dtype, rank 0–3, dimensions 0–4, with arbitrary bytes (so any bit pattern, NaN payloads included),
 * except that bool elements are 0 or 1, the only values the format stores.
 */
export const tensorArb: fc.Arbitrary<Tensor> = fc
  .record({
    dtype: fc.constantFrom(...DTYPES),
    shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
  })
  .chain(({ dtype, shape }) =>
    fc.uint8Array({ minLength: numel(shape) * bytesPerElement(dtype), maxLength: numel(shape) * bytesPerElement(dtype) }).map((bytes) => {
      const copy = new Uint8Array(bytes);
      if (dtype === 'bool') for (let i = 0; i < copy.length; i++) copy[i]! &= 1;
      return tensorView(dtype, shape, typedArrayOver(dtype, copy.buffer, 0, numel(shape)));
    }),
  );

const leafArb: fc.Arbitrary<StateValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.double(),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.string({ maxLength: 8 }),
  tensorArb,
);

function objectOf(value: fc.Arbitrary<StateValue>): fc.Arbitrary<Record<string, StateValue>> {
  return fc.array(fc.tuple(keyArb, value), { maxLength: 4 }).map((entries) => {
    const out: Record<string, StateValue> = {};
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

const { value: valueArb } = fc.letrec<{ value: StateValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('value'), { maxLength: 4 }),
    objectOf(tie('value')),
  ),
}));

export const treeArb: fc.Arbitrary<StateTree> = objectOf(valueArb);
