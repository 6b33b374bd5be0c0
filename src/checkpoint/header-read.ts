/**
 * Reading a header is where untrusted bytes enter: everything is checked here, against itself and against the
 * data-section size, before any tensor memory is allocated. Nothing in a header is ever executed or used as code.
 */
import { bytesPerElement, numel } from '../state/tensor.js';
import { checksumOfVersion, CRC32, headerDigest, parseDigest, XXH64, type ChecksumScheme, type StoredDigests } from './checksum.js';
import { quoteName, quoteValue } from './quote.js';
import { dtypeFromSafetensors, SAFETENSORS_DTYPES } from './dtypes.js';
import { CheckpointError } from './errors.js';
import {
  FORMAT_VERSION,
  MAX_HEADER_BYTES,
  MAX_HEADER_NODES,
  META_FORMAT,
  META_CHECKSUM,
  META_FORMAT_VALUE,
  META_TREE,
  META_VERSION,
  METADATA_KEY,
} from './format.js';
import type { TensorEntry } from './layout.js';
import { migrateHeader, storedVersionOf } from './migrations.js';
import { JsonLimitError, parseJsonWithLimits, type NodeBudget } from './json-parse.js';
import type { Json } from './tree-codec.js';
import type { ReadLimits } from './types.js';
import { MAX_STATE_DEPTH } from '../state/limits.js';

export interface DecodedHeader {
  /** In data-offset order, contiguous from 0. */
  readonly entries: readonly TensorEntry[];
  readonly dataBytes: number;
  /** The version the file was written in (before migration). */
  readonly storedVersion: number;
  /** The state tree JSON, migrated to the current version. */
  readonly tree: Json;
  /** Each tensor's stored digest and the checksum that made it, or null when the file has no checksums. */
  readonly tensorDigests: StoredDigests | null;
}

