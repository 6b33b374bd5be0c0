import cliProgress from 'cli-progress';
import type { ProgressCallback } from '../checkpoint/index.js';
import type { CliIO } from './io.js';
import { formatBytes } from './format.js';

/** Files smaller than this finish before a bar would be worth drawing. */
export const PROGRESS_THRESHOLD_BYTES = 64 * 1024 * 1024;

/**
 * Runs `work` with a progress callback that draws a bar on the terminal when there is one and the file is large
 * enough, and does nothing otherwise. The bar is always stopped, also when `work` throws.
 */
export async function withProgress<T>(
  io: CliIO,
  label: string,
  fileBytes: number,
  work: (onProgress: ProgressCallback | undefined) => Promise<T>,
): Promise<T> {
  const stream = io.progressStream;
  if (!stream || fileBytes < PROGRESS_THRESHOLD_BYTES) return work(undefined);

  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {done} / {size} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(fileBytes, 0, { done: formatBytes(0), size: formatBytes(fileBytes) });
  try {
    return await work((done, total) => {
      if (total !== bar.getTotal()) bar.setTotal(total);
      bar.update(done, { done: formatBytes(done), size: formatBytes(total) });
    });
  } finally {
    bar.stop();
  }
}
