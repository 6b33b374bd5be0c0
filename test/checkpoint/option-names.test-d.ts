/** One options name per meaning: `LoadOptions` is the state layer's (`strict`), `CheckpointLoadOptions` the file reader's. */
import { describe, expectTypeOf, it } from 'vitest';
import type { CheckpointLoadOptions } from '../../src/checkpoint/index.js';
// @ts-expect-error the checkpoint layer does not export a second LoadOptions
import type { LoadOptions as Doubled } from '../../src/checkpoint/index.js';
import type { LoadOptions } from '../../src/index.js';

describe('load option names', () => {
  it('name the state load and the file load apart', () => {
    expectTypeOf<LoadOptions>().toHaveProperty('strict');
    expectTypeOf<CheckpointLoadOptions>().toHaveProperty('into');
    expectTypeOf<CheckpointLoadOptions>().toHaveProperty('verify');
    expectTypeOf<LoadOptions>().not.toHaveProperty('into');
    expectTypeOf<Doubled>().toBeAny();
  });
});
