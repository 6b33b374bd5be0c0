/**
 * Removes the temporary files that killed saves left behind. A save that dies between creating its temporary file and
 * renaming it (SIGKILL, OOM killer, power loss) leaves the file in the target's directory; without a sweep, a crash
 * loop with large checkpoints fills the disk. A file is removed only when its name proves it is a kindling temporary
 * file and its writer is provably gone; anything uncertain is kept.
 */
import { lstat, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { ioError } from './errors.js';
import { isTemporaryInFlight } from './temp-registry.js';
import { isTempNameOf, parseTempName, type ParsedTempName } from './temp-names.js';

/** Previous-format leftovers must be at least this old (by mtime) to be removed. */
export const LEGACY_MIN_AGE_MS = 60 * 60 * 1000;

export interface SweepOptions {
  /**
   * Only the temporary files of this checkpoint: its file name or path (only the file name is used). By default the
   * temporary files of every checkpoint in the directory are considered.
   */
  readonly target?: string;
  /**
   * Leftovers in the previous temporary-name format (`.<name>.<pid>.<8 hex>.tmp`) are removed only when their writer
   * is gone and they were last modified at least this long ago (default one hour).
   */
  readonly legacyMinAgeMs?: number;
}

export interface SweepResult {
  /** Paths of the temporary files removed. */
  readonly removed: readonly string[];
  /** Temporary files kept because their writer may still be running (or a same-numbered process now runs). */
  readonly kept: readonly string[];
  /** Temporary files that could not be examined or removed, with the reason; they are left as they are. */
  readonly failed: readonly { readonly path: string; readonly error: string }[];
}

/** `alive` when the pid names a running process (or one we may not signal), `gone` only on ESRCH. */
function writerProcess(pid: number): 'alive' | 'gone' {
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH' ? 'gone' : 'alive';
  }
}

/** Whether the process and thread that wrote this temporary file can no longer be writing it. */
function writerIsGone(parsed: ParsedTempName, name: string): boolean {
  if (parsed.pid === process.pid) {
    // This process writes legacy names never; current names of this thread only while they are registered.
    if (parsed.kind === 'legacy') return true;
    return parsed.threadId === threadId && !isTemporaryInFlight(name);
  }
  return writerProcess(parsed.pid) === 'gone';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Removes the stale kindling temporary files in `dir`: those whose writing process has exited. Files of a running
 * process are kept (another save may be writing them), and so is everything whose name does not match a kindling
 * temporary-file name exactly. Failing to examine or remove one file does not stop the sweep; it is reported in
 * `failed`. Throws a CheckpointError only when the directory itself cannot be listed.
 */
export async function sweepStaleTempFiles(dir: string, options?: SweepOptions): Promise<SweepResult> {
  const targetName = options?.target === undefined ? undefined : basename(options.target);
  const legacyMinAgeMs = options?.legacyMinAgeMs ?? LEGACY_MIN_AGE_MS;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw ioError(dir, 'list the directory to remove stale temporary files', error);
  }
  const removed: string[] = [];
  const kept: string[] = [];
  const failed: { path: string; error: string }[] = [];
  for (const name of names) {
    const parsed = parseTempName(name);
    if (parsed === null || (targetName !== undefined && !isTempNameOf(parsed, targetName))) continue;
    const path = join(dir, name);
    try {
      if (!writerIsGone(parsed, name)) {
        kept.push(path);
        continue;
      }
      const stats = await lstat(path);
      if (!stats.isFile()) {
        failed.push({ path, error: 'not a regular file, so not a temporary file kindling wrote; left as it is' });
        continue;
      }
      if (parsed.kind === 'legacy' && Date.now() - stats.mtimeMs < legacyMinAgeMs) {
        kept.push(path);
        continue;
      }
      await unlink(path);
      removed.push(path);
    } catch (error) {
      // Another sweeper got there first: nothing left to do.
      if ((error as { code?: unknown }).code === 'ENOENT') continue;
      failed.push({ path, error: messageOf(error) });
    }
  }
  return { removed, kept, failed };
}
