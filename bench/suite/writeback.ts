/**
 * Writeback discipline between measured IO operations. The kernel flushes dirty pages of earlier writes in the
 * background, and a 1 GiB write still being flushed slowed the next operation by 10× in one round on this machine.
 * So before each measured operation: `sync`, then wait until `Dirty` in /proc/meminfo has drained below a threshold
 * (other users of a shared machine keep writing, so "zero" would never come). The value is recorded next to the
 * figure either way.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export interface Quiesce {
  /** `Dirty` from /proc/meminfo, in kB, right before the measured operation started (-1 when unreadable). */
  readonly dirtyKb: number;
  /** How long the sync + drain took, in seconds. */
  readonly waitedSeconds: number;
  /** Whether the drain timed out (the figure was measured anyway, with `dirtyKb` above the threshold). */
  readonly timedOut: boolean;
  /** 1-minute load average at that moment. */
  readonly loadAverage: number;
}

export function dirtyKb(): number {
  try {
    const match = /^Dirty:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface QuiesceOptions {
  /** Dirty below this counts as drained (kB). */
  readonly thresholdKb: number;
  /** Give up waiting after this long (s). */
  readonly timeoutSeconds: number;
}

export const DEFAULT_QUIESCE: QuiesceOptions = { thresholdKb: 16 * 1024, timeoutSeconds: 30 };

/** `sync`, then polls Dirty until it is below the threshold or the timeout passes. */
export function quiesce(options: QuiesceOptions = DEFAULT_QUIESCE): Quiesce {
  const start = performance.now();
  const deadline = start + options.timeoutSeconds * 1000;
  spawnSync('sync');
  let dirty = dirtyKb();
  while (dirty > options.thresholdKb && performance.now() < deadline) {
    sleep(100);
    // Another sync: someone else's writes (or ours, still queued) are flushed instead of waited for.
    if (dirty > 4 * options.thresholdKb) spawnSync('sync');
    dirty = dirtyKb();
  }
  return {
    dirtyKb: dirty,
    waitedSeconds: (performance.now() - start) / 1000,
    timedOut: dirty > options.thresholdKb,
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
}
