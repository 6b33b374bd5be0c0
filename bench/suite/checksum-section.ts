/**
 * The checksum study (docs/design/checksums.md): every candidate of checksum-candidates.ts over the same bytes, in
 * the same run, interleaved with rotating order, 16 MiB updates as the loader makes. Then what each would give a
 * verified warm load: a model of the loader's pipeline (the next chunk is read on libuv's pool while the main thread
 * hashes the current one) against one readFileSync of the same file. And, for in-place loads, verifying while the
 * bytes are copied into their destination (one pass) against today's checksum pass + copy pass.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { warmPageCache } from '../helpers/page-cache.js';
import { rotate } from '../helpers/stats.js';
import { type Candidate, loadCandidates, type StreamingHash } from './checksum-candidates.js';
import type { Row } from './rows.js';
import { Samples } from './samples.js';
import { quiesce, type QuiesceOptions } from './writeback.js';

const MiB = 1024 * 1024;
const CHUNK = 16 * MiB;

export interface ChecksumOptions {
  readonly bytes: number;
  readonly rounds: number;
  readonly dir: string;
  readonly quiesce: QuiesceOptions;
  readonly log: (line: string) => void;
}

export interface ChecksumResult {
  readonly rows: Row[];
  readonly samples: Samples;
  readonly candidates: { name: string; source: string; bits: number }[];
  readonly missing: string[];
  readonly bytes: number;
}

/** Pseudo-random bytes (xorshift), like the checkpoint state: no shortcut for any algorithm. */
function randomBytes(n: number): Uint8Array {
  const words = new Uint32Array(n / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new Uint8Array(words.buffer);
}

function hashAll(hash: StreamingHash, bytes: Uint8Array): string {
  hash.init();
  for (let at = 0; at < bytes.length; at += CHUNK) hash.update(bytes.subarray(at, Math.min(at + CHUNK, bytes.length)));
  return hash.digest();
}

/** The loader's pipeline, modelled: read chunk k+1 asynchronously (libuv pool) while hashing chunk k here. */
async function pipelinedVerifiedRead(file: string, size: number, hash: StreamingHash): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(size);
    hash.init();
    const read = (at: number) => handle.read(buffer, at, Math.min(CHUNK, size - at), at);
    let pending = read(0);
    for (let at = 0; at < size; at += CHUNK) {
      const { bytesRead } = await pending;
      if (at + CHUNK < size) pending = read(at + CHUNK);
      hash.update(buffer.subarray(at, at + bytesRead));
    }
    hash.digest();
  } finally {
    await handle.close();
  }
}

/** Today's in-place load with verification, modelled: a checksum pass through a scratch buffer, then a copy pass. */
function twoPassInPlace(file: string, target: Uint8Array, hash: StreamingHash): void {
  const fd = openSync(file, 'r');
  try {
    const scratch = new Uint8Array(4 * MiB);
    hash.init();
    for (let at = 0; at < target.length; at += scratch.length) hash.update(scratch.subarray(0, readSync(fd, scratch, 0, Math.min(scratch.length, target.length - at), at)));
    hash.digest();
    for (let at = 0; at < target.length; at += CHUNK) readSync(fd, target, at, Math.min(CHUNK, target.length - at), at);
  } finally {
    closeSync(fd);
  }
}

/** Verify while copying: read straight into the destination and hash it there (the targets change before the verdict). */
function onePassInPlace(file: string, target: Uint8Array, hash: StreamingHash): void {
  const fd = openSync(file, 'r');
  try {
    hash.init();
    for (let at = 0; at < target.length; at += CHUNK) {
      const n = readSync(fd, target, at, Math.min(CHUNK, target.length - at), at);
      hash.update(target.subarray(at, at + n));
    }
    hash.digest();
  } finally {
    closeSync(fd);
  }
}

