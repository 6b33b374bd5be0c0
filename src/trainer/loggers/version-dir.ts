/**
 * `<root>/<name>/version_N`, Lightning's layout for file loggers: N is one more than the largest existing version
 * (0 for the first run). Creating the directory is the claim: when two runs pick the same N at once, the second one
 * sees the directory exist and takes the next N, so two runs never share a directory.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const VERSION = /^version_(\d+)$/;

/** The largest existing `version_N` under `dir`, or -1. */
export function lastVersion(dir: string): number {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return -1;
    throw error;
  }
  let last = -1;
  for (const entry of entries) {
    const match = VERSION.exec(entry);
    if (match !== null) last = Math.max(last, Number(match[1]));
  }
  return last;
}

/**
 * Creates the run directory. With `version` given, uses (and creates if needed) `version_<version>`, or the string
 * itself as the directory name; otherwise claims the next free `version_N`. Returns the version and the directory.
 */
export function claimVersionDir(root: string, name: string, version?: number | string): { version: number | string; dir: string } {
  const parent = path.resolve(root, name);
  mkdirSync(parent, { recursive: true });
  if (version !== undefined) {
    const dir = path.join(parent, typeof version === 'number' ? `version_${version}` : version);
    mkdirSync(dir, { recursive: true });
    return { version, dir };
  }
  for (let next = lastVersion(parent) + 1; ; next += 1) {
    const dir = path.join(parent, `version_${next}`);
    try {
      mkdirSync(dir);
      return { version: next, dir };
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    }
  }
}
