/** Codecs with their own semantics: tensors (shared on save), opaque plain data, class-transformer instances. */
import type { ClassConstructor } from 'class-transformer';
import { classTransformer } from '../class-transformer.js';
import { cloneTensor, isTensor, type Tensor } from '../tensor.js';
import { clonePlain, copyPlain, isPlainObject } from '../values.js';
import { type Codec, same, scalar, typeIssue } from './codec.js';

/** A tensor of one of `dtypes` (any dtype when empty). Inside containers a loaded tensor is copied. */
export function tensor<T extends Tensor = Tensor>(dtypes: readonly string[] = []): Codec<T> {
  const expected = dtypes.length === 0 ? 'Tensor' : dtypes.map((d) => `Tensor<${d}>`).join(' | ');
  const is = (value: unknown): boolean => isTensor(value) && (dtypes.length === 0 || dtypes.includes(value.dtype));
  return {
    expected,
    identity: false,
    is,
    check: (value, path, ctx): value is T => is(value) || typeIssue(ctx, path, expected, value),
    decode: (value) => cloneTensor(value) as T,
    adopt: undefined,
    take: undefined,
    // stateDict() shares tensor memory, as torch does; savers snapshot what they need.
    encode: same,
  };
}

function isCopyable(value: unknown): boolean {
  try {
    copyPlain(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Unchecked plain state data (`@persist({ opaque: true })`): anything `copyPlain` accepts. Saved as a copy sharing
 * tensors (as `stateDict()` does everywhere); loaded as a deep copy, tensors included, so a loaded component never
 * shares memory with the state it came from.
 */
export const opaque: Codec<unknown> = scalar('plain state data', isCopyable, clonePlain, copyPlain);

/**
 * A class instance converted with class-transformer (`@persist({ type: () => C })`). Its data must be plain state
 * data (no functions, class instances or cycles), as for the reflective engine; the instance is built from a copy,
 * so it never shares arrays or tensors with the state it came from.
 */
export function instance<T extends object>(ctor: () => new (...args: never[]) => T, name: string): Codec<T, Record<string, unknown>> {
  return scalar(
    `object (a ${name})`,
    (value) => isPlainObject(value) && isCopyable(value),
    (value) => classTransformer().plainToInstance(ctor() as unknown as ClassConstructor<T>, clonePlain(value)),
    (value) => classTransformer().instanceToPlain(value),
  );
}

/**
 * Gives a codec built from the combinators above its precise field and state types (the combinators' own types are
 * structural: an object codec is a `Record<string, unknown>` codec). The generator writes both types from the same
 * static type it built the codec from, so the assertion holds by construction.
 */
export function typed<F, S = F>(codec: Codec<unknown, unknown>): Codec<F, S> {
  return codec as Codec<F, S>;
}
