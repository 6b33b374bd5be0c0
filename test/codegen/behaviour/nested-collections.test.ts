/**
 * Fields holding @stateful components in arrays, tuples, records, Maps and `T | null`: saved element by element,
 * loaded into the existing elements, every element validated before any is changed.
 */
import fc from 'fast-check';
import { stateDictOf } from 'kindling';
import { describe, expect, it } from 'vitest';
import { Head, Loader } from '../fixtures/nested-collections/input/head.js';
import { TrainingRun } from '../fixtures/nested-collections/input/run.js';
import { expectSameState } from './support/same-state.js';
import { load, loadError, snapshot, stateOf } from './support/untyped.js';

function head(weight: number, steps: number): Head {
  const h = new Head(`w${weight}`);
  h.weight = weight;
  h.steps = steps;
  return h;
}

function loader(position: number): Loader {
  const l = new Loader();
  l.position = position;
  return l;
}

const int = fc.integer({ min: -1000, max: 1000 });
const headArb = fc.tuple(int, int).map(([w, s]) => head(w, s));
const loaderArb = int.map(loader);
const keyArb = fc.string({ maxLength: 6 });

const runArb = fc
  .record({
    epoch: int,
    heads: fc.array(headArb, { maxLength: 4 }),
    frozen: fc.array(headArb, { maxLength: 2 }),
    pair: fc.tuple(headArb, loaderArb),
    byName: fc.dictionary(keyArb, headArb, { maxKeys: 3 }),
    loaders: fc.dictionary(keyArb, loaderArb, { maxKeys: 3 }),
    byId: fc.uniqueArray(fc.tuple(int, loaderArb), { maxLength: 3, selector: ([k]) => k }),
    byKey: fc.uniqueArray(fc.tuple(fc.oneof(keyArb, int), headArb), { maxLength: 3, selector: ([k]) => k }),
    spare: fc.option(headArb),
    mainHead: fc.option(headArb),
    extra: fc.option(fc.array(headArb, { maxLength: 2 }), { nil: undefined }),
  })
  .map((v) => {
    const run = new TrainingRun();
    Object.assign(run, { ...v, byId: new Map(v.byId), byKey: new Map(v.byKey) });
    return run;
  });

/** A run with the same shape as `run` (same lengths, keys, null fields) but other element states. */
function sameShape(run: TrainingRun, shift: number): TrainingRun {
  const h = (x: Head) => head(x.weight + shift, x.steps + shift);
  const l = (x: Loader) => loader(x.position + shift);
  const mapValues = <T>(r: Record<string, T>, f: (t: T) => T) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
  const out = new TrainingRun();
  out.epoch = run.epoch + shift;
  out.heads = run.heads.map(h);
  out.frozen = run.frozen.map(h);
  out.pair = [h(run.pair[0]), l(run.pair[1])];
  out.byName = mapValues(run.byName, h);
  out.loaders = mapValues(run.loaders, l);
  out.byId = new Map([...run.byId].map(([k, v]) => [k, l(v)]));
  out.byKey = new Map([...run.byKey].map(([k, v]) => [k, h(v)]));
  out.spare = run.spare && h(run.spare);
  out.mainHead = run.mainHead && h(run.mainHead);
  if (run.extra !== undefined) out.extra = run.extra.map(h);
  return out;
}

function twoHeads(): TrainingRun {
  const run = new TrainingRun();
  run.heads = [head(1, 10), head(2, 20)];
  return run;
}

describe('nested @stateful collections: stateDict', () => {
  it('equals the reflective engine’s stateDictOf', () => {
    fc.assert(fc.property(runArb, (run) => expectSameState(stateOf(run), stateDictOf(run))), { numRuns: 60 });
  });

  it('keeps order, keys and Map entries', () => {
    const run = twoHeads();
    run.byId = new Map([[7, loader(3)], [2, loader(4)]]);
    const state = stateOf(run);
    expect(state['heads']).toEqual([{ weight: 1, steps: 10 }, { weight: 2, steps: 20 }]);
    expect(state['byId']).toEqual([[7, { position: 3 }], [2, { position: 4 }]]);
    expect(state['loaders']).toEqual({ train: { position: 0 }, valid: { position: 0 } });
    expect(state['spare']).toBeNull();
  });
});

