/**
 * kindling checkpoints: safetensors files carrying a whole state tree. See docs/checkpoint-format.md for the format.
 */
export type {
  CheckpointIO,
  CheckpointInfo,
  CheckpointLoadOptions,
  ReadLimits,
  ReadOptions,
  SaveOptions,
  StateTree,
  StateValue,
  TensorInfo,
} from './types.js';
export type { ProgressCallback, WithProgress } from './progress.js';
export { CheckpointError, type CheckpointErrorReason } from './errors.js';
export { CheckpointSaveError, type SaveStage } from './save-error.js';
export type { CheckpointFileSystem, SaveFileHandle } from './file-system.js';
export { FORMAT_VERSION, MAX_HEADER_BYTES, MAX_HEADER_NODES } from './format.js';
export { serializeCheckpoint, deserializeCheckpoint } from './serialize.js';
export { saveCheckpoint } from './file-save.js';
export { loadCheckpoint, readCheckpointInfo, verifyCheckpoint } from './file-load.js';
export { restoreCheckpoint, type RestoreOptions } from './restore.js';
export { upgradeCheckpoint, type UpgradeOptions, type UpgradeResult } from './upgrade.js';
export { MIGRATIONS, type Migration, type RawHeader } from './migrations.js';
export { LocalCheckpointIO, type LocalCheckpointIOOptions } from './local-io.js';
export { AsyncCheckpointSaver } from './async-saver.js';
export { findCheckpoints, type CheckpointScan, type FoundCheckpoint } from './find-checkpoints.js';
export { sweepStaleTempFiles, type SweepOptions, type SweepResult } from './sweep.js';
