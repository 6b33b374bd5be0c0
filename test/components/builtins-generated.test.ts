/**
 * Every built-in stateful class exported from `kindling` uses generated code: it is `@stateful(XState)` with an
 * `XState` generated for that very class, whose `.state.generated.ts` file sits next to the class's source, and no
 * exported class adds `@persist` fields without its own generated state (it would fall back to its parent's code,
 * or the reflective engine, and not save them).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as kindling from '../../src/index.js';
import { generatedStateOf } from '../../src/state/decorators.js';
import { type Constructor, isStatefulClass, nearestStatefulClass, ownPersistedFields } from '../../src/state/metadata.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

const classes = (Object.entries(kindling) as [string, unknown][]).filter(
  (entry): entry is [string, Constructor] => typeof entry[1] === 'function' && /^class\b/.test(Function.prototype.toString.call(entry[1])),
);
const statefulClasses = classes.filter(([, ctor]) => isStatefulClass(ctor));

describe('built-in stateful classes', () => {
  it('are found (the enumeration itself works)', () => {
    const names = statefulClasses.map(([name]) => name);
    for (const expected of ['Module', 'Layer', 'Linear', 'Sequential', 'SGD', 'Adam', 'AdamW', 'StepLR', 'Generator', 'DataLoaderBase', 'Precision']) {
      expect(names).toContain(expected);
    }
  });

  it.each(statefulClasses)('%s has its own generated state in a .state.generated.ts next to its source', (name, ctor) => {
    const generated = generatedStateOf(ctor);
    expect(generated, `${name} uses the reflective engine (@stateful() without generated state)`).toBeDefined();
    expect(generated!.className).toBe(name);
    const source = path.join(ROOT, generated!.source);
    expect(existsSync(source), `${generated!.source}`).toBe(true);
    expect(existsSync(source.replace(/\.ts$/, '.state.generated.ts')), `${generated!.source} has no .state.generated.ts`).toBe(true);
  });

  it('no exported class adds @persist fields without its own generated state', () => {
    const offenders = classes
      .filter(([, ctor]) => !isStatefulClass(ctor) && nearestStatefulClass(ctor) !== undefined && ownPersistedFields(ctor).length > 0)
      .map(([name]) => name);
    expect(offenders).toEqual([]);
  });
});
