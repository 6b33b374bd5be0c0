import { isTensor } from 'kindling';

/**
 * Overwrites, in place, every array element and object property of a state tree. Tensors are shared by stateDict()
 * by design (like torch), so `tensors: 'keep'` leaves them alone; `'overwrite'` fills their data too (for states a
 * component was loaded from, which it must not share).
 */
export function scramble(value: unknown, tensors: 'keep' | 'overwrite'): void {
  if (typeof value !== 'object' || value === null) return;
  if (isTensor(value)) {
    if (tensors === 'overwrite') {
      const wide = value.data instanceof BigInt64Array || value.data instanceof BigUint64Array;
      (value.data as { fill(v: number | bigint): unknown }).fill(wide ? 7n : 7);
    }
    return;
  }
  const node = value as Record<string, unknown>;
  for (const k of Object.keys(node)) {
    scramble(node[k], tensors);
    node[k] = '<scrambled>';
  }
}
