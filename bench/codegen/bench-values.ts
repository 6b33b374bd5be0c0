/** The values every benchmarked implementation is filled with, so they all carry the same amount of state. */
export interface BenchValues {
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
  lastImproved: Date;
  counts: Map<string, number>;
}

/** A realistic filling: 100 history entries, 10 metrics, 4 milestones, 5 tags, 8 counters. */
export function benchValues(): BenchValues {
  return {
    step: 12_345,
    lr: 3e-4,
    betas: [0.9, 0.999],
    mode: 'max',
    best: 0.8731,
    wait: 2,
    history: Array.from({ length: 100 }, (_, i) => 1 / (i + 1)),
    metrics: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`metric_${i}`, i * 0.25])),
    schedule: { warmup: 500, milestones: [1_000, 5_000, 10_000, 20_000], decay: 'linear' },
    tags: ['resnet', 'cifar10', 'augment', 'mixup', 'ema'],
    lastImproved: new Date(Date.UTC(2026, 10, 28, 12)),
    counts: new Map(Array.from({ length: 8 }, (_, i) => [`class_${i}`, i * 13])),
  };
}

export function fill<T extends object>(target: T, values: BenchValues): T {
  return Object.assign(target, values);
}
