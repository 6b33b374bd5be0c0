/**
 * The complete checkpoints in a directory, newest first: what `ckptPath: 'last'` resumes from after a crash, when
 * the new process's ModelCheckpoint has not saved anything yet.
 *
 * - **Candidates** are the regular files named `*.ckpt` or `*.kcpt` that are not hidden: a save's temporary file
 *   (`.<name>.<pid>.<thread>.<hex>.kindling-tmp`, temp-names.ts) is never one.
 * - **Complete** means the header reads and checks out against the file's size (`readCheckpointTree`): a file cut
 *   short is skipped, with the reason. Tensor checksums are not read here; the caller loads the chosen file (which
 *   verifies them) and falls back to the next one when that fails.
 * - **Newest** is decided by what the file records, not by when it was written: the highest `globalStep`, then the
 *   highest `epoch`; among equals a `last*` file (ModelCheckpoint writes it after the top-k file of the same step, so
 *   it holds the most complete bookkeeping), then the latest mtime, then the name. mtime alone would be wrong after
 *   a copy or a restore from backup, and two saves can share a timestamp.
 */
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CheckpointError, type CheckpointErrorReason, ioError } from './errors.js';
import { readCheckpointTree } from './file-load.js';

export interface FoundCheckpoint {
  readonly path: string;
  /** The `globalStep` the file records (undefined when it records none: not a trainer checkpoint). */
  readonly globalStep: number | undefined;
  readonly epoch: number | undefined;
  readonly mtimeMs: number;
}

export interface CheckpointScan {
  /** Complete checkpoints, newest first. */
  readonly found: readonly FoundCheckpoint[];
  /** Candidate files that are not complete checkpoints, with why (a truncated or corrupt header, …). */
  readonly skipped: readonly SkippedFile[];
}

export interface SkippedFile {
  readonly path: string;
  /** The error's message. */
  readonly reason: string;
  /** The CheckpointError's reason code (`truncated`, `newer-format`, `io`, …), when it was one. */
  readonly code?: CheckpointErrorReason;
}

const EXTENSIONS = ['.ckpt', '.kcpt'];

function recorded(tree: unknown, key: string): number | undefined {
  const value = typeof tree === 'object' && tree !== null ? (tree as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

const isLastName = (path: string) => basename(path).startsWith('last');

/** Newest first (see the file comment). */
export function compareNewestFirst(a: FoundCheckpoint, b: FoundCheckpoint): number {
  return (
    (b.globalStep ?? -1) - (a.globalStep ?? -1) ||
    (b.epoch ?? -1) - (a.epoch ?? -1) ||
    Number(isLastName(b.path)) - Number(isLastName(a.path)) ||
    b.mtimeMs - a.mtimeMs ||
    (a.path < b.path ? 1 : a.path > b.path ? -1 : 0)
  );
}

/** Scans `dir` (a missing directory holds nothing). Throws a CheckpointError only when the directory cannot be listed. */
export async function findCheckpoints(dir: string): Promise<CheckpointScan> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return { found: [], skipped: [] };
    throw ioError(dir, 'list the directory to find its newest checkpoint', error);
  }
  const found: FoundCheckpoint[] = [];
  const skipped: SkippedFile[] = [];
  for (const name of names) {
    if (name.startsWith('.') || !EXTENSIONS.some((ext) => name.endsWith(ext))) continue;
    const path = join(dir, name);
    try {
      const stats = await lstat(path);
      if (!stats.isFile()) continue;
      const { tree } = await readCheckpointTree(path);
      found.push({ path, globalStep: recorded(tree, 'globalStep'), epoch: recorded(tree, 'epoch'), mtimeMs: stats.mtimeMs });
    } catch (error) {
      // Removed while we looked (a ModelCheckpoint replacing its top k): not a candidate.
      if ((error as { code?: unknown; reason?: unknown }).code === 'ENOENT' || (error as { reason?: unknown }).reason === 'not-found') continue;
      const code = error instanceof CheckpointError ? { code: error.reason } : {};
      skipped.push({ path, reason: error instanceof Error ? error.message : String(error), ...code });
    }
  }
  return { found: found.sort(compareNewestFirst), skipped };
}
