/**
 * CRC32 (zlib's, via Node's native `zlib.crc32`) over each tensor's bytes and over the header's contents. Stored as
 * 8 lower-case hex digits so that the header's length does not depend on the checksum values.
 */
import { crc32 } from 'node:zlib';
import { CheckpointError } from './errors.js';

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

interface CrcTarget {
  readonly name: string;
  readonly begin: number;
  readonly end: number;
}

/**
 * Checks the CRC32 of consecutive tensors while their bytes stream past in order (the data section is contiguous), so
 * verification needs no second pass and no extra memory. `expected` gives each tensor's stored checksum.
 */
export class StreamingVerifier {
  private index = 0;
  private position = 0;
  private running = 0;

  constructor(
    private readonly file: string,
    private readonly entries: readonly CrcTarget[],
    private readonly expected: ReadonlyMap<string, number>,
  ) {
    this.finishEmpty();
  }

  /** Feeds the data-section bytes `[position, position + bytes.length)`; throws `bad-checksum` on a mismatch. */
  update(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) {
      const entry = this.entries[this.index];
      if (entry === undefined) return;
      const take = Math.min(entry.end - this.position, bytes.length - offset);
      this.running = crcOf(bytes.subarray(offset, offset + take), this.running);
      offset += take;
      this.position += take;
      this.finishEmpty();
    }
  }

  /** Whether every tensor has been checked. */
  get done(): boolean {
    return this.index >= this.entries.length;
  }

  private finishEmpty(): void {
    for (let entry = this.entries[this.index]; entry !== undefined && entry.end <= this.position; ) {
      const want = this.expected.get(entry.name);
      if (want !== undefined && want !== this.running) {
        throw new CheckpointError(
          this.file,
          'bad-checksum',
          `tensor "${entry.name}" is corrupt: CRC32 ${crcHex(this.running)} does not match the stored ${crcHex(want)}` +
            ' (the file was damaged after it was written; restore it from a backup or an earlier checkpoint)',
        );
      }
      this.running = 0;
      this.index++;
      entry = this.entries[this.index];
    }
  }
}
