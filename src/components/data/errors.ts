/** A DataLoader, sampler or dataset was configured in a way that cannot work; the message says what to change. */
export class DataConfigError extends Error {
  override readonly name = 'DataConfigError';
}

/**
 * Samples that cannot be stacked into one batch: `sample` is the position in the batch (and `index` the dataset
 * index, when the loader knows it), `field` the path inside the sample (`image`, `[1]`, `meta.size`; empty for the
 * sample itself).
 */
export class CollateError extends Error {
  override readonly name = 'CollateError';
  constructor(
    readonly sample: number,
    readonly index: number | undefined,
    readonly field: string,
    readonly problem: string,
  ) {
    const where = index === undefined ? `sample ${sample}` : `sample ${sample} (dataset index ${index})`;
    super(`Cannot collate batch: ${where}${field === '' ? '' : `, field ${field}`}: ${problem}`);
  }
}

/** A dataset's `get(i)` failed while a loader prepared a batch; `cause` is the dataset's error. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
}
