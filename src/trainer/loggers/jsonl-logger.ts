/**
 * One JSON object per logged step in `metrics.jsonl` (`{"step":120,"train_loss":0.41,…}`), appended as it is logged,
 * so a crash loses at most the line being written; plus `hparams.json`, under `<saveDir>/kindling_logs/version_N`.
 * JSON has no literal for NaN or infinities: they are written as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`
 * (which `Number(…)` reads back), never silently as `null`.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { FileLogger } from './file-logger.js';

export class JSONLLogger extends FileLogger {
  /** The file this logger writes. */
  get metricsFile(): string {
    return path.join(this.logDir, 'metrics.jsonl');
  }

  logMetrics(metrics: Readonly<Record<string, number>>, step: number): void {
    const row: Record<string, number | string> = { step };
    for (const [key, value] of Object.entries(metrics)) {
      if (key !== 'step') row[key] = Number.isFinite(value) ? value : String(value);
    }
    appendFileSync(this.metricsFile, `${JSON.stringify(row)}\n`);
  }
}
