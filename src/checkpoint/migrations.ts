/** The header as migrations see it: `__metadata__` and the tensor entries, mutable in place. */
export interface RawHeader {
  metadata: Record<string, string>;
}

export interface Migration {
  /** The version this migration upgrades from; it produces `from + 1`. */
  readonly from: number;
  readonly description: string;
  migrate(header: RawHeader): void;
}

export const MIGRATIONS: readonly Migration[] = [];
