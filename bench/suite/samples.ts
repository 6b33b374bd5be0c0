/**
 * Measurements of one suite run and the side-by-side ratios computed from them. A ratio pairs the two operations of
 * the same round (run one after the other, in an order that rotates from round to round), so that a change of the
 * machine's load between rounds hits both sides alike; its figure is the median of the per-round ratios, with their
 * min–max.
 */
import { median } from '../helpers/stats.js';
import type { Quiesce } from './writeback.js';

export interface Sample {
  readonly label: string;
  readonly round: number;
  readonly seconds: number;
  /** async save: the background write after the blocking part. */
  readonly extraSeconds?: number;
  readonly peakRssBytes?: number;
  /** CPU time of the operation over all its threads (user + system), and the system part. */
  readonly cpuSeconds?: number;
  readonly sysSeconds?: number;
  /** Cold reads: bytes of the file still in the guest's page cache after the eviction (fincore). */
  readonly residentAfterEvictionBytes?: number;
  /** The machine right before the operation: Dirty kB after the drain, load average. */
  readonly before: Quiesce;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  readonly loadAverage: number;
  readonly dirtyKb: number;
}

export class Samples {
  readonly all: Sample[] = [];

  add(sample: Sample): void {
    this.all.push(sample);
  }

  of(label: string): Sample[] {
    return this.all.filter((s) => s.label === label);
  }

  has(label: string): boolean {
    return this.all.some((s) => s.label === label);
  }

  /** Median seconds (min–max) of one operation, with the machine's state around it. */
  seconds(label: string): Spread | undefined {
    const ms = this.of(label);
    if (ms.length === 0) return undefined;
    return spread(ms.map((m) => m.seconds), ms);
  }

  peakRss(label: string): Spread | undefined {
    const ms = this.of(label).filter((m) => m.peakRssBytes !== undefined);
    if (ms.length === 0) return undefined;
    return spread(ms.map((m) => m.peakRssBytes!), ms);
  }

  /** Median CPU seconds (user + system, all threads) and the median system part of one operation. */
  cpu(label: string): { cpu: number; sys: number } | undefined {
    const ms = this.of(label).filter((m) => m.cpuSeconds !== undefined && m.sysSeconds !== undefined);
    if (ms.length === 0) return undefined;
    return { cpu: median(ms.map((m) => m.cpuSeconds!)), sys: median(ms.map((m) => m.sysSeconds!)) };
  }

  /** Per-round CPU time(numerator) ÷ CPU time(denominator) (user + system, all threads), over the rounds that have both. */
  cpuRatio(numerator: string, denominator: string): Spread | undefined {
    const ratios: number[] = [];
    const used: Sample[] = [];
    for (const a of this.of(numerator)) {
      const b = this.of(denominator).find((s) => s.round === a.round);
      if (a.cpuSeconds === undefined || b?.cpuSeconds === undefined) continue;
      ratios.push(a.cpuSeconds / b.cpuSeconds);
      used.push(a, b);
    }
    return ratios.length === 0 ? undefined : spread(ratios, used);
  }

  /** Per-round time(numerator) ÷ time(denominator), over the rounds that measured both. */
  ratio(numerator: string, denominator: string): Spread | undefined {
    const ratios: number[] = [];
    const used: Sample[] = [];
    for (const a of this.of(numerator)) {
      const b = this.all.find((s) => s.label === denominator && s.round === a.round);
      if (!b) continue;
      ratios.push(a.seconds / b.seconds);
      used.push(a, b);
    }
    return ratios.length === 0 ? undefined : spread(ratios, used);
  }
}

export function spread(values: readonly number[], samples: readonly Sample[]): Spread {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
    loadAverage: median(samples.map((s) => s.before.loadAverage)),
    dirtyKb: median(samples.map((s) => s.before.dirtyKb)),
  };
}
