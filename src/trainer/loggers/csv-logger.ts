/**
 * Lightning's CSVLogger: `metrics.csv` and `hparams.json` (Lightning: `hparams.yaml`) in
 * `<saveDir>/kindling_logs/version_N`.
 *
 * One row per logged step, with a `step` column; columns are every key seen so far, sorted (as Lightning sorts
 * them), and a key that first appears later rewrites the file with the wider header, reading the rows written so far
 * back from the file (as Lightning's `_rewrite_with_new_header`: the logger keeps no row once it is written, so a long
 * run's memory does not grow with its log). Rows are buffered and written
 * every `flushEveryNSteps` rows (Lightning's `flush_logs_every_n_steps`, default 100), at `save()` (the trainer calls
 * it when it saves a checkpoint) and at `finalize`. Non-finite values are written as Python does (`nan`, `inf`,
 * `-inf`), so pandas reads them back as floats.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FileLogger, type FileLoggerOptions, writeAtomically } from './file-logger.js';

export interface CSVLoggerOptions extends FileLoggerOptions {
  /** Rows buffered before they are written (default 100). */
  readonly flushEveryNSteps?: number;
}

type Row = Readonly<Record<string, number>>;

export class CSVLogger extends FileLogger {
  private readonly flushEvery: number;
  /** The columns of the file as this logger wrote it (empty before its first write). */
  private keys: string[] = [];
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
      const previous = this.keys;
      this.keys = [...seen].sort();
      // Rows this logger wrote before, moved to the wider header (a file it has not written yet is replaced).
      const kept = previous.length > 0 && existsSync(file) ? widenRows(readFileSync(file, 'utf8'), previous, this.keys) : [];
      writeAtomically(file, [csvLine(this.keys), ...kept, ...this.pending.map((row) => csvRow(this.keys, row))].join(''));
    } else {
      appendFileSync(file, this.pending.map((row) => csvRow(this.keys, row)).join(''));
    }
    this.pending = [];
  }
}

/**
 * The data lines of a metrics file written with the columns `from`, re-laid for the columns `to` (a superset). Data
 * cells are numbers, `nan`, `inf` or empty, never quoted, so a line splits on commas; the header, whose keys may be
 * quoted, is skipped (the logger knows its columns).
 */
function widenRows(text: string, from: readonly string[], to: readonly string[]): string[] {
  const at = to.map((key) => from.indexOf(key));
  const lines = text.split('\n');
  return lines.slice(1, lines.at(-1) === '' ? -1 : undefined).map((line) => {
    const cells = line.split(',');
    return `${at.map((i) => (i < 0 ? '' : (cells[i] ?? ''))).join(',')}\n`;
  });
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
