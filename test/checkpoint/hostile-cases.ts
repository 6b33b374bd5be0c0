/**
 * Crafted-header families for fuzzing (issue 8): duplicate keys, v0/v1 mixes, huge node counts, deep nesting, and
 * tensor names that do not follow tree paths. Each case runs itself against the readers and says whether the file
 * was accepted or refused and whether the outcome broke a rule of the format (a "violation"). Any exception other
 * than a CheckpointError escapes: to the fuzz test, or to scripts/fuzz.ts, which counts it as a crash.
 * Shared by test/checkpoint/fuzz.test.ts (bounded, in `npm test`) and `npm run fuzz` (long).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CheckpointError, deserializeCheckpoint, loadCheckpoint, serializeCheckpoint, type ReadLimits, type StateTree } from '../../src/checkpoint/index.js';
import { MAX_STATE_DEPTH } from '../../src/state/limits.js';
import { tensor, tensorEquals, isTensor, zeros, type Tensor } from '../../src/state/tensor.js';
import { treeArb, WEIRD_KEYS } from './arbitraries.js';
import { dataOf, fileFromHeader, fileWithTreeText, headerText } from './craft.js';
import { treeDifference } from './helpers.js';

export const FAMILIES = ['duplicate-keys', 'v0-v1-mix', 'node-count', 'deep-nesting', 'names-not-paths', 'random-corruption'] as const;
export type Family = (typeof FAMILIES)[number];

export interface CaseResult {
  readonly outcome: 'accepted' | 'rejected';
  /** A broken rule: a file accepted that must be refused, a wrong tree, a target written that must not be. */
  readonly violation?: string;
}

export interface HostileCase {
  readonly family: Family;
  /** Runs the readers; `dir` is a scratch directory for files. */
  run(dir: string): Promise<CaseResult>;
}

/** Runs `read`: 'accepted' with its value, or 'rejected' with the CheckpointError's reason. */
async function attempt<T>(read: () => T | Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    if (error instanceof CheckpointError) return { ok: false, reason: error.reason };
    throw error;
  }
}