export async function runChecksumSection(options: ChecksumOptions): Promise<ChecksumResult> {
  const { candidates, missing } = await loadCandidates();
  for (const m of missing) options.log(`checksums: ${m}`);
  const bytes = randomBytes(options.bytes);
  const samples = new Samples();
  const label = (c: Candidate): string => `${c.name} [${c.source.split(' ')[0]}]`;
  options.log(`checksums: ${(options.bytes / MiB).toFixed(0)} MiB, ${candidates.length} candidates, ${options.rounds} rounds…`);
  for (const c of candidates) hashAll(c.hash, bytes.subarray(0, CHUNK)); // warm up (wasm compilation, tables)
  for (let round = 0; round < options.rounds; round++) {
    for (const c of rotate(candidates, round)) {
      const before = quiesce(options.quiesce);
      const t = performance.now();
      hashAll(c.hash, bytes);
      samples.add({ label: label(c), round, seconds: (performance.now() - t) / 1000, before });
    }
  }

  // The modelled loads read a file of the same bytes from the page cache.
  mkdirSync(options.dir, { recursive: true });
  const dir = mkdtempSync(join(options.dir, 'bench-checksums-'));
  const file = join(dir, 'bytes.bin');
  const crc = candidates[0]!;
  const fastest = (): Candidate => {
    let best = crc;
    for (const c of candidates) if ((samples.seconds(label(c))?.median ?? Infinity) < (samples.seconds(label(best))?.median ?? Infinity)) best = c;
    return best;
  };
  const best = fastest();
  const loadModels = candidates.filter((c, i) => i === 0 || c === best || c.name.startsWith('XXH3') || c.name.startsWith('CRC32C'));
  const unique = [...new Map(loadModels.map((c) => [label(c), c])).values()];
  try {
    writeFileSync(file, bytes);
    const target = new Uint8Array(options.bytes).fill(1); // touched, like live parameters
    options.log('checksums: modelled verified loads (warm)…');
    for (let round = 0; round < options.rounds; round++) {
      const ops: [string, () => Promise<void> | void][] = [
        ['readFileSync (warm)', () => void readFileSync(file)],
        ...unique.map((c): [string, () => Promise<void>] => [`pipelined read + ${label(c)}`, () => pipelinedVerifiedRead(file, options.bytes, c.hash)]),
        ...[crc, best].filter((c, i, a) => a.indexOf(c) === i).flatMap((c): [string, () => void][] => [
          [`in-place, two passes + ${label(c)}`, () => twoPassInPlace(file, target, c.hash)],
          [`in-place, one pass + ${label(c)}`, () => onePassInPlace(file, target, c.hash)],
        ]),
      ];
      for (const [name, op] of rotate(ops, round)) {
        const before = quiesce(options.quiesce);
        warmPageCache(file);
        const t = performance.now();
        await op();
        samples.add({ label: name, round, seconds: (performance.now() - t) / 1000, before });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const gib = options.bytes / 1024 ** 3;
  const rows: Row[] = [];
  for (const c of candidates) {
    const t = samples.seconds(label(c));
    rows.push({
      item: 'study',
      what: `${c.name}, ${c.source}: time ÷ zlib.crc32 time`,
      unit: '×',
      ...(samples.ratio(label(c), label(crc)) ? { figure: samples.ratio(label(c), label(crc))! } : {}),
      note: t ? `${t.median.toFixed(3)} s median = ${(gib / t.median).toFixed(2)} GiB/s; adoption needs ≤ 0.5× (2× faster)` : '',
    });
  }
  for (const c of unique) {
    rows.push({
      item: 'study',
      what: `modelled verified warm load with ${c.name} [${c.source.split(' ')[0]}]: readFileSync time ÷ its time`,
      unit: '×',
      ...(samples.ratio('readFileSync (warm)', `pipelined read + ${label(c)}`) ? { figure: samples.ratio('readFileSync (warm)', `pipelined read + ${label(c)}`)! } : {}),
      note: `a model of item 2 (target there ≥ 0.95×): pipelined 16 MiB reads + hashing, ${samples.seconds(`pipelined read + ${label(c)}`)?.median.toFixed(3) ?? '?'} s vs readFileSync ${samples.seconds('readFileSync (warm)')?.median.toFixed(3) ?? '?'} s`,
    });
  }
  for (const c of [crc, best].filter((x, i, a) => a.indexOf(x) === i)) {
    rows.push({
      item: 'study',
      what: `in-place load model with ${c.name}: two passes time ÷ one pass (verify while copying) time`,
      unit: '×',
      ...(samples.ratio(`in-place, two passes + ${label(c)}`, `in-place, one pass + ${label(c)}`)
        ? { figure: samples.ratio(`in-place, two passes + ${label(c)}`, `in-place, one pass + ${label(c)}`)! }
        : {}),
      note: `one pass ${samples.seconds(`in-place, one pass + ${label(c)}`)?.median.toFixed(3) ?? '?'} s, two passes ${samples.seconds(`in-place, two passes + ${label(c)}`)?.median.toFixed(3) ?? '?'} s`,
    });
  }
  return { rows, samples, candidates: candidates.map((c) => ({ name: c.name, source: c.source, bits: c.bits })), missing, bytes: options.bytes };
}