/** The header length from the file's first 8 bytes, checked against the cap and the file size. */
export function readHeaderLength(prefix: Uint8Array, fileBytes: number, file: string, maxHeaderBytes = MAX_HEADER_BYTES): number {
  if (fileBytes < 8 || prefix.length < 8) {
    throw new CheckpointError(file, 'truncated', `the file has ${fileBytes} bytes, fewer than the 8-byte header length`);
  }
  const length = Buffer.from(prefix.buffer, prefix.byteOffset, 8).readBigUInt64LE(0);
  if (length > BigInt(maxHeaderBytes)) {
    throw new CheckpointError(
      file,
      'header-too-large',
      `the header length field says ${length} bytes, above the ${maxHeaderBytes}-byte limit (the file is corrupt or not a checkpoint)`,
    );
  }
  const n = Number(length);
  if (n < 2) throw new CheckpointError(file, 'bad-header', `the header length field says ${n} bytes: too short for a JSON header`);
  if (8 + n > fileBytes) {
    throw new CheckpointError(file, 'truncated', `the header needs ${8 + n} bytes but the file has only ${fileBytes}`);
  }
  return n;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseEntry(name: string, value: unknown, file: string): TensorEntry {
  if (!isObject(value)) throw new CheckpointError(file, 'bad-header', `header entry ${quoteName(name)} is not an object`);
  const { dtype: stDtype, shape, data_offsets: offsets } = value;
  const dtype = typeof stDtype === 'string' ? dtypeFromSafetensors(stDtype) : undefined;
  if (dtype === undefined) {
    throw new CheckpointError(
      file,
      'unknown-dtype',
      `tensor ${quoteName(name)} has dtype ${quoteValue(stDtype)}, which kindling cannot load (known: ${SAFETENSORS_DTYPES.join(' ')})`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isNonNegativeInteger)) {
    throw new CheckpointError(file, 'bad-shape', `tensor ${quoteName(name)} has shape ${quoteValue(shape)}: expected a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isNonNegativeInteger) || offsets[0]! > offsets[1]!) {
    throw new CheckpointError(file, 'bad-offsets', `tensor ${quoteName(name)} has data_offsets ${quoteValue(offsets)}: expected [begin, end] with 0 <= begin <= end`);
  }
  const elements = numel(shape);
  const bytes = elements * bytesPerElement(dtype);
  if (!Number.isSafeInteger(bytes)) {
    const what = Number.isSafeInteger(elements) ? `${elements} elements of ${bytesPerElement(dtype)} bytes` : 'its element count';
    throw new CheckpointError(
      file,
      'bad-shape',
      `tensor ${quoteName(name)} has shape ${quoteValue(shape)}: ${what} is above 2^53 - 1 bytes, more than any file can hold`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (bytes !== end - begin) {
    throw new CheckpointError(
      file,
      'bad-offsets',
      `tensor ${quoteName(name)} (${stDtype} ${quoteValue(shape)}, ${bytes} bytes) has data_offsets spanning ${end - begin} bytes`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/** Sorts by offset and checks that the ranges tile the data section exactly: from 0, no overlap, no hole. */
function checkTiling(entries: TensorEntry[], file: string): number {
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let end = 0;
  for (const e of entries) {
    if (e.begin < end) {
      throw new CheckpointError(file, 'overlapping-offsets', `tensor ${quoteName(e.name)} starts at byte ${e.begin}, inside the previous tensor (which ends at ${end})`);
    }
    if (e.begin > end) {
      throw new CheckpointError(file, 'bad-offsets', `bytes ${end}..${e.begin} of the data section belong to no tensor (a hole before ${quoteName(e.name)})`);
    }
    end = e.end;
  }
  return end;
}

/** What a header parse may cost, with the defaults filled in. */
export interface HeaderLimits {
  readonly maxHeaderBytes: number;
  readonly maxHeaderNodes: number;
}

export function headerLimits(limits: ReadLimits | undefined): HeaderLimits {
  const maxHeaderBytes = limits?.maxHeaderBytes ?? MAX_HEADER_BYTES;
  const maxHeaderNodes = limits?.maxHeaderNodes ?? MAX_HEADER_NODES;
  for (const [name, value] of [['maxHeaderBytes', maxHeaderBytes], ['maxHeaderNodes', maxHeaderNodes]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`limits.${name} must be a positive integer, got ${String(value)}`);
    }
  }
  return { maxHeaderBytes, maxHeaderNodes };
}

/** A safetensors header nests at most three levels: the header, a tensor entry, its shape or offsets. */
const HEADER_DEPTH = 3;
/** The tree's containers, plus one for the marker objects (`{"$tensor": name}`) that stand for leaves. */
export const TREE_JSON_DEPTH = MAX_STATE_DEPTH + 1;

/** Parses untrusted JSON within the node budget and a depth; every refusal is a CheckpointError. */
export function parseLimitedJson(
  text: string,
  file: string,
  what: string,
  reason: 'bad-header' | 'bad-tree',
  budget: NodeBudget,
  maxDepth: number,
): unknown {
  try {
    return parseJsonWithLimits(text, { budget, maxDepth });
  } catch (error) {
    if (!(error instanceof JsonLimitError)) throw error;
    switch (error.kind) {
      case 'too-many-nodes':
        throw new CheckpointError(
          file,
          'limits',
          `${what} holds ${error.message}, above the ${budget.limit}-value limit of a header (limits.maxHeaderNodes; ` +
            'raise it only for a file you trust)',
        );
      case 'too-deep':
        if (reason === 'bad-tree') {
          throw new CheckpointError(file, 'limits', `${what} is ${error.message}, above kindling's state depth limit (${MAX_STATE_DEPTH})`);
        }
        throw new CheckpointError(file, reason, `${what} is ${error.message}: a safetensors header nests ${HEADER_DEPTH} levels at most`);
      case 'duplicate-key':
        throw new CheckpointError(file, reason, `${what} is not valid: ${error.message} (the format forbids duplicate keys)`);
      case 'syntax':
        throw new CheckpointError(file, reason, `${what} is not valid JSON (${error.message})`);
    }
  }
}

function parseTensorDigests(
  metadata: Record<string, string>,
  scheme: ChecksumScheme,
  entries: readonly TensorEntry[],
  file: string,
  budget: NodeBudget,
): StoredDigests | null {
  const text = metadata[scheme.tensorsKey];
  if (text === undefined) return null;
  const list = parseLimitedJson(text, file, `the ${scheme.tensorsKey} entry`, 'bad-header', budget, 1);
  const digests = Array.isArray(list) ? list.map((d) => parseDigest(d, scheme)) : [];
  if (digests.length !== entries.length || digests.some((d) => d === undefined)) {
    throw new CheckpointError(
      file,
      'bad-header',
      `${scheme.tensorsKey} must list one ${scheme.hexDigits}-hex-digit ${scheme.label} per tensor (${entries.length})`,
    );
  }
  return { scheme, byName: new Map(entries.map((e, i) => [e.name, digests[i]!])) };
}

/** The metadata keys the header checksum names one by one; every other key is covered as an extra. */
function digestKeys(scheme: ChecksumScheme): ReadonlySet<string> {
  return new Set([META_FORMAT, META_VERSION, META_CHECKSUM, META_TREE, scheme.tensorsKey, scheme.headerKey]);
}

function checkHeaderDigest(
  metadata: Record<string, string>,
  scheme: ChecksumScheme,
  entries: readonly TensorEntry[],
  raw: Record<string, unknown>,
  file: string,
): void {
  const stored = parseDigest(metadata[scheme.headerKey], scheme);
  if (stored === undefined) throw new CheckpointError(file, 'bad-header', `${scheme.headerKey} is missing or malformed`);
  // `format` is not in the digest, but a checksummed file must say `kindling` there (decodeHeader checks it), so no
  // metadata key can change without changing the digest.
  const named = digestKeys(scheme);
  const extras = Object.keys(metadata)
    .filter((k) => !named.has(k))
    .sort()
    .map((k): [string, string] => [k, metadata[k]!]);
  const actual = headerDigest({
    version: metadata[META_VERSION] ?? '',
    tree: metadata[META_TREE] ?? '',
    tensorDigests: metadata[scheme.tensorsKey] ?? '',
    entries: entries.map((e) => ({ ...e, dtype: (raw[e.name] as { dtype: string }).dtype })),
    extras,
  }, scheme);
  if (actual !== stored) {
    throw new CheckpointError(
      file,
      'bad-checksum',
      `the header is corrupt: its ${scheme.label} checksum ${actual} does not match the stored ${stored} (restore the file from a backup or an earlier checkpoint)`,
    );
  }
}

/**
 * Parses and checks a header (the N bytes after the length field). `verify` checks the header's own checksum.
 * The caller still has to compare `dataBytes` with the bytes the file has after the header. The header JSON and the
 * state tree it carries share one node budget (`limits.maxHeaderNodes`), enforced while parsing.
 */
export function decodeHeader(bytes: Uint8Array, file: string, verify: boolean, limits?: ReadLimits): DecodedHeader {
  return decodeHeaderText({ text: headerTextOf(bytes, file) }, file, verify, limits);
}

/** The header's bytes as text, refused unless UTF-8 without a byte-order mark. */
export function headerTextOf(bytes: Uint8Array, file: string): string {
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, so that it is refused below: the format has none.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new CheckpointError(file, 'bad-header', 'the header is not valid UTF-8 (the file is corrupt or not a checkpoint)');
  }
  if (text.charCodeAt(0) === 0xfeff) {
    throw new CheckpointError(file, 'bad-header', 'the header starts with a UTF-8 byte-order mark, which the format does not allow');
  }
  return text;
}