function bytesOf(tree: StateTree): Uint8Array {
  const b = Buffer.concat(serializeCheckpoint(tree));
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

const smallTree = treeArb.filter((t) => {
  try {
    bytesOf(t);
    return true;
  } catch {
    return false;
  }
});

// ---- duplicate keys ----------------------------------------------------------------------------------------------

/** Where a key is repeated; every one must be refused (bad-header in the header, bad-tree in the state tree). */
const duplicateCase: fc.Arbitrary<HostileCase> = fc
  .record({
    where: fc.constantFrom('metadata-object', 'metadata-key', 'tensor-entry', 'entry-field', 'tree-key', 'nested-tree-key'),
    key: fc.oneof(fc.constantFrom(...WEIRD_KEYS.filter((k) => !k.startsWith('$'))), fc.string({ minLength: 1, maxLength: 5 }).filter((k) => !k.startsWith('$'))),
    depth: fc.integer({ min: 0, max: 30 }),
  })
  .map(({ where, key, depth }): HostileCase => ({
    family: 'duplicate-keys',
    async run() {
      const good = bytesOf({ w: tensor('float32', [2], [1, 2]), epoch: 3 });
      const text = headerText(good);
      const k = JSON.stringify(key);
      let file: Uint8Array;
      switch (where) {
        case 'metadata-object': {
          const metadata = text.slice(text.indexOf('"__metadata__":'), text.indexOf('},"') + 1);
          file = fileFromHeader(`{${metadata.replace('\\"epoch\\":3', '\\"epoch\\":4')},${text.slice(1)}`, dataOf(good));
          break;
        }
        case 'metadata-key':
          file = fileFromHeader(text.replace('"__metadata__":{', `"__metadata__":{${k}:"a",${k}:"b",`), dataOf(good));
          break;
        case 'tensor-entry': {
          const entry = text.slice(text.indexOf('"w":{'), text.lastIndexOf('}'));
          file = fileFromHeader(`${text.slice(0, -1)},${entry}}`, dataOf(good));
          break;
        }
        case 'entry-field':
          file = fileFromHeader(text.replace('"w":{"dtype":"F32"', '"w":{"dtype":"F32","dtype":"F32"'), dataOf(good));
          break;
        case 'tree-key':
          file = fileWithTreeText(`{${k}:1,"x":2,${k}:3}`);
          break;
        case 'nested-tree-key':
          file = fileWithTreeText(`{"a":${'['.repeat(depth)}{${k}:[],${k}:{}}${']'.repeat(depth)}}`);
          break;
      }
      const result = await attempt(() => deserializeCheckpoint(file));
      const expected = where.includes('tree') ? 'bad-tree' : 'bad-header';
      if (result.ok) return { outcome: 'accepted', violation: `a duplicate key (${where}) was accepted` };
      return { outcome: 'rejected', ...(result.reason === expected ? {} : { violation: `${where}: ${result.reason}, expected ${expected}` }) };
    },
  }));

// ---- v0/v1/v2 mixes (the family keeps its first name, v0-v1-mix) -------------------------------------------------------------------------------------------------

const metadataEdit = fc.oneof(
  fc.constant({ kind: 'delete', key: 'format' } as const),
  fc.constant({ kind: 'delete', key: 'kindling.version' } as const),
  fc.constant({ kind: 'delete', key: 'kindling.tree' } as const),
  fc.constant({ kind: 'delete', key: 'kindling.xxh64.tensors' } as const),
  fc.constant({ kind: 'delete', key: 'kindling.xxh64.header' } as const),
  // The XXH64 entries under version 1's CRC32 keys (a file relabelled as the other version).
  fc.constant({ kind: 'as-crc32' } as const),
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('format', 'kindling.version', 'kindling', 'extra'), value: fc.oneof(fc.constantFrom('kindling', '0', '1', '2', '3', '{}', 'pt'), fc.string({ maxLength: 6 })) }),
  smallTree.map((t) => ({ kind: 'v0-tree' as const, tree: t })),
);

/**
 * A checksummed file of tree T with metadata edited (no checksum recomputed). Rule: while the file still claims
 * checksums, a load that succeeds returns exactly T: an edit can make the file unreadable, never make it load
 * something else.
 */
const mixCase: fc.Arbitrary<HostileCase> = fc
  .record({ tree: smallTree, edits: fc.array(metadataEdit, { minLength: 1, maxLength: 4 }) })
  .map(({ tree, edits }): HostileCase => ({
    family: 'v0-v1-mix',
    async run() {
      const good = bytesOf(tree);
      const header = JSON.parse(headerText(good)) as Record<string, unknown>;
      const metadata = header['__metadata__'] as Record<string, string>;
      for (const edit of edits) {
        if (edit.kind === 'delete') delete metadata[edit.key];
        else if (edit.kind === 'set') metadata[edit.key] = edit.value;
        else if (edit.kind === 'as-crc32') {
          for (const part of ['tensors', 'header']) {
            const value = metadata[`kindling.xxh64.${part}`];
            delete metadata[`kindling.xxh64.${part}`];
            if (value !== undefined) metadata[`kindling.crc32.${part}`] = value;
          }
        }
        else metadata['kindling'] = JSON.stringify(toV0Json(edit.tree));
      }
      const claimsChecksums = ['crc32', 'xxh64'].some((c) => metadata[`kindling.${c}.tensors`] !== undefined || metadata[`kindling.${c}.header`] !== undefined);
      const file = fileFromHeader(JSON.stringify(header), dataOf(good));
      const result = await attempt(() => deserializeCheckpoint(file));
      if (!result.ok) return { outcome: 'rejected' };
      const difference = treeDifference(result.value, tree);
      if (claimsChecksums && difference !== null) {
        return { outcome: 'accepted', violation: `a checksummed file loaded a tree its checksum does not cover (${difference})` };
      }
      return { outcome: 'accepted' };
    },
  }));

