/**
 * Page-cache control for the read benchmarks: a read right after a write is served from memory, so cold reads
 * need the file's pages evicted first. Node has no posix_fadvise; Python's os.posix_fadvise(DONTNEED) evicts one
 * file's clean pages without disturbing the rest of the (shared) machine. `/proc/sys/vm/drop_caches` is the
 * fallback (root only, drops everything).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export type EvictionMethod = 'posix_fadvise' | 'drop_caches' | 'none';

const FADVISE = [
  'import os, sys',
  'fd = os.open(sys.argv[1], os.O_RDONLY)',
  'os.fsync(fd)',
  'os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)',
  'os.close(fd)',
].join('\n');

function fadvise(file: string): boolean {
  return spawnSync('python3', ['-c', FADVISE, file], { stdio: 'ignore' }).status === 0;
}

function dropCaches(): boolean {
  try {
    spawnSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3\n');
    return true;
  } catch {
    return false;
  }
}

/** Evicts `file` from the page cache and says how (or that it could not). */
export function evictFromPageCache(file: string): EvictionMethod {
  if (fadvise(file)) return 'posix_fadvise';
  return dropCaches() ? 'drop_caches' : 'none';
}

/** Reads `file` once, discarding the bytes, so the next read is served from the page cache. */
export function warmPageCache(file: string): void {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Bytes of `file` resident in the page cache (util-linux `fincore`), or undefined when it cannot tell. */
export function residentBytes(file: string): number | undefined {
  const run = spawnSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', file], { encoding: 'utf8' });
  const value = Number(run.stdout.trim());
  return run.status === 0 && Number.isFinite(value) ? value : undefined;
}
