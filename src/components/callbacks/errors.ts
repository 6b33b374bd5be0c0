/** A callback was configured in a way that cannot work (Lightning's `MisconfigurationError`); the message says what to change. */
export class CallbackConfigError extends Error {
  override readonly name = 'CallbackConfigError';
}

/**
 * A callback's `monitor` key is not among the metrics the module logged. The message lists the keys that are logged,
 * so a typo (`val_loss` vs `valLoss`) is visible at once.
 */
export class MonitorNotFoundError extends Error {
  override readonly name = 'MonitorNotFoundError';
  constructor(
    readonly callback: string,
    readonly monitor: string,
    readonly available: readonly string[],
  ) {
    const keys = available.length === 0 ? 'no metric is logged yet' : `the logged metrics are: ${available.map((k) => `'${k}'`).join(', ')}`;
    super(`${callback} monitors '${monitor}', which is not logged; ${keys}. Log it with this.log('${monitor}', value) in the module, or change monitor`);
  }
}
