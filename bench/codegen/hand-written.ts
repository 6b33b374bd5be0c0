/**
 * The benchmark's baseline: the same component as bench-component.ts with `stateDict`/`loadStateDict` written by hand
 * the way a careful engineer would without codegen. It keeps the same contract as the generated code: the state holds
 * copies, Date is epoch milliseconds, Map is an entry list; a load validates every key (collecting all problems,
 * strict by default, non-strict reporting missing/unexpected keys) before assigning anything.
 */
import { type LoadOptions, type LoadResult, StateError, type StateIssue } from 'kindling';
import { describeValue } from 'kindling/runtime';

export interface HandWrittenState {
  step: number;
  lr: number;
  betas: [number, number];
  mode: 'min' | 'max';
  best: number | null;
  wait: number;
  history: number[];
  metrics: Record<string, number>;
  schedule: { warmup: number; milestones: number[]; decay: 'linear' | 'cosine' };
  tags: string[];
  lastImproved: number;
  counts: [string, number][];
}

const KEYS = [
  'step', 'lr', 'betas', 'mode', 'best', 'wait', 'history', 'metrics', 'schedule', 'tags', 'lastImproved', 'counts',
] as const;

const KNOWN: ReadonlySet<string> = new Set(KEYS);
const NUMBER_KEYS = ['step', 'lr', 'wait'] as const;

type Input = Record<string, unknown>;

function isObject(v: unknown): v is Input {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype;
}

function isNumberArray(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'number') return false;
  return true;
}

export class HandWrittenScheduler {
  step = 0;
  lr = 0.001;
  betas: [number, number] = [0.9, 0.999];
  mode: 'min' | 'max' = 'min';
  best: number | null = null;
  wait = 0;
  history: number[] = [];
  metrics: Record<string, number> = {};
  schedule: { warmup: number; milestones: number[]; decay: 'linear' | 'cosine' } = {
    warmup: 0,
    milestones: [],
    decay: 'cosine',
  };
  tags: string[] = [];
  lastImproved: Date = new Date(0);
  counts: Map<string, number> = new Map();

  stateDict(): HandWrittenState {
    return {
      step: this.step,
      lr: this.lr,
      betas: [this.betas[0], this.betas[1]],
      mode: this.mode,
      best: this.best,
      wait: this.wait,
      history: this.history.slice(),
      metrics: { ...this.metrics },
      schedule: {
        warmup: this.schedule.warmup,
        milestones: this.schedule.milestones.slice(),
        decay: this.schedule.decay,
      },
      tags: this.tags.slice(),
      lastImproved: this.lastImproved.getTime(),
      counts: Array.from(this.counts),
    };
  }

  loadStateDict(state: HandWrittenState, options: LoadOptions = {}): LoadResult {
    const strict = options.strict ?? true;
    const issues: StateIssue[] = [];
    const missingKeys: string[] = [];
    const unexpectedKeys: string[] = [];
    const root = 'HandWrittenScheduler';
    const s = state as unknown;
    if (!isObject(s)) throw new StateError([{ path: root, kind: 'type', expected: 'object', actual: describeValue(s) }]);
    const wrong = (key: string, expected: string, value: unknown) =>
      issues.push({ path: `${root}.${key}`, kind: 'type', expected, actual: describeValue(value) });

    for (const key of KEYS) {
      if (Object.prototype.hasOwnProperty.call(s, key)) continue;
      if (strict) issues.push({ path: `${root}.${key}`, kind: 'missing', expected: 'a value', actual: 'undefined' });
      else missingKeys.push(`${root}.${key}`);
    }
    for (const key of Object.keys(s)) {
      if (KNOWN.has(key)) continue;
      if (strict) issues.push({ path: `${root}.${key}`, kind: 'unexpected', expected: '', actual: describeValue(s[key]) });
      else unexpectedKeys.push(`${root}.${key}`);
    }

    const has = (key: string) => Object.prototype.hasOwnProperty.call(s, key);
    for (const key of NUMBER_KEYS) {
      if (has(key) && typeof s[key] !== 'number') wrong(key, 'number', s[key]);
    }
    if (has('betas')) {
      const v = s.betas;
      if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number') {
        wrong('betas', '[number, number]', v);
      }
    }
    if (has('mode') && s.mode !== 'min' && s.mode !== 'max') wrong('mode', '"min" | "max"', s.mode);
    if (has('best') && s.best !== null && typeof s.best !== 'number') wrong('best', 'number | null', s.best);
    if (has('history') && !isNumberArray(s.history)) wrong('history', 'number[]', s.history);
    if (has('metrics')) {
      const v = s.metrics;
      if (!isObject(v)) wrong('metrics', 'Record<string, number>', v);
      else for (const k of Object.keys(v)) if (typeof v[k] !== 'number') wrong(`metrics.${k}`, 'number', v[k]);
    }
    if (has('schedule')) {
      const v = s.schedule;
      if (!isObject(v)) wrong('schedule', 'object', v);
      else {
        if (typeof v.warmup !== 'number') wrong('schedule.warmup', 'number', v.warmup);
        if (!isNumberArray(v.milestones)) wrong('schedule.milestones', 'number[]', v.milestones);
        if (v.decay !== 'linear' && v.decay !== 'cosine') wrong('schedule.decay', '"linear" | "cosine"', v.decay);
        for (const k of Object.keys(v)) {
          if (k !== 'warmup' && k !== 'milestones' && k !== 'decay') {
            issues.push({ path: `${root}.schedule.${k}`, kind: 'unexpected', expected: '', actual: describeValue(v[k]) });
          }
        }
      }
    }
    if (has('tags')) {
      const v = s.tags;
      if (!Array.isArray(v) || !v.every((t) => typeof t === 'string')) wrong('tags', 'string[]', v);
    }
    if (has('lastImproved') && typeof s.lastImproved !== 'number') wrong('lastImproved', 'number (epoch ms)', s.lastImproved);
    if (has('counts')) {
      const v = s.counts;
      const ok =
        Array.isArray(v) &&
        v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && typeof e[1] === 'number');
      if (!ok) wrong('counts', '[string, number][]', v);
    }
    if (issues.length > 0) throw new StateError(issues);

    // Everything is valid: assign copies, so the component never shares arrays or objects with the given state.
    const v = s as Partial<HandWrittenState>;
    if (v.step !== undefined) this.step = v.step;
    if (v.lr !== undefined) this.lr = v.lr;
    if (v.betas !== undefined) this.betas = [v.betas[0], v.betas[1]];
    if (v.mode !== undefined) this.mode = v.mode;
    if (v.best !== undefined) this.best = v.best;
    if (v.wait !== undefined) this.wait = v.wait;
    if (v.history !== undefined) this.history = v.history.slice();
    if (v.metrics !== undefined) this.metrics = { ...v.metrics };
    if (v.schedule !== undefined) {
      this.schedule = { warmup: v.schedule.warmup, milestones: v.schedule.milestones.slice(), decay: v.schedule.decay };
    }
    if (v.tags !== undefined) this.tags = v.tags.slice();
    if (v.lastImproved !== undefined) this.lastImproved = new Date(v.lastImproved);
    if (v.counts !== undefined) this.counts = new Map(v.counts);
    return { missingKeys, unexpectedKeys };
  }
}
