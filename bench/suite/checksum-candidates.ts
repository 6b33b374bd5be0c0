/**
 * The checksums the study compares, behind one streaming interface. Node's own `zlib.crc32` is always there; the
 * WebAssembly packages are NOT dependencies of kindling: they are loaded, only if present, from a scratch directory
 * (`npm install --prefix /tmp/kindling-bench-deps hash-wasm xxhash-wasm`, or KINDLING_BENCH_DEPS), so the study
 * never changes what kindling installs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { XXH64, type RunningDigest } from '../../src/checkpoint/checksum.js';
import { XXH64_WASM_SOURCE } from '../../src/checkpoint/xxh64-wasm.js';

export const DEPS_DIR = process.env['KINDLING_BENCH_DEPS'] ?? '/tmp/kindling-bench-deps';

export interface StreamingHash {
  init(): void;
  update(bytes: Uint8Array): void;
  digest(): string;
}

export interface Candidate {
  readonly name: string;
  /** Package and version it comes from. */
  readonly source: string;
  readonly bits: number;
  readonly hash: StreamingHash;
}

interface HashWasmHasher {
  init(): HashWasmHasher;
  update(data: Uint8Array): HashWasmHasher;
  digest(type?: 'hex'): string;
}
interface HashWasm {
  createCRC32(polynomial?: number): Promise<HashWasmHasher>;
  createXXHash64(): Promise<HashWasmHasher>;
  createXXHash3(): Promise<HashWasmHasher>;
}
interface XXHashWasmApi {
  create64(seed?: bigint): { update(input: Uint8Array): unknown; digest(): bigint };
}

function zlibCrc32(): Candidate {
  let running = 0;
  return {
    name: 'CRC32 (zlib.crc32)',
    source: `node ${process.version} (native zlib)`,
    bits: 32,
    hash: {
      init: () => void (running = 0),
      update: (bytes) => void (running = crc32(bytes, running)),
      digest: () => (running >>> 0).toString(16).padStart(8, '0'),
    },
  };
}

function fromHashWasm(name: string, version: string, bits: number, hasher: HashWasmHasher): Candidate {
  return {
    name,
    source: `hash-wasm ${version}`,
    bits,
    hash: { init: () => void hasher.init(), update: (b) => void hasher.update(b), digest: () => hasher.digest('hex') },
  };
}

function packageVersion(name: string): string | undefined {
  const file = join(DEPS_DIR, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

async function importFromDeps<T>(name: string, entry: string): Promise<T> {
  return (await import(pathToFileURL(join(DEPS_DIR, 'node_modules', name, entry)).href)) as T;
}

/** What format v2 adopted: kindling's own driver of the vendored hash-wasm module (synchronous). */
function kindlingXxh64(): Candidate {
  let running: RunningDigest = XXH64.start();
  return {
    name: 'XXH64',
    source: `kindling (the ${XXH64_WASM_SOURCE} module, vendored)`,
    bits: 64,
    hash: { init: () => void (running = XXH64.start()), update: (b) => running.update(b), digest: () => running.hex() },
  };
}

/** Every candidate available here, and a note for each one that is not. */
export async function loadCandidates(): Promise<{ candidates: Candidate[]; missing: string[] }> {
  const candidates = [zlibCrc32(), kindlingXxh64()];
  const missing: string[] = [];
  const hw = packageVersion('hash-wasm');
  if (hw) {
    const lib = await importFromDeps<HashWasm>('hash-wasm', 'dist/index.esm.js');
    candidates.push(
      fromHashWasm('CRC32C (Castagnoli)', hw, 32, await lib.createCRC32(0x82f63b78)),
      fromHashWasm('XXH64', hw, 64, await lib.createXXHash64()),
      fromHashWasm('XXH3-64', hw, 64, await lib.createXXHash3()),
      fromHashWasm('CRC32 (hash-wasm)', hw, 32, await lib.createCRC32()),
    );
  } else missing.push(`hash-wasm (CRC32C, XXH64, XXH3) not in ${DEPS_DIR}: skipped`);
  const xw = packageVersion('xxhash-wasm');
  if (xw) {
    const { default: xxhash } = await importFromDeps<{ default: () => Promise<XXHashWasmApi> }>('xxhash-wasm', 'esm/xxhash-wasm.js');
    const api = await xxhash();
    let state = api.create64(0n);
    candidates.push({
      name: 'XXH64',
      source: `xxhash-wasm ${xw}`,
      bits: 64,
      hash: {
        init: () => void (state = api.create64(0n)),
        update: (b) => void state.update(b),
        digest: () => state.digest().toString(16).padStart(16, '0'),
      },
    });
  } else missing.push(`xxhash-wasm (XXH64) not in ${DEPS_DIR}: skipped`);
  checkKnownAnswers(candidates);
  return { candidates, missing };
}

/** Published check values, so a mis-wired candidate cannot produce a fast but meaningless figure. */
const KNOWN: Record<string, readonly [input: string, digest: string]> = {
  'CRC32 (zlib.crc32)': ['123456789', 'cbf43926'],
  'CRC32 (hash-wasm)': ['123456789', 'cbf43926'],
  'CRC32C (Castagnoli)': ['123456789', 'e3069283'],
  XXH64: ['', 'ef46db3751d8e999'],
  'XXH3-64': ['', '2d06800538d394c2'],
};

function checkKnownAnswers(candidates: readonly Candidate[]): void {
  for (const c of candidates) {
    const known = KNOWN[c.name];
    if (!known) continue;
    c.hash.init();
    c.hash.update(new TextEncoder().encode(known[0]));
    const got = c.hash.digest();
    if (got !== known[1]) throw new Error(`${c.name} from ${c.source}: check value of "${known[0]}" is ${got}, expected ${known[1]}`);
  }
  // The two XXH64 implementations must agree with each other on a larger input.
  const xx = candidates.filter((c) => c.name === 'XXH64');
  if (xx.length === 2) {
    const data = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
    const digests = xx.map((c) => (c.hash.init(), c.hash.update(data.subarray(0, 12345)), c.hash.update(data.subarray(12345)), c.hash.digest()));
    if (digests[0] !== digests[1]) throw new Error(`XXH64 implementations disagree: ${digests.join(' vs ')}`);
  }
}
