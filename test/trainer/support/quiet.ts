/** Trainer options for tests: no default ModelCheckpoint writing into the working directory, no progress output. */
export const QUIET = { enableCheckpointing: false, enableProgressBar: false } as const;
