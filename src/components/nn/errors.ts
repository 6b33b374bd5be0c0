/** Raised for a module whose structure or configuration kindling cannot use; the message says what to change. */
export class ModuleError extends Error {
  override readonly name = 'ModuleError';
}

/**
 * Raised when weights do not fit a module (a load from a weights file or a checkpoint): the message names the file or
 * path and, for a shape mismatch, both shapes. Nothing was changed when it is thrown.
 */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
}
