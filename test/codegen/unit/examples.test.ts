/**
 * The dogfood components (examples/components) with their committed generated code: wiring passes the run-time
 * freshness check, states round-trip, and bad states change nothing.
 */
import { describe, expect, it } from 'vitest';
import { EarlyStopping } from '../../../examples/components/early-stopping.js';
import { EarlyStoppingState } from '../../../examples/components/early-stopping.state.generated.js';
import { StepCounter } from '../../../examples/components/step-counter.js';
import { WeightAverager } from '../../../examples/components/weight-averager.js';
import { StateError } from '../../../src/state/errors.js';

describe('example components', () => {
  it('EarlyStopping saves its private counters and loads a pre-rename checkpoint (best_score)', () => {
    const es = new EarlyStopping({ mode: 'max', patience: 2 });
    es.check(0.5, 1);
    es.check(0.4, 2);
    expect(es.check(0.3, 3)).toBe(true);
    expect(es.stateDict()).toEqual({ mode: 'max', bestScore: 0.5, wait: 2, stoppedAtStep: 3 });

    const resumed = new EarlyStopping({ mode: 'max', patience: 2 });
    resumed.loadStateDict({ mode: 'max', best_score: 0.9, wait: 1 } as never);
    expect(resumed.stateDict()).toEqual({ mode: 'max', bestScore: 0.9, wait: 1 });
    expect(resumed.stopped).toBe(false);
  });

  it('EarlyStopping rejects a bad state with every problem and keeps its state', () => {
    const es = new EarlyStopping();
    const before = es.stateDict();
    let error: unknown;
    try {
      es.loadStateDict({ mode: 'sideways', bestScore: 'high', wait: 0 } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateError);
    expect((error as StateError).issues.map((i) => `${i.path}: ${i.expected} / ${i.actual}`)).toEqual([
      'EarlyStopping.mode: "max" | "min" / "sideways"',
      'EarlyStopping.bestScore: number | null / string',
    ]);
    expect(es.stateDict()).toEqual(before);
  });

  it('StepCounter round-trips renamed keys, records, Maps of Dates and Sets through JSON', () => {
    const counter = new StepCounter();
    counter.start('train');
    counter.complete('train', new Date(1_000));
    counter.tags.add('warmup');
    const saved = JSON.parse(JSON.stringify(counter.stateDict())) as ReturnType<StepCounter['stateDict']>;
    expect(saved).toEqual({
      epoch: 0,
      global_step: 1,
      progress: { train: { started: 1, completed: 1 }, validate: { started: 0, completed: 0 } },
      lastCompleted: [['train', 1_000]],
      tags: ['warmup'],
    });
    const copy = new StepCounter();
    copy.loadStateDict(saved);
    expect(copy.step).toBe(1);
    expect(copy.lastCompleted.get('train')).toEqual(new Date(1_000));
    expect(copy.tags).toEqual(new Set(['warmup']));
  });

  it('WeightAverager loads its tensor in place and validates the nested counter before changing anything', () => {
    const source = new WeightAverager(2);
    source.update(new Float32Array([1, 2]), new Date(0));
    const target = new WeightAverager(2);
    const tensor = target.average;
    target.loadStateDict(source.stateDict());
    expect(target.average).toBe(tensor);
    expect(Array.from(target.average.data)).toEqual(Array.from(source.average.data));
    expect(target.counter.step).toBe(1);

    const bad = { ...source.stateDict(), decay: 0.5, counter: { ...source.counter.stateDict(), epoch: 'one' } };
    expect(() => target.loadStateDict(bad as never)).toThrow(/WeightAverager\.counter\.epoch: expected number, got string/);
    expect(target.decay).toBe(0.99);
  });

  it('exposes the hook shims on the generated state', () => {
    const es = new EarlyStopping();
    const section: Record<string, unknown> = { early_stopping: { mode: 'max', bestScore: 2, wait: 0 } };
    expect(EarlyStoppingState.shims.load(es, section, 'EarlyStopping')).toBe('early_stopping');
    expect(es.stateDict().bestScore).toBe(2);
    EarlyStoppingState.shims.save(es, section, 'EarlyStopping');
    expect(section['EarlyStopping']).toEqual({ mode: 'max', bestScore: 2, wait: 0 });
  });
});
