import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { ioError } from './errors.js';
import { loadCheckpoint, readCheckpointInfo, verifyCheckpoint } from './file-load.js';
import { saveCheckpoint } from './file-save.js';
import { FORMAT_VERSION } from './format.js';

export interface UpgradeOptions {
  /** Keep the original as `<path>.bak` (default true). An existing backup is never overwritten: `.bak.1`, … are used. */
  readonly backup?: boolean;
}

export interface UpgradeResult {
  readonly from: number;
  readonly to: number;
  /** Where the original was copied, when a backup was made. */
  readonly backupPath?: string;
}

async function backUp(path: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? `${path}.bak` : `${path}.bak.${n}`;
    try {
      await copyFile(path, candidate, constants.COPYFILE_EXCL);
      return candidate;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw ioError(path, `back up the checkpoint to ${candidate}`, error);
    }
  }
}

/**
 * Rewrites a checkpoint in the current format version, atomically (the path holds the old or the new file at every
 * moment). The old file is verified first (its checksums, if it has any), so a corrupt file is never "upgraded".
 * A file already in the current version is verified and left untouched; a newer one is rejected (`newer-format`).
 */
export async function upgradeCheckpoint(path: string, options?: UpgradeOptions): Promise<UpgradeResult> {
  const info = await readCheckpointInfo(path);
  if (info.formatVersion === FORMAT_VERSION) {
    // Nothing to rewrite, but "nothing to do" must not pass for a corrupt file: check every checksum.
    await verifyCheckpoint(path);
    return { from: info.formatVersion, to: FORMAT_VERSION };
  }
  const tree = await loadCheckpoint(path, { verify: true });
  const backupPath = options?.backup === false ? undefined : await backUp(path);
  await saveCheckpoint(path, tree);
  return { from: info.formatVersion, to: FORMAT_VERSION, ...(backupPath === undefined ? {} : { backupPath }) };
}
