/**
 * Lightning's CSVLogger: `metrics.csv` and `hparams.json` (Lightning: `hparams.yaml`) in
 * `<saveDir>/kindling_logs/version_N`.
 *
 * One row per logged step, with a `step` column; columns are every key seen so far, sorted (as Lightning sorts
 * them), and a key that first appears later rewrites the file with the wider header. Rows are buffered and written
 * every `flushEveryNSteps` rows (Lightning's `flush_logs_every_n_steps`, default 100), at `save()` (the trainer calls
 * it when it saves a checkpoint) and at `finalize`. Non-finite values are written as Python does (`nan`, `inf`,
 * `-inf`), so pandas reads them back as floats.
 */
import { appendFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { FileLogger, type FileLoggerOptions, writeAtomically } from './file-logger.js';

export interface CSVLoggerOptions extends FileLoggerOptions {
  /** Rows buffered before they are written (default 100). */
  readonly flushEveryNSteps?: number;
}

type Row = Readonly<Record<string, number>>;

export class CSVLogger extends FileLogger {
  private readonly flushEvery: number;
  private keys: string[] = [];
  /** Rows already in the file (kept to rewrite it when the header grows). */
  private written: Row[] = [];
  private pending: Row[] = [];

  constructor(options: CSVLoggerOptions) {
    super(options);
    this.flushEvery = options.flushEveryNSteps ?? 100;
  }

  /** The file this logger writes. */
  get metricsFile(): string {
    return path.join(this.logDir, 'metrics.csv');
  }

  logMetrics(metrics: Readonly<Record<string, number>>, step: number): void {
    this.pending.push({ ...metrics, step });
    if (this.pending.length >= this.flushEvery) this.save();
  }

  override save(): void {
    if (this.pending.length === 0) return;
    const file = this.metricsFile;
    const seen = new Set(this.keys);
    const added = this.pending.flatMap((row) => Object.keys(row)).filter((key) => !seen.has(key) && (seen.add(key), true));
    if (added.length > 0 || !existsSync(file)) {
      this.keys = [...seen].sort();
      this.written.push(...this.pending);
      writeAtomically(file, [csvLine(this.keys), ...this.written.map((row) => csvRow(this.keys, row))].join(''));
    } else {
      appendFileSync(file, this.pending.map((row) => csvRow(this.keys, row)).join(''));
      this.written.push(...this.pending);
    }
    this.pending = [];
  }
}

function csvRow(keys: readonly string[], row: Row): string {
  return csvLine(keys.map((key) => (key in row ? pythonNumber(row[key]!) : '')));
}

/** One RFC 4180 line: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvLine(fields: readonly string[]): string {
  return `${fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',')}\n`;
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}
