/** ModelCheckpoint's bookkeeping as a value (model-checkpoint/top-k.ts): what a save does to it, and what it records. */
import { describe, expect, it } from 'vitest';
import type { StateTree } from '../../../src/checkpoint/types.js';
import { type Bookkeeping, recordIn, replacedBy, type SavedFile, withSaved } from '../../../src/components/callbacks/model-checkpoint/top-k.js';

const empty: Bookkeeping = { bestKModels: {}, kthBestModelPath: '', kthValue: Infinity, bestModelPath: '', bestModelScore: null, currentScore: null, lastModelPath: '' };
const topK = (file: string, score: number): SavedFile => ({ kind: 'topK', file, score });
const fold = (saves: readonly SavedFile[], saveTopK: number, from = empty) => saves.reduce((state, saved) => withSaved(state, saved, saveTopK, 'min'), from);

describe('withSaved', () => {
  it("fills the top k, sets the k-th only once it is full (Lightning's rule), and replaces the k-th after", () => {
    const two = fold([topK('a', 0.5), topK('b', 0.4)], 2);
    expect(fold([topK('a', 0.5)], 2)).toMatchObject({ bestKModels: { a: 0.5 }, kthBestModelPath: '', kthValue: Infinity, bestModelPath: 'a' });
    expect(two).toMatchObject({ bestKModels: { a: 0.5, b: 0.4 }, kthBestModelPath: 'a', kthValue: 0.5, bestModelPath: 'b', bestModelScore: 0.4, currentScore: 0.4 });
    expect(withSaved(two, topK('c', 0.45), 2, 'min')).toMatchObject({ bestKModels: { b: 0.4, c: 0.45 }, kthBestModelPath: 'c', bestModelPath: 'b', currentScore: 0.45 });
  });

  it('takes out entries beyond k (a state that holds more, as a resumed one may): the k-th, then the worst', () => {
    const over: Bookkeeping = { ...empty, bestKModels: { a: 0.5, b: 0.4, c: 0.3 }, kthBestModelPath: 'b', kthValue: 0.4 };
    expect(Object.keys(withSaved(over, topK('d', 0.1), 2, 'min').bestKModels)).toEqual(['c', 'd']);
  });

  it('keeps every file with saveTopK -1, and records latest and last without touching the top k', () => {
    expect(Object.keys(fold([topK('a', 2), topK('b', 1), topK('c', 3)], -1).bestKModels)).toEqual(['a', 'b', 'c']);
    const state = fold([topK('a', 2), { kind: 'last', file: 'last' }, { kind: 'latest', file: 'x' }], 1);
    expect(state).toMatchObject({ bestKModels: { a: 2 }, lastModelPath: 'last', bestModelPath: 'x' });
  });
});

describe('replacedBy', () => {
  it('names the top-k files that left, the previous latest only with saveTopK 1, and the previous last unless it is the same path', () => {
    const before = fold([topK('a', 0.5), topK('b', 0.4), { kind: 'last', file: 'last-v1' }, { kind: 'latest', file: 'x' }], 2);
    const entered = topK('c', 0.3);
    expect(replacedBy(before, withSaved(before, entered, 2, 'min'), entered, 2)).toEqual(['a']);
    const latest: SavedFile = { kind: 'latest', file: 'y' };
    expect(replacedBy(before, withSaved(before, latest, 1, 'min'), latest, 1)).toEqual(['x']);
    expect(replacedBy(before, withSaved(before, latest, -1, 'min'), latest, -1)).toEqual([]);
    for (const [file, replaced] of [['last', ['last-v1']], ['last-v1', []]] as const) {
      const last: SavedFile = { kind: 'last', file };
      expect(replacedBy(before, withSaved(before, last, 2, 'min'), last, 2)).toEqual(replaced);
    }
  });
});

describe('recordIn', () => {
  it("returns a tree whose callback state records the bookkeeping, in the state's key order, and leaves the tree as it was", () => {
    const key = 'ModelCheckpoint{}';
    const state = { monitor: 'val_loss', bestModelScore: 0.4, bestModelPath: 'b', currentScore: 0.4, dirpath: '/d', bestKModels: { a: 0.5, b: 0.4 }, kthBestModelPath: 'a', kthValue: 0.5, lastModelPath: '' };
    const tree: StateTree = { epoch: 3, callbacks: { Other: { n: 1 }, [key]: state } };
    const copy = structuredClone(tree);
    const recorded = fold([topK('b', 0.4)], 2);
    const out = recordIn(tree, key, recorded);
    expect(tree).toEqual(copy);
    const written = (out['callbacks'] as Record<string, Record<string, unknown>>)[key]!;
    expect(Object.keys(written)).toEqual(Object.keys(state));
    expect(written).toEqual({ ...state, bestModelScore: 0.4, bestModelPath: 'b', bestKModels: { b: 0.4 }, kthBestModelPath: '', kthValue: Infinity });
    expect((out['callbacks'] as Record<string, unknown>)['Other']).toBe((tree['callbacks'] as Record<string, unknown>)['Other']);
  });

  it('leaves a tree without the callback state (weightsOnly) as it is', () => {
    const tree: StateTree = { epoch: 1, module: {} };
    expect(recordIn(tree, 'ModelCheckpoint{}', empty)).toBe(tree);
  });
});
