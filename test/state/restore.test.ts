/** One transactional restore across many components: `prepareAll`, `restoreAll` and `restoreCheckpoint` (issue 7 §3). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { persist, prepareAll, restoreAll, StateError, stateful, type Tensor, tensor, zeros } from 'kindling';
import { restoreCheckpoint, saveCheckpoint, type StateTree } from 'kindling/checkpoint';
import { afterAll, describe, expect, it } from 'vitest';
import { Moments } from '../codegen/fixtures/tensors/input/tensors.js';

@stateful()
class Counter {
  @persist() wait = 0;
  @persist() best = 0;
}

@stateful()
class Net {
  @persist() weight: Tensor<'float32'> = zeros('float32', [2]);
}

function components() {
  return { module: new Net(), callbacks: { Counter: new Counter(), Other: new Counter() }, optimizers: { default: new Moments() } };
}

function tree(overrides: { weight?: Tensor; wait?: unknown } = {}): Record<string, unknown> {
  const saved = components();
  saved.module.weight = tensor('float32', [2], [1, 2]);
  saved.callbacks.Counter.wait = 3;
  const states = {
    epoch: 4,
    module: (saved.module as unknown as { stateDict(): Record<string, unknown> }).stateDict(),
    callbacks: {
      Counter: (saved.callbacks.Counter as unknown as { stateDict(): Record<string, unknown> }).stateDict(),
      Other: (saved.callbacks.Other as unknown as { stateDict(): Record<string, unknown> }).stateDict(),
    },
    optimizers: { default: (saved.optimizers.default as unknown as { stateDict(): Record<string, unknown> }).stateDict() },
  };
  if (overrides.weight) states.module.weight = overrides.weight;
  if (overrides.wait !== undefined) states.callbacks.Counter.wait = overrides.wait;
  return states;
}

describe('prepareAll', () => {
  it('reports the issues of every component, paths prefixed by section, and changes nothing', () => {
    const live = components();
    const plan = prepareAll(live, tree({ weight: tensor('float32', [3], [1, 2, 3]), wait: 'soon' }));
    expect(plan.issues.map((i) => i.path)).toEqual(['module.weight', 'callbacks.Counter.wait']);
    expect(() => plan.commit()).toThrow(StateError);
    expect(Array.from(live.module.weight.data)).toEqual([0, 0]);
    expect(live.callbacks.Counter.wait).toBe(0);
  });

  it('commits every component at once, tensors in place', () => {
    const live = components();
    const weight = live.module.weight;
    const plan = prepareAll(live, tree());
    expect(plan.issues).toEqual([]);
    expect(live.callbacks.Counter.wait).toBe(0);
    plan.commit();
    expect(live.module.weight).toBe(weight);
    expect(Array.from(weight.data)).toEqual([1, 2]);
    expect(live.callbacks.Counter.wait).toBe(3);
  });

  it('names the sections a checkpoint has when one it needs is missing', () => {
    const { optimizers: _, ...rest } = tree();
    const error = (() => {
      try {
        restoreAll(components(), rest);
      } catch (e) {
        return e as StateError;
      }
      return expect.fail('expected a StateError');
    })();
    expect(error.message).toBe(
      'optimizers: missing (expected a section with the states of default; the checkpoint has the sections module, callbacks)',
    );
  });

  it('treats a saved component without a live one as unexpected, a live one without a state as missing', () => {
    const saved = tree();
    const callbacks = saved.callbacks as Record<string, unknown>;
    callbacks.Gone = { wait: 1, best: 1 };
    delete callbacks.Other;
    expect(prepareAll(components(), saved).issues.map((i) => [i.path, i.kind])).toEqual([
      ['callbacks.Other', 'missing'],
      ['callbacks.Gone', 'unexpected'],
    ]);
    const result = restoreAll(components(), saved, { strict: false });
    expect(result).toEqual({ missingKeys: ['callbacks.Other'], unexpectedKeys: ['callbacks.Gone'] });
  });

  it('runs a hand-written Stateful first at commit, after every other component validated', () => {
    const order: string[] = [];
    const handWritten = {
      stateDict: () => ({}),
      loadStateDict: () => {
        order.push('hand-written');
        return { missingKeys: [], unexpectedKeys: [] };
      },
    };
    const live = { ...components(), extra: handWritten };
    const bad = prepareAll(live, { ...tree({ wait: 'x' }), extra: {} });
    expect(bad.issues).toHaveLength(1);
    expect(order).toEqual([]);
    const good = prepareAll(live, { ...tree(), extra: {} });
    expect(order).toEqual([]);
    good.commit();
    expect(order).toEqual(['hand-written']);
  });
});

describe('restoreCheckpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-restore-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the whole file against every component before writing a single live tensor', async () => {
    const path = join(dir, 'bad.ckpt');
    await saveCheckpoint(path, tree({ weight: tensor('float32', [2], [7, 8]), wait: 'soon' }) as StateTree);
    const live = components();
    await expect(restoreCheckpoint(path, live)).rejects.toThrow(/callbacks\.Counter\.wait: expected number, got string/);
    expect(Array.from(live.module.weight.data)).toEqual([0, 0]);
  });

  it('restores every component, filling live tensors in place', async () => {
    const path = join(dir, 'good.ckpt');
    await saveCheckpoint(path, tree() as StateTree);
    const live = components();
    const weight = live.module.weight;
    expect(await restoreCheckpoint(path, live)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(live.module.weight).toBe(weight);
    expect(Array.from(weight.data)).toEqual([1, 2]);
    expect(live.callbacks.Counter.wait).toBe(3);
  });
});
