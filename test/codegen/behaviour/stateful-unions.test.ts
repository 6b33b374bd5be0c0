/**
 * Collections of components of different classes (`(EarlyStop | Average)[]`, records, Maps, tuples, `A | B | null`,
 * a direct `A | B` field) and of a base class holding subclass instances: each element is saved with its own
 * stateDict() and loaded through its own two-phase loader; a state that fits another class is refused at its path.
 */
import { stateDictOf } from 'kindling';
import { describe, expect, it } from 'vitest';
import { Average, CallbackList, EarlyStop, PatientStop } from '../fixtures/stateful-unions/input/callbacks.js';
import { load, loadError, snapshot, stateOf } from './support/untyped.js';

function stop(wait: number): EarlyStop {
  const s = new EarlyStop();
  s.wait = wait;
  return s;
}

function patient(wait: number, patience: number): PatientStop {
  const p = new PatientStop();
  p.wait = wait;
  p.patience = patience;
  return p;
}

function average(total: number, count: number): Average {
  const a = new Average();
  a.total = total;
  a.count = count;
  return a;
}

/** A list whose every collection mixes classes; `k` shifts every number so two lists differ everywhere. */
function list(k: number): CallbackList {
  const l = new CallbackList();
  l.list = [stop(k + 1), average(k + 2, k + 3), patient(k + 4, k + 5)];
  l.stops = [stop(k + 6), patient(k + 7, k + 8)];
  l.byName = { early: stop(k + 9), mean: average(k + 10, k + 11) };
  l.byId = new Map<number, Average | EarlyStop>([
    [1, average(k + 12, k + 13)],
    [2, stop(k + 14)],
  ]);
  l.pair = [stop(k + 15), average(k + 16, k + 17)];
  l.main = average(k + 18, k + 19);
  l.spare = patient(k + 20, k + 21);
  return l;
}

describe('collections of components of different classes', () => {
  it('saves each element with its own stateDict(), as the reflective engine does', () => {
    const state = stateOf(list(0));
    expect(state).toEqual({
      list: [{ wait: 1 }, { total: 2, count: 3 }, { wait: 4, patience: 5 }],
      stops: [{ wait: 6 }, { wait: 7, patience: 8 }],
      byName: { early: { wait: 9 }, mean: { total: 10, count: 11 } },
      byId: [
        [1, { total: 12, count: 13 }],
        [2, { wait: 14 }],
      ],
      pair: [{ wait: 15 }, { total: 16, count: 17 }],
      main: { total: 18, count: 19 },
      spare: { wait: 20, patience: 21 },
    });
    expect(state).toEqual(stateDictOf(list(0)));
  });

  it('loads each element through its own loader, in place, subclass fields included', () => {
    const target = list(100);
    const elements = [...target.list, ...target.stops, target.main, target.spare];
    const result = load(target, snapshot(list(0)));
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(stateOf(target)).toEqual(stateOf(list(0)));
    expect([...target.list, ...target.stops, target.main, target.spare]).toEqual(elements);
    expect(target.list[2]).toBeInstanceOf(PatientStop);
  });

  it('refuses a state that belongs to another class, at its path, and changes nothing', () => {
    const target = list(100);
    const before = snapshot(target);
    const state = snapshot(list(0)) as Record<string, unknown[] | Record<string, unknown>>;
    // An Average state where the list holds an EarlyStop, and an EarlyStop state where the subclass needs patience.
    (state.list as unknown[])[0] = { total: 1, count: 1 };
    (state.stops as unknown[])[1] = { wait: 1 };
    (state.byName as Record<string, unknown>).mean = { wait: 1 };
    const error = loadError(target, state);
    expect(error.issues.map((i) => `${i.kind} ${i.path}`)).toEqual([
      'unexpected CallbackList.list[0].total',
      'unexpected CallbackList.list[0].count',
      'missing CallbackList.list[0].wait',
      'missing CallbackList.stops[1].patience',
      'unexpected CallbackList.byName.mean.wait',
      'missing CallbackList.byName.mean.total',
      'missing CallbackList.byName.mean.count',
    ]);
    expect(snapshot(target)).toEqual(before);
  });

  it('names the union in messages where a new element would have to be created', () => {
    const target = list(0);
    const state = snapshot(target) as Record<string, unknown[]>;
    state.list!.push({ wait: 0 });
    expect(loadError(target, state).message).toBe(
      'CallbackList.list[3]: expected nothing here (a new Average | EarlyStop cannot be created by a load), got object',
    );
  });
});
