/**
 * Raised when kindling's tensor engine (tfjs) cannot do what was asked: a backend that cannot start, a missing
 * gradient bundle, a tensor dtype tfjs cannot hold. The message says what to do.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}
