import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HParams } from '../../components/data/data-module.js';
import type { Logger, RunStatus } from './logger.js';
import { claimVersionDir } from './version-dir.js';

export interface FileLoggerOptions {
  /** The directory under which `<name>/version_N` is created: usually the trainer's `defaultRootDir`. */
  readonly saveDir: string;
  /** Default `'kindling_logs'`. */
  readonly name?: string;
  /** A fixed version (number → `version_<n>`, string → that directory name); default: the next free N. */
  readonly version?: number | string;
}

/**
 * What the file loggers share: the version directory, claimed when the logger is first used (as Lightning's
 * `log_dir` is resolved lazily, so creating a logger that is never used leaves no empty directory), and
 * `hparams.json`, rewritten atomically with every call (later calls add to and override earlier keys).
 */
export abstract class FileLogger implements Logger {
  readonly name: string;
  private readonly saveDir: string;
  private readonly fixedVersion: number | string | undefined;
  private claimed: { version: number | string; dir: string } | undefined;
  private hparams: Record<string, HParams[string]> = {};

  constructor(options: FileLoggerOptions) {
    this.saveDir = options.saveDir;
    this.name = options.name ?? 'kindling_logs';
    this.fixedVersion = options.version;
  }

  get version(): number | string {
    return this.claim().version;
  }

  get logDir(): string {
    return this.claim().dir;
  }

  logHyperparams(params: HParams): void {
    this.hparams = { ...this.hparams, ...params };
    writeAtomically(path.join(this.logDir, 'hparams.json'), `${JSON.stringify(this.hparams, null, 2)}\n`);
  }

  abstract logMetrics(metrics: Readonly<Record<string, number>>, step: number): void;

  save(): void {}

  finalize(_status: RunStatus): void {
    this.save();
  }

  private claim(): { version: number | string; dir: string } {
    this.claimed ??= claimVersionDir(this.saveDir, this.name, this.fixedVersion);
    return this.claimed;
  }
}

/** Writes `file` through a temporary file and a rename, so a reader never sees half of it. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