/** A tree in the version-0 layout: tensor references as {"__tensor__": name}, tensors named by the v1 writer. */
function toV0Json(tree: StateTree): unknown {
  const text = headerText(bytesOf(tree));
  const v1tree = JSON.parse((JSON.parse(text) as { __metadata__: Record<string, string> }).__metadata__['kindling.tree']!) as unknown;
  const convert = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(convert);
    if (typeof v !== 'object' || v === null) return v;
    const o = v as Record<string, unknown>;
    if (typeof o['$tensor'] === 'string' && Object.keys(o).length === 1) return { __tensor__: o['$tensor'] };
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) Object.defineProperty(out, k, { value: convert(x), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return convert(v1tree);
}

// ---- node counts -------------------------------------------------------------------------------------------------

/** Values a checksummed header without tensors has besides its tree (see test/checkpoint/depth.test.ts). */
const HEADER_OVERHEAD = 9;

/** A tree of `count` leaves or empty containers under a small limit: accepted exactly when it fits. */
const nodeCountCase: fc.Arbitrary<HostileCase> = fc
  .record({
    count: fc.integer({ min: 1, max: 4000 }),
    limit: fc.integer({ min: 20, max: 4000 }),
    item: fc.constantFrom('{}', '[]', '0', '"s"', 'null', '{"$number":"NaN"}'),
  })
  .map(({ count, limit, item }): HostileCase => ({
    family: 'node-count',
    async run() {
      const file = fileWithTreeText(`{"a":[${Array<string>(count).fill(item).join(',')}]}`);
      const perItem = item.startsWith('{"$') ? 2 : 1;
      const fits = HEADER_OVERHEAD + 2 + count * perItem <= limit;
      const limits: ReadLimits = { maxHeaderNodes: limit };
      const result = await attempt(() => deserializeCheckpoint(file, { limits }));
      const outcome = result.ok ? 'accepted' : 'rejected';
      if (result.ok !== fits) return { outcome, violation: `${count} × ${item} under a limit of ${limit}: ${result.ok ? 'accepted' : 'refused'}` };
      if (!result.ok && result.reason !== 'limits') return { outcome, violation: `refused as ${result.reason}, expected limits` };
      return { outcome };
    },
  }));

// ---- deep nesting ------------------------------------------------------------------------------------------------

/** A tree nested `levels` deep (root included), of arrays and objects, with a tensor or a leaf at the bottom. */
const deepCase: fc.Arbitrary<HostileCase> = fc
  .record({
    levels: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: MAX_STATE_DEPTH - 2, max: MAX_STATE_DEPTH + 2 }), fc.integer({ min: 600, max: 200_000 })),
    kinds: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    bottom: fc.constantFrom('tensor', 'number', 'empty'),
    inHeader: fc.boolean(),
  })
  .map(({ levels, kinds, bottom, inHeader }): HostileCase => ({
    family: 'deep-nesting',
    async run() {
      if (inHeader) {
        // The header itself nests at most 3 levels; deeper is malformed whatever the depth.
        const file = fileFromHeader(`{"x":{"shape":${'['.repeat(levels)}${']'.repeat(levels)}}}`);
        const result = await attempt(() => deserializeCheckpoint(file));
        const fine = !result.ok && (levels <= 1 ? result.reason !== 'limits' : result.reason === 'bad-header' || result.reason === 'bad-shape');
        return { outcome: result.ok ? 'accepted' : 'rejected', ...(fine ? {} : { violation: `a header ${levels} deep: ${result.ok ? 'accepted' : result.reason}` }) };
      }
      let open = '';
      let close = '';
      for (let i = 1; i < levels; i++) {
        const array = kinds[i % kinds.length]!;
        open += array ? '[' : '{"k":';
        close = (array ? ']' : '}') + close;
      }
      const leaf = bottom === 'tensor' ? '{"$tensor":"t"}' : bottom === 'number' ? '1' : '';
      const tensors = bottom === 'tensor' ? [{ name: 't', tensor: tensor('int8', [1], [3]) }] : [];
      // An object level needs a value: an empty bottom under an object gets 0.
      const body = leaf === '' && open.endsWith(':') ? '0' : leaf;
      const file = fileWithTreeText(`{"a":${open}${body}${close}}`.replace('{"a":}', '{"a":0}'), tensors);
      const result = await attempt(() => deserializeCheckpoint(file));
      const fits = levels <= MAX_STATE_DEPTH;
      const outcome = result.ok ? 'accepted' : 'rejected';
      if (result.ok !== fits) return { outcome, violation: `${levels} levels: ${result.ok ? 'accepted' : result.reason}` };
      if (!result.ok && result.reason !== 'limits') return { outcome, violation: `${levels} levels refused as ${result.reason}, expected limits` };
      return { outcome };
    },
  }));

