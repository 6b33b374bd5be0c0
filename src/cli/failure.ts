import { CheckpointError } from '../checkpoint/index.js';
import { MAX_SHOWN_MESSAGE, shown } from './escape.js';

/** Errors a command expects from bad input files, as opposed to bugs. */
export function isExpectedFailure(error: unknown): error is Error {
  return error instanceof CheckpointError || isFileSystemError(error);
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error;
}

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory, not a checkpoint file',
  ENOSPC: 'no space left on the device',
};

/**
 * One line for an expected failure that names the file, without a stack: `<file>: <reason>`. The file is added
 * only when the message does not already name it. Control characters are escaped and a long line is cut.
 */
export function describeFailure(file: string, error: Error): string {
  let reason = error.message.split('\n')[0] ?? error.message;
  if (isFileSystemError(error) && error.code && FS_REASONS[error.code]) reason = FS_REASONS[error.code]!;
  // Messages quote what is wrong in the file (names, values); the file name itself comes from the user.
  return shown(reason.includes(file) ? reason : `${file}: ${reason}`, MAX_SHOWN_MESSAGE);
}
