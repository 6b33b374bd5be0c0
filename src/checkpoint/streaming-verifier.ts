import type { CheckedEntry, RunningDigest, StoredDigests } from './checksum.js';
import { CheckpointError } from './errors.js';
import { quoteName } from './quote.js';

/**
 * Checks the data section while its bytes stream past in order (the data section is contiguous), so checking needs
 * no second pass and no extra memory: each tensor's digest against `expected` (null: no checksums to check), and
 * every element of a bool tensor is 0 or 1 (see docs/checkpoint-format.md, "dtypes").
 */
export class StreamingVerifier {
  private index = 0;
  private position = 0;
  private running: RunningDigest | null = null;
  /** The first BOOL element of the current tensor that is not 0 or 1; reported after its checksum, which comes first. */
  private badBool: { element: number; byte: number } | undefined;

  constructor(
    private readonly file: string,
    private readonly entries: readonly CheckedEntry[],
    private readonly expected: StoredDigests | null,
  ) {
    this.finishEmpty();
  }

  /** Whether a stream of this data section needs checking at all (checksums to compare, or bool tensors). */
  static needed(entries: readonly CheckedEntry[], expected: StoredDigests | null): boolean {
    return expected !== null || entries.some((e) => e.dtype === 'bool' && e.end > e.begin);
  }

  /** Feeds the data-section bytes `[position, position + bytes.length)`; throws `bad-checksum` on a mismatch. */
  update(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const entry = this.entries[this.index];
      if (entry === undefined) return;
      const take = Math.min(entry.end - this.position, bytes.length - offset);
      const piece = bytes.subarray(offset, offset + take);
      if (entry.dtype === 'bool') this.checkBool(entry, piece);
      if (this.expected !== null) {
        this.running ??= this.expected.scheme.start();
        this.running.update(piece);
      }
      offset += take;
      this.position += take;
      this.finishEmpty();
    }
  }

  /** Whether every tensor has been checked. */
  get done(): boolean {
    return this.index >= this.entries.length;
  }

  private checkBool(entry: CheckedEntry, piece: Uint8Array): void {
    if (this.badBool !== undefined) return;
    for (let i = 0; i < piece.length; i++) {
      if (piece[i]! > 1) {
        this.badBool = { element: this.position - entry.begin + i, byte: piece[i]! };
        return;
      }
    }
  }

  private finishEmpty(): void {
    for (let entry = this.entries[this.index]; entry !== undefined && entry.end <= this.position; ) {
      const want = this.expected?.byName.get(entry.name);
      if (this.expected !== null && want !== undefined) {
        const actual = (this.running ?? this.expected.scheme.start()).hex();
        if (actual !== want) {
          throw new CheckpointError(
            this.file,
            'bad-checksum',
            `tensor ${quoteName(entry.name)} is corrupt: its ${this.expected.scheme.label} checksum ${actual} does not match the stored ${want}` +
              ' (the file was damaged after it was written; restore it from a backup or an earlier checkpoint)',
          );
        }
      }
      if (this.badBool !== undefined) {
        throw new CheckpointError(
          this.file,
          'bad-value',
          `tensor ${quoteName(entry.name)} is BOOL but holds the byte ${this.badBool.byte} at element ${this.badBool.element}: ` +
            'BOOL elements must be 0 or 1 (the file was written by a tool that does not follow safetensors)',
        );
      }
      this.running = null;
      this.index++;
      entry = this.entries[this.index];
    }
  }
}
