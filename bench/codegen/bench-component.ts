import { persist, stateful } from 'kindling';
import { BenchSchedulerState } from './bench-component.state.generated.js';

/**
 * The component the generated code is benchmarked on: a learning-rate scheduler plus early-stopping monitor, a mix
 * of the field kinds real callbacks persist. `hand-written.ts` and `class-transformer-component.ts` hold the same
 * fields.
 */
@stateful(BenchSchedulerState)
export class BenchScheduler {
  @persist() step = 0;
  @persist() lr = 0.001;
  @persist() betas: [number, number] = [0.9, 0.999];
  @persist() mode: 'min' | 'max' = 'min';
  @persist() best: number | null = null;
  @persist() wait = 0;
  @persist() history: number[] = [];
  @persist() metrics: Record<string, number> = {};
  @persist() schedule: { warmup: number; milestones: number[]; decay: 'linear' | 'cosine' } = {
    warmup: 0,
    milestones: [],
    decay: 'cosine',
  };
  @persist() tags: string[] = [];
  @persist() lastImproved: Date = new Date(0);
  @persist() counts: Map<string, number> = new Map();
}
