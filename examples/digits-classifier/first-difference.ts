import { isTensor } from 'kindling';
import type { StateValue } from 'kindling/checkpoint';

/**
 * The first place (depth first, keys in order) where two state trees differ, as a readable line, or undefined when
 * they are bit-identical: same keys, same primitive values (`Object.is`: -0 and NaN count), tensors with the same
 * dtype, shape and bytes.
 */
export function firstDifference(a: StateValue | undefined, b: StateValue | undefined, path = ''): string | undefined {
  const at = path === '' ? '(root)' : path;
  if (isTensor(a) || isTensor(b)) {
    if (!isTensor(a) || !isTensor(b)) return `${at}: a tensor on one side only`;
    if (a.dtype !== b.dtype || a.shape.join(',') !== b.shape.join(',')) return `${at}: ${a.dtype}[${a.shape}] vs ${b.dtype}[${b.shape}]`;
    const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength);
    const byte = x.findIndex((v, k) => v !== y[k]);
    if (byte < 0) return undefined;
    const element = Math.floor(byte / (x.length / a.data.length));
    return `${at}: element ${element} differs (${a.data[element]} vs ${b.data[element]})`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return `${at}: an array on one side only`;
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i] as StateValue | undefined, b[i] as StateValue | undefined, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ra = a as Record<string, StateValue | undefined>;
    const rb = b as Record<string, StateValue | undefined>;
    for (const key of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
      const d = firstDifference(ra[key], rb[key], path === '' ? key : `${path}.${key}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(a, b) ? undefined : `${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}