/**
 * {@link decodeHeader} from the header's text. `source.text` is dropped as soon as the header JSON is parsed, so that
 * a 100 MB header's text can be collected while the tree it carries is parsed (the caller must not keep its own
 * reference: pass `{ text: … }` inline).
 */
export function decodeHeaderText(source: { text: string | undefined }, file: string, verify: boolean, limits?: ReadLimits): DecodedHeader {
  const budget: NodeBudget = { remaining: headerLimits(limits).maxHeaderNodes, limit: headerLimits(limits).maxHeaderNodes };
  const text = source.text ?? '';
  source.text = undefined;
  const raw = parseHeaderJson(text, file, budget);
  if (!isObject(raw)) throw new CheckpointError(file, 'bad-header', 'the header is not a JSON object');

  const metaValue = raw[METADATA_KEY] ?? {};
  if (!isObject(metaValue) || !Object.values(metaValue).every((v) => typeof v === 'string')) {
    throw new CheckpointError(file, 'bad-header', `${METADATA_KEY} must map strings to strings`);
  }
  const metadata = { ...(metaValue as Record<string, string>) };
  const entries = Object.keys(raw)
    .filter((k) => k !== METADATA_KEY)
    .map((name) => parseEntry(name, raw[name], file));
  const dataBytes = checkTiling(entries, file);

  const claimed = [CRC32, XXH64].filter((c) => metadata[c.tensorsKey] !== undefined || metadata[c.headerKey] !== undefined);
  for (const c of claimed) {
    if ((metadata[c.tensorsKey] === undefined) !== (metadata[c.headerKey] === undefined)) {
      throw new CheckpointError(file, 'bad-header', `${c.tensorsKey} and ${c.headerKey} must both be present or both absent`);
    }
  }
  // Version 0 had no checksums. A file that claims both is a checksummed file whose `format` key was removed, which
  // would otherwise be migrated as version 0 and load a tree its checksum never covered.
  if (claimed.length > 0 && metadata[META_FORMAT] !== META_FORMAT_VALUE) {
    throw new CheckpointError(
      file,
      'bad-header',
      `the header has checksums but ${META_FORMAT} is ${quoteValue(metadata[META_FORMAT] ?? null)}, not "${META_FORMAT_VALUE}": ` +
        'a version-0 file has no checksums (the header was altered)',
    );
  }
  const storedVersion = storedVersionOf(metadata, file);
  if (storedVersion > FORMAT_VERSION) {
    throw new CheckpointError(
      file,
      'newer-format',
      `written in checkpoint format version ${storedVersion}, but this kindling reads versions up to ${FORMAT_VERSION}; upgrade kindling to load it`,
    );
  }
  const scheme = storedVersion === 0 ? null : checksumOfVersion(storedVersion);
  checkKindlingKeys(metadata, storedVersion, scheme, claimed, file);
  const tensorDigests = scheme === null ? null : parseTensorDigests(metadata, scheme, entries, file, budget);
  if (tensorDigests !== null && verify) checkHeaderDigest(metadata, tensorDigests.scheme, entries, raw, file);

  migrateHeader({ metadata, maxHeaderNodes: budget.limit }, storedVersion, file);
  if (metadata[META_FORMAT] !== META_FORMAT_VALUE || metadata[META_TREE] === undefined) {
    throw new CheckpointError(file, 'not-kindling', 'the header has no kindling state tree after migration');
  }
  const tree = parseLimitedJson(metadata[META_TREE], file, 'the state tree', 'bad-tree', budget, TREE_JSON_DEPTH) as Json;
  return { entries, dataBytes, storedVersion, tree, tensorDigests };
}