describe('nested @stateful collections: load', () => {
  it('a JSON round trip restores every element in place', () => {
    fc.assert(
      fc.property(runArb, (saved) => {
        const target = sameShape(saved, 5);
        const elements = [...target.heads, ...target.byId.values(), ...Object.values(target.byName)];
        const containers = [target.heads, target.byId, target.byName];
        load(target, JSON.parse(JSON.stringify(stateOf(saved))));
        expectSameState(stateOf(target), stateOf(saved));
        expect([...target.heads, ...target.byId.values(), ...Object.values(target.byName)]).toEqual(elements);
        [...target.heads, ...target.byId.values()].forEach((e, i) => expect(e).toBe(elements[i]));
        [target.heads, target.byId, target.byName].forEach((c, i) => expect(c).toBe(containers[i]));
      }),
      { numRuns: 60 },
    );
  });

  it('a bad element state leaves every element (and every other field) unchanged', () => {
    fc.assert(
      fc.property(runArb.filter((r) => r.heads.length > 0), fc.nat(), (saved, pick) => {
        const state = structuredClone(stateOf(saved)) as { heads: { weight: unknown }[] };
        const bad = pick % state.heads.length;
        state.heads[bad]!.weight = 'heavy';
        const target = sameShape(saved, 1);
        const before = snapshot(target);
        const error = loadError(target, state);
        expect(error.issues.map((i) => i.path)).toEqual([`TrainingRun.heads[${bad}].weight`]);
        expectSameState(snapshot(target), before);
      }),
      { numRuns: 40 },
    );
  });

  it('a state for an index, key or null field with no element is an issue: a load cannot construct', () => {
    const target = twoHeads();
    const state = stateOf(twoHeads()) as Record<string, unknown>;
    state['heads'] = [...(state['heads'] as unknown[]), { weight: 3, steps: 30 }];
    state['byName'] = { main: { weight: 1, steps: 0 }, other: { weight: 1, steps: 0 } };
    state['byId'] = [[0, { position: 1 }], [9, { position: 2 }]];
    state['spare'] = { weight: 1, steps: 0 };
    state['pair'] = [{ weight: 1, steps: 0 }, { position: 1 }, { position: 2 }];
    const before = snapshot(target);
    const error = loadError(target, state);
    expect(error.issues.map((i) => `${i.path}: ${i.expected}`)).toEqual([
      'TrainingRun.heads[2]: nothing here (a new Head cannot be created by a load)',
      'TrainingRun.pair[2]: nothing here (a [Head, Loader] tuple has 2 elements)',
      'TrainingRun.byName.other: nothing here (a new Head cannot be created by a load)',
      'TrainingRun.byId[1][1]: nothing here (a new Loader cannot be created by a load)',
      'TrainingRun.spare: nothing here (a new Head cannot be created by a load)',
    ]);
    expectSameState(snapshot(target), before);
  });

  it('strict: an element without a state is a missing key at its path', () => {
    const target = twoHeads();
    target.byKey = new Map<string | number, Head>([['x', head(0, 0)], [3, head(0, 0)]]);
    const state = { ...stateOf(target), heads: [{ weight: 5, steps: 50 }], loaders: { train: { position: 1 } }, byKey: [['x', { weight: 1, steps: 1 }]] };
    const before = snapshot(target);
    const error = loadError(target, state);
    expect(error.issues.map((i) => `${i.kind} ${i.path}`)).toEqual([
      'missing TrainingRun.heads[1]',
      'missing TrainingRun.loaders.valid',
      'missing TrainingRun.byKey.get(3)',
    ]);
    expectSameState(snapshot(target), before);
  });

  it('non-strict: an element without a state is reported in missingKeys and keeps its state', () => {
    const target = twoHeads();
    const state = { ...stateOf(target), heads: [{ weight: 5, steps: 50 }], loaders: { train: { position: 1 } } };
    const result = load(target, state, { strict: false });
    expect(result.missingKeys).toEqual(['TrainingRun.heads[1]', 'TrainingRun.loaders.valid']);
    expect(target.heads.map((h) => [h.weight, h.steps])).toEqual([[5, 50], [2, 20]]);
    expect(target.loaders['train']!.position).toBe(1);
    expect(target.loaders['valid']!.position).toBe(0);
  });

  it('null: saves as null, loads into a null field, and is an issue for an existing component', () => {
    const target = new TrainingRun();
    expect(stateOf(target)['spare']).toBeNull();
    load(target, { ...stateOf(target), spare: null });
    expect(target.spare).toBeNull();
    const before = snapshot(target);
    const error = loadError(target, { ...stateOf(target), mainHead: null });
    expect(error.issues.map((i) => `${i.path}: ${i.expected} / ${i.actual}`)).toEqual(['TrainingRun.mainHead: object (the state of Head) / null']);
    expectSameState(snapshot(target), before);
  });

  it('legacy keys and wrong container shapes', () => {
    const target = new TrainingRun();
    const rest: Record<string, unknown> = stateOf(target);
    delete rest['mainHead'];
    load(target, { ...rest, main_head: { weight: 9, steps: 9 } });
    expect(target.mainHead?.weight).toBe(9);
    const error = loadError(target, { ...stateOf(target), heads: { 0: {} }, byId: {}, loaders: [] });
    expect(error.issues.map((i) => `${i.path}: ${i.expected}`)).toEqual([
      'TrainingRun.heads: Head state[]',
      'TrainingRun.loaders: Record<string, Loader state>',
      'TrainingRun.byId: [number, Loader state][] (Map entries)',
    ]);
  });

  it('a field that does not hold its collection (an unset `?` field) cannot be loaded into', () => {
    const target = new TrainingRun();
    expect('extra' in stateOf(target)).toBe(false);
    load(target, stateOf(target));
    expect(target.extra).toBeUndefined();
    const error = loadError(target, { ...stateOf(target), extra: [{ weight: 1, steps: 1 }] });
    expect(error.issues.map((i) => `${i.path}: ${i.expected}`)).toEqual(['TrainingRun.extra: a Head[] to load into']);
  });

  it('an element that is not an object cannot be loaded into', () => {
    const target = twoHeads();
    (target.heads as unknown[])[1] = 7;
    const error = loadError(target, { ...stateOf(twoHeads()) });
    expect(error.issues.map((i) => `${i.path}: ${i.expected}, ${i.actual}`)).toEqual(['TrainingRun.heads[1]: a Head to load into, the element holds number']);
  });

  it('a Map entry with a bad or repeated key is an issue', () => {
    const target = new TrainingRun();
    const error = loadError(target, { ...stateOf(target), byId: [['0', { position: 1 }], [0, { position: 1 }], [0, { position: 2 }]] });
    expect(error.issues.map((i) => i.path)).toEqual(['TrainingRun.byId[0][0]', 'TrainingRun.byId[2][0]']);
  });
});