// ---- names that do not follow paths ------------------------------------------------------------------------------

const nameArb = fc.oneof(fc.constantFrom(...WEIRD_KEYS.filter((k) => k !== '__metadata__')), fc.string({ minLength: 1, maxLength: 6 }));
const pathKey = fc.string({ minLength: 1, maxLength: 4 }).filter((k) => !k.startsWith('$'));

/**
 * n tensors at distinct tree paths, with free-form names assigned at random, and in-place targets: some at the
 * file's paths (right dtype and shape, or not), some at paths the file does not have but named like a tensor.
 * Rule: each tensor lands at its own path; a matching target at that path is filled in place; no other target is
 * written.
 */
const namesCase: fc.Arbitrary<HostileCase> = fc
  .record({
    paths: fc.uniqueArray(fc.tuple(pathKey, fc.option(pathKey, { nil: undefined })), { minLength: 1, maxLength: 6, selector: ([a]) => a }),
    names: fc.uniqueArray(nameArb, { minLength: 6, maxLength: 6 }),
    targets: fc.array(fc.constantFrom('match', 'wrong-shape', 'none', 'decoy'), { minLength: 6, maxLength: 6 }),
  })
  .map(({ paths, names, targets }): HostileCase => ({
    family: 'names-not-paths',
    async run(dir) {
      const tree: Record<string, unknown> = {};
      const into: Record<string, unknown> = {};
      const tensors: { name: string; tensor: Tensor }[] = [];
      const checks: { at: (t: StateTree) => unknown; saved: Tensor; target?: Tensor; fill: boolean }[] = [];
      const decoys: { target: Tensor; before: number[] }[] = [];
      paths.forEach(([outer, inner], i) => {
        const saved = tensor('int32', [2], [i * 10 + 1, i * 10 + 2]);
        const name = names[i]!;
        tensors.push({ name, tensor: saved });
        const marker = { $tensor: name };
        const set = (root: Record<string, unknown>, value: unknown): void => {
          if (inner === undefined) root[outer] = value;
          else root[outer] = { [inner]: value };
        };
        set(tree, marker);
        const kind = targets[i]!;
        let target: Tensor | undefined;
        if (kind === 'match' || kind === 'wrong-shape') {
          target = kind === 'match' ? tensor('int32', [2], [-1, -1]) : tensor('int32', [3], [-1, -1, -1]);
          set(into, target);
        } else if (kind === 'decoy') {
          // A target where the tensor's *name* would put it, when the name is not its path.
          const decoy = tensor('int32', [2], [-7, -7]);
          if (name !== outer && !(name in into)) {
            into[name] = decoy;
            decoys.push({ target: decoy, before: [-7, -7] });
          }
        }
        const at = (t: StateTree): unknown => (inner === undefined ? t[outer] : (t[outer] as Record<string, unknown> | undefined)?.[inner]);
        checks.push({ at, saved, ...(target === undefined ? {} : { target }), fill: kind === 'match' });
      });
      // Decoys placed at a path the file does have are real targets: drop those from the untouched list.
      const filePaths = new Set(paths.map(([o]) => o));
      const untouched = decoys.filter((d) => ![...filePaths].some((p) => into[p] === d.target));
      const path = join(dir, 'names.ckpt');
      writeFileSync(path, fileWithTreeText(JSON.stringify(tree), tensors));
      const result = await attempt(() => loadCheckpoint(path, { into: into as StateTree }));
      if (!result.ok) return { outcome: 'rejected', violation: `a sound file was refused (${result.reason})` };
      for (const { at, saved, target, fill } of checks) {
        const got = at(result.value);
        if (!isTensor(got) || !tensorEquals(got, saved)) return { outcome: 'accepted', violation: 'a tensor is not at its own path' };
        if (fill && got !== target) return { outcome: 'accepted', violation: 'a matching target at the path was not filled in place' };
        if (!fill && target !== undefined && Array.from(target.data as Int32Array).some((v) => v !== -1)) {
          return { outcome: 'accepted', violation: 'a target of another shape was written' };
        }
      }
      for (const d of untouched) {
        if (Array.from(d.target.data as Int32Array).join() !== d.before.join()) {
          return { outcome: 'accepted', violation: 'a target at a path the file does not have was written' };
        }
      }
      return { outcome: 'accepted' };
    },
  }));

