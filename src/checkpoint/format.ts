/**
 * Constants of the kindling checkpoint format (see docs/checkpoint-format.md). The file is a safetensors file;
 * kindling's own data lives in string entries of the header's `__metadata__`.
 */

/**
 * The format version this library writes. Older versions are migrated on load (migrations.ts). Version 2 replaced
 * version 1's CRC32 checksums with XXH64 (checksum.ts).
 */
export const FORMAT_VERSION = 2;

/** `__metadata__` keys (all values are strings, as safetensors requires). */
export const META_FORMAT = 'format';
export const META_FORMAT_VALUE = 'kindling';
export const META_VERSION = 'kindling.version';
export const META_TREE = 'kindling.tree';
/**
 * Version 2 on: which checksum the file carries, `xxh64` or `none`, always present, so that damage to the checksum
 * keys' names cannot turn a checksummed file into one that loads unchecked.
 */
export const META_CHECKSUM = 'kindling.checksum';
// The checksum keys depend on the version: see CRC32 and XXH64 in checksum.ts.

/** The reserved safetensors header key. */
export const METADATA_KEY = '__metadata__';

/** Largest header accepted on load, as in the safetensors reference implementation (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** The data section starts at a multiple of this (the header is padded with spaces). */
export const DATA_ALIGNMENT = 8;

/**
 * The most JSON values (objects, arrays, strings, numbers, literals) a header and the state tree in it may hold
 * together, counted while parsing. A real checkpoint needs a few per tensor (about 7 plus its rank) and one per
 * non-tensor value: 1 million covers a hundred thousand tensors or a state with half a million scalars, and keeps a
 * hostile 100 MB header (33 million empty objects) from costing gigabytes: the worst file under it loads in about a
 * second (RELIABILITY.md). `saveCheckpoint` refuses a state above it. Store large numeric data as tensors.
 */
export const MAX_HEADER_NODES = 1_000_000;
