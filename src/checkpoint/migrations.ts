/**
 * Format migrations, in version order. Each upgrades a header's `__metadata__` from `from` to `from + 1`, in place,
 * before anything else reads it; the tensor bytes never change (a migration may only rewrite metadata). Loading
 * applies every migration above the file's version; `upgradeCheckpoint` writes the result back to disk.
 *
 * Version history (docs/checkpoint-format.md, "Versions"):
 * - 0, the prototype format: the tree under `__metadata__.kindling`, tensor references `{"__tensor__": name}`, no
 *   escaping (so no NaN/±Infinity/-0 and no `$` keys), no checksums, no version key.
 * - 1: `format`/`kindling.version`/`kindling.tree` keys, `$`-markers and escaping, CRC32 checksums.
 * - 2: XXH64 checksums (`kindling.xxh64.*`) instead of CRC32; the tree is unchanged.
 */
import { CRC32 } from './checksum.js';
import { CheckpointError } from './errors.js';
import { MAX_STATE_DEPTH } from '../state/limits.js';
import { JsonLimitError, parseJsonWithLimits } from './json-parse.js';
import { FORMAT_VERSION, MAX_HEADER_NODES, META_FORMAT, META_FORMAT_VALUE, META_TREE, META_VERSION } from './format.js';
import type { Json } from './tree-codec.js';

/** The header as migrations see it: its `__metadata__` (string → string), mutable in place. */
export interface RawHeader {
  metadata: Record<string, string>;
  /** The reader's node limit (`ReadLimits.maxHeaderNodes`), for migrations that parse JSON; MAX_HEADER_NODES if absent. */
  readonly maxHeaderNodes?: number;
}

export interface Migration {
  /** The version this migration upgrades from; it produces `from + 1`. */
  readonly from: number;
  readonly description: string;
  migrate(header: RawHeader, file: string): void;
}

/** The metadata key of the version-0 tree. */
const V0_TREE = 'kindling';

function fromV0(header: RawHeader, file: string): void {
  const bad = (detail: string): CheckpointError =>
    new CheckpointError(file, 'bad-tree', `version-0 state tree is malformed: ${detail}`);
  const text = header.metadata[V0_TREE] ?? '';
  // Parsed with the reader's node limit (a fresh budget: the migrated tree is parsed again, against the header's
  // shared budget, once it is in kindling.tree). The tree has the depth a version-1 tree may have.
  const limit = header.maxHeaderNodes ?? MAX_HEADER_NODES;
  let tree: Json;
  try {
    tree = parseJsonWithLimits(text, { maxDepth: MAX_STATE_DEPTH + 1, budget: { remaining: limit, limit } });
  } catch (error) {
    if (!(error instanceof JsonLimitError)) throw error;
    if (error.kind === 'too-many-nodes' || error.kind === 'too-deep') {
      throw new CheckpointError(file, 'limits', `version-0 state tree is over a read limit: ${error.message}`);
    }
    throw bad(error.kind === 'duplicate-key' ? error.message : 'not valid JSON');
  }
  const convert = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(convert);
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '__tensor__') {
      const name = value['__tensor__'];
      if (typeof name !== 'string') throw bad('a "__tensor__" reference must hold a string');
      return { $tensor: name };
    }
    const out: { [key: string]: Json } = {};
    for (const key of keys) {
      Object.defineProperty(out, key.startsWith('$') ? `$${key}` : key, {
        value: convert(value[key]!),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  const converted = convert(tree);
  delete header.metadata[V0_TREE];
  header.metadata[META_FORMAT] = META_FORMAT_VALUE;
  header.metadata[META_TREE] = JSON.stringify(converted);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    description: 'version 0 → 1: tree moves to kindling.tree, tensor references become {"$tensor": name}, $-keys are escaped',
    migrate: fromV0,
  },
  {
    from: 1,
    // The reader has already parsed (and, when verifying, checked) the CRC32s against the file as it was written,
    // before any migration ran; new digests need the tensor bytes, which `upgradeCheckpoint` rewrites.
    description: 'version 1 → 2: the CRC32 checksums are dropped from the migrated header (rewriting the file computes XXH64)',
    migrate: (header) => {
      delete header.metadata[CRC32.tensorsKey];
      delete header.metadata[CRC32.headerKey];
    },
  },
];

/** The format version a header was written in; throws `not-kindling` for safetensors files without kindling state. */
export function storedVersionOf(metadata: Readonly<Record<string, string>>, file: string): number {
  if (metadata[META_FORMAT] === META_FORMAT_VALUE) {
    const text = metadata[META_VERSION];
    if (text === undefined || !/^(0|[1-9][0-9]{0,8})$/.test(text)) {
      throw new CheckpointError(file, 'bad-header', `${META_VERSION} is ${JSON.stringify(text)}: expected a whole number`);
    }
    return Number(text);
  }
  if (metadata[V0_TREE] !== undefined) return 0;
  throw new CheckpointError(
    file,
    'not-kindling',
    'this is not a kindling checkpoint (its safetensors header carries no kindling state tree); read it with a safetensors library',
  );
}

/** Applies, in place and in order, every migration from `version` up to FORMAT_VERSION. */
export function migrateHeader(header: RawHeader, version: number, file: string): void {
  for (let v = version; v < FORMAT_VERSION; v++) {
    const migration = MIGRATIONS.find((m) => m.from === v);
    if (migration === undefined) {
      throw new CheckpointError(file, 'bad-header', `no migration from checkpoint format version ${v} (this is a kindling bug)`);
    }
    migration.migrate(header, file);
  }
  header.metadata[META_VERSION] = String(FORMAT_VERSION);
}
