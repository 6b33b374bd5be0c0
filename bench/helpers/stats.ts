export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rotates a list by `n` places, so repeated rounds do not always run the operations in the same order. */
export function rotate<T>(items: readonly T[], n: number): T[] {
  const k = items.length === 0 ? 0 : n % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
