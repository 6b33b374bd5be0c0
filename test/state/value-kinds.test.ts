/** Value kinds through the reflective engine (`@stateful()` without generated code): the same semantics as generated code. */
import { loadStateDictInto, persist, registerValueKind, StateError, stateful, stateDictOf, type Tensor, tensor } from 'kindling';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commits, FakeParam, fakeParamKind, Scale, scaleCodec } from '../codegen/fixtures/value-kinds/input/fake-param.js';

beforeAll(() => registerValueKind(fakeParamKind));
beforeEach(() => {
  commits.length = 0;
});

@stateful()
class Layer {
  @persist() weight = new FakeParam([2]);
  @persist() extras: FakeParam[] = [new FakeParam([1])];
  @persist() table: Record<string, FakeParam> = { a: new FakeParam([1]) };
  @persist({ codec: scaleCodec }) scale = new Scale(1);
}

@stateful()
class Pair {
  @persist() first = new Layer();
  @persist() second = new Layer();
}

const f32 = (shape: number[], values: number[]): Tensor => tensor('float32', shape, values);
const layerState = (weight = f32([2], [1, 2])) => ({
  weight,
  extras: [f32([1], [3])],
  table: { a: f32([1], [4]) },
  scale: tensor('float64', [], [5]),
});

describe('value kinds (reflective engine)', () => {
  it('saves with the kind and loads into the live values', () => {
    const layer = new Layer();
    const saved = stateDictOf(layer) as { weight: Tensor };
    expect(saved.weight.data).toBe(layer.weight.values);
    const [weight, extra, entry, scale] = [layer.weight, layer.extras[0], layer.table.a, layer.scale];
    loadStateDictInto(layer, layerState());
    expect([layer.weight, layer.extras[0], layer.table.a, layer.scale]).toEqual([weight, extra, entry, scale]);
    expect(layer.weight).toBe(weight);
    expect(Array.from(layer.weight.values)).toEqual([1, 2]);
    expect(Array.from(layer.table.a!.values)).toEqual([4]);
    expect(layer.scale.factor).toBe(5);
  });

  it('reports a shape mismatch with both shapes, committing nothing anywhere', () => {
    const pair = new Pair();
    const error = (() => {
      try {
        loadStateDictInto(pair, { first: layerState(), second: layerState(f32([3], [1, 2, 3])) });
      } catch (e) {
        return e as StateError;
      }
      return expect.fail('expected a StateError');
    })();
    expect(error).toBeInstanceOf(StateError);
    expect(error.message).toBe('Pair.second.weight: expected float32[2], got float32[3]');
    expect(commits).toEqual([]);
    expect(pair.first.scale.factor).toBe(1);
  });
});
