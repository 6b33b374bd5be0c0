/** Timer: stops at the duration (per step or per epoch), measures stages, and resumes the training time only. */
import { describe, expect, it } from 'vitest';
import { CallbackConfigError } from '../../../src/components/callbacks/errors.js';
import { parseDuration, Timer, type TimedTrainer } from '../../../src/components/callbacks/timer.js';

function clock() {
  const c = { ms: 0, now: () => c.ms };
  return c;
}
const trainer = (): TimedTrainer => ({ shouldStop: false, sanityChecking: false });

describe('Timer', () => {
  it('stops after the duration of training, checked at the configured interval', () => {
    const c = clock();
    const timer = new Timer({ duration: { seconds: 10 }, now: c.now, verbose: false });
    const t = trainer();
    timer.start('train');
    c.ms = 9_999;
    expect(timer.check(t, 'step')).toBe(false);
    c.ms = 10_000;
    expect(timer.check(t, 'epoch')).toBe(false);
    expect(t.shouldStop).toBe(false);
    expect(timer.check(t, 'step')).toBe(true);
    expect(t.shouldStop).toBe(true);
    expect(timer.remaining()).toBe(0);
  });

  it('only measures without a duration', () => {
    const c = clock();
    const timer = new Timer({ now: c.now });
    const t = trainer();
    timer.start('train');
    c.ms = 1e9;
    expect(timer.check(t, 'step')).toBe(false);
    expect(timer.remaining()).toBeUndefined();
  });

  it('measures each stage, and saves seconds per stage as of its last hook', () => {
    const c = clock();
    const timer = new Timer({ now: c.now });
    timer.start('train');
    c.ms = 2_000;
    timer.start('validate');
    c.ms = 2_500;
    timer.end('validate');
    c.ms = 4_000;
    timer.end('train');
    expect(timer.stateDict()).toEqual({ timeElapsed: { train: 4, sanityCheck: 0, validate: 0.5, test: 0, predict: 0 } });
    expect(timer.validationStage({ shouldStop: false, sanityChecking: true })).toBe('sanityCheck');
  });

  it('continues the saved training time on resume, and measures other stages afresh', () => {
    const c = clock();
    const before = new Timer({ duration: '00:00:00:10', now: c.now, verbose: false });
    before.start('train');
    c.ms = 6_000;
    before.check(trainer(), 'step');
    const saved = before.stateDict();
    const after = new Timer({ duration: '00:00:00:10', now: c.now, verbose: false });
    after.loadStateDict({ timeElapsed: { ...saved.timeElapsed, validate: 3 } });
    expect(after.elapsed('train')).toBe(6);
    expect(after.elapsed('validate')).toBe(0);
    after.start('train');
    c.ms = 9_999;
    expect(after.check(trainer(), 'step')).toBe(false);
    c.ms = 10_000;
    expect(after.check(trainer(), 'step')).toBe(true);
  });

  it('refuses a negative saved time and changes nothing', () => {
    const timer = new Timer();
    expect(() => timer.loadStateDict({ timeElapsed: { train: -1, sanityCheck: 0, validate: 0, test: 0, predict: 0 } })).toThrow(/timeElapsed\.train/);
    expect(timer.elapsed('train')).toBe(0);
  });

  it("parses Lightning's 'DD:HH:MM:SS' and duration parts", () => {
    expect(parseDuration('01:02:03:04')).toBe(86_400 + 7_200 + 180 + 4);
    expect(parseDuration({ hours: 1, minutes: 30 })).toBe(5_400);
    expect(() => parseDuration('12:00')).toThrow(CallbackConfigError);
    expect(() => new Timer({ interval: 'batch' as 'step' })).toThrow(/interval/);
  });

  it('has the class name as its state key', () => {
    expect(new Timer({ duration: { hours: 1 } }).stateKey).toBe('Timer');
  });
});