// ---- random corruption ------------------------------------------------------------------------------------------

/**
 * A checksummed file with a few bytes overwritten, cut short or extended. Rule: it is refused, or it loads exactly
 * the saved tree (bytes a checksum does not cover: the header's padding, whitespace), in memory and in place; an
 * in-place load that refuses leaves its targets as they were.
 */
const corruptionCase: fc.Arbitrary<HostileCase> = fc
  .record({
    tree: smallTree,
    edits: fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    extra: fc.uint8Array({ maxLength: 3 }),
  })
  .map(({ tree, edits, cut, extra }): HostileCase => ({
    family: 'random-corruption',
    async run(dir) {
      const good = bytesOf(tree);
      let bytes = new Uint8Array([...good, ...extra]);
      for (const { at, byte } of edits) bytes[at % bytes.length] = byte;
      if (cut !== undefined) bytes = bytes.subarray(0, cut % (bytes.length + 1));
      const inMemory = await attempt(() => deserializeCheckpoint(bytes));
      if (inMemory.ok && treeDifference(inMemory.value, tree) !== null) {
        return { outcome: 'accepted', violation: `a corrupt file loaded another tree (${treeDifference(inMemory.value, tree)})` };
      }
      const path = join(dir, 'corrupt.ckpt');
      writeFileSync(path, bytes);
      const targets = bytesOfTargets(tree);
      const inPlace = await attempt(() => loadCheckpoint(path, { into: targets.into }));
      if (inPlace.ok !== inMemory.ok) return { outcome: 'rejected', violation: 'the in-memory and the in-place load disagree' };
      if (!inPlace.ok && targets.changed()) return { outcome: 'rejected', violation: 'a refused in-place load wrote into a target' };
      return { outcome: inMemory.ok ? 'accepted' : 'rejected' };
    },
  }));

/** In-place targets for every tensor of `tree` (same paths, dtypes and shapes, filled with 0x5a), and a check. */
function bytesOfTargets(tree: StateTree): { into: StateTree; changed: () => boolean } {
  const targets: Uint8Array[] = [];
  const copy = (v: unknown): unknown => {
    if (isTensor(v)) {
      const t = zeros(v.dtype, v.shape);
      const view = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      view.fill(v.dtype === 'bool' ? 1 : 0x5a);
      targets.push(view);
      return t;
    }
    if (Array.isArray(v)) return v.map(copy);
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: copy(x), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  const into = copy(tree) as StateTree;
  const before = targets.map((t) => t.slice());
  return { into, changed: () => targets.some((t, i) => !Buffer.from(t).equals(Buffer.from(before[i]!))) };
}

export const CASES: Readonly<Record<Family, fc.Arbitrary<HostileCase>>> = {
  'random-corruption': corruptionCase,
  'duplicate-keys': duplicateCase,
  'v0-v1-mix': mixCase,
  'node-count': nodeCountCase,
  'deep-nesting': deepCase,
  'names-not-paths': namesCase,
};
