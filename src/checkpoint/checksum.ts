/**
 * The checksums of a checkpoint: a digest of every tensor's bytes and one of the header's contents, each stored as
 * fixed-width lower-case hex (so the header's length does not depend on the values, and the writer can write the
 * header last). Format version 2 uses XXH64 (seed 0, the canonical big-endian digest), through hash-wasm's
 * WebAssembly build (xxh64.ts): 1.6–2.7× faster than `zlib.crc32` on the development VMs (docs/design/checksums.md).
 * Version 1 files carry CRC32 (zlib's polynomial), which is still read and verified.
 */
import { crc32 } from 'node:zlib';
import type { DType } from '../state/tensor.js';
import { Xxh64 } from './xxh64.js';

export type ChecksumAlgorithm = 'crc32' | 'xxh64';

/** A digest computed over bytes that arrive in pieces, in order. */
export interface RunningDigest {
  update(bytes: Uint8Array): void;
  /** The digest of every byte given so far, as the header stores it; the digest cannot be updated afterwards. */
  hex(): string;
}

export interface ChecksumScheme {
  readonly algorithm: ChecksumAlgorithm;
  /** How messages name it: `CRC32`, `XXH64`. */
  readonly label: string;
  /** Hex digits of a stored digest. */
  readonly hexDigits: number;
  /** The `__metadata__` key listing the tensors' digests, in data-offset order. */
  readonly tensorsKey: string;
  /** The `__metadata__` key holding the header's digest. */
  readonly headerKey: string;
  start(): RunningDigest;
}

class Crc32Digest implements RunningDigest {
  private value = 0;

  update(bytes: Uint8Array): void {
    this.value = crc32(bytes, this.value) >>> 0;
  }

  hex(): string {
    return this.value.toString(16).padStart(8, '0');
  }
}

export const CRC32: ChecksumScheme = {
  algorithm: 'crc32',
  label: 'CRC32',
  hexDigits: 8,
  tensorsKey: 'kindling.crc32.tensors',
  headerKey: 'kindling.crc32.header',
  start: () => new Crc32Digest(),
};

export const XXH64: ChecksumScheme = {
  algorithm: 'xxh64',
  label: 'XXH64',
  hexDigits: 16,
  tensorsKey: 'kindling.xxh64.tensors',
  headerKey: 'kindling.xxh64.header',
  start: () => new Xxh64(),
};

/** What this version of kindling writes. */
export const WRITTEN_CHECKSUM = XXH64;

/** The checksum a file of a format version carries (version 0 had none; the caller checks that). */
export function checksumOfVersion(version: number): ChecksumScheme {
  return version >= 2 ? XXH64 : CRC32;
}

/** The digest of `bytes` in one call. */
export function digestOf(bytes: Uint8Array, scheme: ChecksumScheme = WRITTEN_CHECKSUM): string {
  const digest = scheme.start();
  digest.update(bytes);
  return digest.hex();
}

/** A stored digest, when `text` is one in the scheme's width. */
export function parseDigest(text: unknown, scheme: ChecksumScheme): string | undefined {
  return typeof text === 'string' && text.length === scheme.hexDigits && /^[0-9a-f]+$/.test(text) ? text : undefined;
}

/** What the header checksum covers: everything kindling reads from the header except the checksum itself. */
export interface HeaderDigestInput {
  readonly version: string;
  readonly tree: string;
  /** The text of the tensor-digest list, as stored. */
  readonly tensorDigests: string;
  readonly entries: readonly { name: string; dtype: string; shape: readonly number[]; begin: number; end: number }[];
  /**
   * Every other metadata key except `format` (which a checksummed file must set to `kindling`), as sorted
   * `[key, value]` pairs. kindling writes none, so its files keep the digest they always had; a key added later
   * changes the digest.
   */
  readonly extras?: readonly (readonly [string, string])[];
}

export function headerDigest(input: HeaderDigestInput, scheme: ChecksumScheme): string {
  // Canonical order: by offsets, and by name between empty tensors (which share an offset), so the writer's layout
  // order and the order in which a reader's JSON.parse lists the entries give the same digest.
  const entries = [...input.entries].sort(
    (a, b) => a.begin - b.begin || a.end - b.end || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const parts: unknown[] = [
    input.version,
    input.tree,
    input.tensorDigests,
    entries.map((e) => [e.name, e.dtype, e.shape, e.begin, e.end]),
  ];
  if (input.extras !== undefined && input.extras.length > 0) parts.push(input.extras);
  return digestOf(Buffer.from(JSON.stringify(parts), 'utf8'), scheme);
}

/** The tensor facts a data-section check needs. */
export interface CheckedEntry {
  readonly name: string;
  readonly dtype: DType;
  readonly begin: number;
  readonly end: number;
}

/** The stored digests of a file's tensors, with the scheme that computed them. */
export interface StoredDigests {
  readonly scheme: ChecksumScheme;
  readonly byName: ReadonlyMap<string, string>;
}
