/**
 * CRC32 (zlib's, via Node's native `zlib.crc32`) over each tensor's bytes and over the header's contents. Stored as
 * 8 lower-case hex digits so that the header's length does not depend on the checksum values.
 */
import { crc32 } from 'node:zlib';
import type { DType } from '../state/tensor.js';
import { CheckpointError } from './errors.js';
import { quoteName } from './quote.js';

export function crcHex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}

export function parseCrcHex(text: unknown): number | undefined {
  return typeof text === 'string' && /^[0-9a-f]{8}$/.test(text) ? Number.parseInt(text, 16) : undefined;
}

export function crcOf(bytes: Uint8Array, previous = 0): number {
  return crc32(bytes, previous) >>> 0;
}

/** What the header checksum covers: everything kindling reads from the header except the checksum itself. */
export interface HeaderDigestInput {
  readonly version: string;
  readonly tree: string;
  readonly tensorCrcs: string;
  readonly entries: readonly { name: string; dtype: string; shape: readonly number[]; begin: number; end: number }[];
  /**
   * Every other metadata key except `format` (which a checksummed file must set to `kindling`), as sorted
   * `[key, value]` pairs. kindling writes none, so its files keep the digest they always had; a key added later
   * changes the digest.
   */
  readonly extras?: readonly (readonly [string, string])[];
}

export function headerDigest(input: HeaderDigestInput): number {
  // Canonical order: by offsets, and by name between empty tensors (which share an offset), so the writer's layout
  // order and the order in which a reader's JSON.parse lists the entries give the same digest.
  const entries = [...input.entries].sort(
    (a, b) => a.begin - b.begin || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const parts: unknown[] = [
    input.version,
    input.tree,
    input.tensorCrcs,
    entries.map((e) => [e.name, e.dtype, e.shape, e.begin, e.end]),
  ];
  if (input.extras !== undefined && input.extras.length > 0) parts.push(input.extras);
  const canonical = JSON.stringify(parts);
  return crcOf(Buffer.from(canonical, 'utf8'));
}

interface CheckedEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly begin: number;
  readonly end: number;
}

/**
 * Checks the data section while its bytes stream past in order (the data section is contiguous), so checking needs
 * no second pass and no extra memory: each tensor's CRC32 against `expected` (null: no checksums to check), and
 * every element of a bool tensor is 0 or 1 (see docs/checkpoint-format.md, "dtypes").
 */
export class StreamingVerifier {
  private index = 0;
  private position = 0;
  private running = 0;
  /** The first BOOL element of the current tensor that is not 0 or 1; reported after its checksum, which comes first. */
  private badBool: { element: number; byte: number } | undefined;

  constructor(
    private readonly file: string,
    private readonly entries: readonly CheckedEntry[],
    private readonly expected: ReadonlyMap<string, number> | null,
  ) {
    this.finishEmpty();
  }

  /** Whether a stream of this data section needs checking at all (checksums to compare, or bool tensors). */
  static needed(entries: readonly CheckedEntry[], expected: ReadonlyMap<string, number> | null): boolean {
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
      if (this.expected !== null) this.running = crcOf(piece, this.running);
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
      const want = this.expected?.get(entry.name);
      if (want !== undefined && want !== this.running) {
        throw new CheckpointError(
          this.file,
          'bad-checksum',
          `tensor ${quoteName(entry.name)} is corrupt: CRC32 ${crcHex(this.running)} does not match the stored ${crcHex(want)}` +
            ' (the file was damaged after it was written; restore it from a backup or an earlier checkpoint)',
        );
      }
      if (this.badBool !== undefined) {
        throw new CheckpointError(
          this.file,
          'bad-value',
          `tensor ${quoteName(entry.name)} is BOOL but holds the byte ${this.badBool.byte} at element ${this.badBool.element}: ` +
            'BOOL elements must be 0 or 1 (the file was written by a tool that does not follow safetensors)',
        );
      }
      this.running = 0;
      this.index++;
      entry = this.entries[this.index];
    }
  }
}
