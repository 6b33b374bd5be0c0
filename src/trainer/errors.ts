/** Errors the trainer raises for what a user must change; each message says what was wrong and what to do. */

/** Options or arguments that cannot work (raised before anything runs or changes). */
export class TrainerConfigError extends Error {
  override readonly name = 'TrainerConfigError';
}

/** A checkpoint that cannot be restored into this trainer (nothing was changed). */
export class TrainerCheckpointError extends Error {
  override readonly name = 'TrainerCheckpointError';
  constructor(
    /** The checkpoint file, when the problem is with one. */
    readonly file: string | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A metric a component needs (a `monitor` key) that was never logged; names the keys that are. */
export class MissingMetricError extends Error {
  override readonly name = 'MissingMetricError';
  constructor(
    readonly key: string,
    readonly available: readonly string[],
    who: string,
  ) {
    super(
      `${who} monitors '${key}', which was not logged. ` +
        (available.length > 0 ? `Logged keys: ${available.join(', ')}.` : 'Nothing was logged.') +
        ` Log it with module.log('${key}', value) or change the monitor.`,
    );
  }
}