/**
 * The `kindling.*` keys a file of its version may hold: its own version's checksum keys only, no key it does not
 * define, and (version 2 on) `kindling.checksum` agreeing with the checksum keys present. Without this, damage to
 * both checksum keys' names (two bytes) made a checksummed file load as one saved without checksums, its tensors
 * unchecked (found by the random-corruption fuzz family).
 */
function checkKindlingKeys(
  metadata: Record<string, string>,
  version: number,
  scheme: ChecksumScheme | null,
  claimed: readonly ChecksumScheme[],
  file: string,
): void {
  // Each version has one checksum. Another version's keys mean an altered version number (a CRC32 file relabelled as
  // version 2 would otherwise load as a file without checksums) or a writer that mixed the versions.
  const foreign = claimed.find((c) => c !== scheme);
  if (foreign !== undefined) {
    throw new CheckpointError(
      file,
      'bad-header',
      `the header holds ${foreign.tensorsKey}, but a format-version-${version} file ` +
        (scheme === null ? 'has no checksums' : `carries ${scheme.label} checksums (${scheme.tensorsKey})`) +
        ' (the header was altered, or written by a tool that mixed format versions)',
    );
  }
  const checksummed = claimed.length > 0;
  if (version >= 2) {
    const declared = metadata[META_CHECKSUM];
    if (declared !== XXH64.algorithm && declared !== 'none') {
      throw new CheckpointError(
        file,
        'bad-header',
        `${META_CHECKSUM} is ${quoteValue(declared ?? null)}: a format-version-${version} file says "${XXH64.algorithm}" or "none" (the header is damaged)`,
      );
    }
    if ((declared === XXH64.algorithm) !== checksummed) {
      throw new CheckpointError(
        file,
        'bad-header',
        `${META_CHECKSUM} says "${declared}" but the header ${checksummed ? 'has' : 'lacks'} ${XXH64.tensorsKey} and ${XXH64.headerKey} ` +
          '(the header is damaged; restore the file from a backup or an earlier checkpoint)',
      );
    }
  }
  if (version === 0) return;
  const known = new Set([META_VERSION, META_TREE, ...(version >= 2 ? [META_CHECKSUM] : []), ...(scheme ? [scheme.tensorsKey, scheme.headerKey] : [])]);
  const unknown = Object.keys(metadata).find((key) => key.startsWith('kindling.') && !known.has(key));
  if (unknown !== undefined) {
    throw new CheckpointError(
      file,
      'bad-header',
      `the header holds ${quoteName(unknown)}, a key format version ${version} does not define (the header is damaged, or it was written ` +
        'by another tool; keys of your own must not start with "kindling.")',
    );
  }
}

function parseHeaderJson(text: string, file: string, budget: NodeBudget): unknown {
  if (!text.startsWith('{')) {
    throw new CheckpointError(file, 'bad-header', 'the header does not start with "{" (the file is corrupt or not a checkpoint)');
  }
  return parseLimitedJson(text, file, 'the header', 'bad-header', budget, HEADER_DEPTH);
}

/** Checks that the bytes after the header are exactly the data section the header describes. */
export function checkDataSize(header: DecodedHeader, available: number, file: string): void {
  if (available < header.dataBytes) {
    throw new CheckpointError(file, 'truncated', `the tensors need ${header.dataBytes} bytes of data but the file has only ${available} after the header`);
  }
  if (available > header.dataBytes) {
    throw new CheckpointError(file, 'bad-offsets', `the file has ${available - header.dataBytes} bytes after the last tensor that belong to no tensor`);
  }
}
