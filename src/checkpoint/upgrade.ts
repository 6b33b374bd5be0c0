export interface UpgradeOptions {
  /** Keep the original next to the file as `<path>.bak` (default true; an existing backup is never overwritten). */
  readonly backup?: boolean;
}

export interface UpgradeResult {
  readonly from: number;
  readonly to: number;
  readonly backupPath?: string;
}

/** Rewrites a checkpoint in the current format version (atomically). A file already current is left untouched. */
export async function upgradeCheckpoint(path: string, options?: UpgradeOptions): Promise<UpgradeResult> {
  void path, options;
  throw new Error('upgradeCheckpoint: not implemented yet');
}
