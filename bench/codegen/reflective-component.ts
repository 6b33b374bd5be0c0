/**
 * The benchmark component under the reflective engine (`@stateful()` without generated code): the same fields as
 * bench-component.ts. The decorators are applied as plain calls rather than written as `@stateful()`, so that
 * `kindling codegen` (which reads decorators in the source) does not ask for this class to be generated: being
 * reflective is its point.
 */
import { persist, stateful } from 'kindling';

export class ReflectiveScheduler {
  step = 0;
  lr = 0.001;
  betas: [number, number] = [0.9, 0.999];
  mode: 'min' | 'max' = 'min';
  best: number | null = null;
  wait = 0;
  history: number[] = [];
  metrics: Record<string, number> = {};
  schedule: { warmup: number; milestones: number[]; decay: 'linear' | 'cosine' } = { warmup: 0, milestones: [], decay: 'cosine' };
  tags: string[] = [];
  lastImproved: Date = new Date(0);
  counts: Map<string, number> = new Map();
}

export interface ReflectiveScheduler {
  stateDict(): Record<string, unknown>;
  loadStateDict(state: Record<string, unknown>): unknown;
}

const FIELDS = ['step', 'lr', 'betas', 'mode', 'best', 'wait', 'history', 'metrics', 'schedule', 'tags', 'lastImproved', 'counts'] as const;
for (const field of FIELDS) persist()(ReflectiveScheduler.prototype, field);
stateful()(ReflectiveScheduler);
