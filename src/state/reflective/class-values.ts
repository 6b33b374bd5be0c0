import type { ClassConstructor } from 'class-transformer';
import { classTransformer } from '../class-transformer.js';
import { describeValue, type StateIssue } from '../errors.js';
import type { Constructor } from '../metadata.js';
import { clonePlain, isPlainObject } from '../values.js';
import { encodeValue } from './encode.js';
import type { Build, LoadContext } from './load-context.js';
import { checkStateData } from './state-data.js';

/**
 * Values of `@persist({ type: () => C })` fields: instances of a class that is not itself stateful, converted with
 * class-transformer. Its plain output is then encoded like any value, so a Date inside becomes epoch milliseconds and
 * `@Type(() => Date)` turns it back on load.
 */
export function classValueToState(value: unknown, path: string, issues: StateIssue[]): unknown {
  if (value === null) return null;
  return encodeValue(classTransformer().instanceToPlain(value), path, issues);
}

/** Plans a class-transformer field: the data must be plain state data; the instance is built now, assigned at commit. */
export function planClassValue(type: Constructor, incoming: unknown, path: string, ctx: LoadContext): Build {
  if (incoming === null) return () => null;
  if (!isPlainObject(incoming) && !Array.isArray(incoming)) {
    ctx.typeIssue(path, `object (a ${type.name}) or an array of them`, describeValue(incoming));
    return () => undefined;
  }
  const before = ctx.issues.length;
  checkStateData(incoming, path, ctx);
  if (ctx.issues.length > before) return () => undefined;
  let instance: unknown;
  try {
    // A copy, so the instance never shares arrays or tensors with the state it came from.
    instance = classTransformer().plainToInstance(type as unknown as ClassConstructor<object>, clonePlain(incoming));
  } catch (error) {
    ctx.typeIssue(path, `data class-transformer can turn into a ${type.name}`, `${describeValue(incoming)} (${String(error)})`);
    return () => undefined;
  }
  return () => instance;
}
