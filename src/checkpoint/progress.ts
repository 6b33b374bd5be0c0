/** Called with bytes done and bytes in total; `done === total` exactly once at the end. */
export type ProgressCallback = (done: number, total: number) => void;

export interface WithProgress {
  readonly onProgress?: ProgressCallback;
}
