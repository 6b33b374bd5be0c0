/** The operations `checkpoint-child.ts` can run, and what it reports. */
export const CHILD_OPS = [
  'idle',
  'raw-write',
  'raw-write-fsync',
  'save',
  'save-nocrc',
  'checksum',
  'checksum-hot',
  'raw-read',
  'load',
  'load-noverify',
  'load-into',
  'memcpy-slice',
  'memcpy-set',
  'async-save',
] as const;
export type ChildOp = (typeof CHILD_OPS)[number];

export interface ChildResult {
  readonly op: string;
  readonly seconds: number;
  /** async-save: time until the background write finished (the blocking part is `seconds`). */
  readonly extraSeconds?: number;
  readonly peakRssBytes: number;
  readonly rssBeforeOpBytes: number;
  /** CPU time of the operation, all threads (process.cpuUsage): user + system, and the system part alone. */
  readonly cpuSeconds?: number;
  readonly sysSeconds?: number;
}
