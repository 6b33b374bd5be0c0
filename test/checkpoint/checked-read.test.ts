/**
 * Checked reads (src/checkpoint/checked-read.ts) go piece by piece (1 MiB) in windows (16 MiB): a state larger than a
 * window, with tensors that start and end inside pieces and span window boundaries, loads bit for bit in every mode,
 * and a damaged byte past the first window is still found, naming its tensor.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIECE_BYTES, WINDOW_BYTES } from '../../src/checkpoint/checked-read.js';
import { loadCheckpoint, readCheckpointInfo, saveCheckpoint, verifyCheckpoint, type StateTree } from '../../src/checkpoint/index.js';
import { zeros, type Tensor } from '../../src/state/tensor.js';
import { treeDifference, useTempDir } from './helpers.js';

const tempDir = useTempDir();

/** Pseudo-random bytes, so that a piece read twice or out of place cannot go unnoticed. */
function randomTensor(bytes: number, seed: number): Tensor<'uint8'> {
  const t = zeros('uint8', [bytes]);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    t.data[i] = x >>> 24;
  }
  return t;
}

/** Three tensors over about 1.2 windows: boundaries fall inside pieces, and `late` crosses the first window's end. */
function bigState(): StateTree {
  return {
    head: randomTensor(PIECE_BYTES + 12_345, 1),
    late: randomTensor(WINDOW_BYTES - PIECE_BYTES + 777, 2),
    tail: randomTensor(3 * PIECE_BYTES + 5, 3),
    step: 9,
  };
}

const emptyTargets = (): StateTree => ({
  head: zeros('uint8', [PIECE_BYTES + 12_345]),
  late: zeros('uint8', [WINDOW_BYTES - PIECE_BYTES + 777]),
  tail: zeros('uint8', [3 * PIECE_BYTES + 5]),
});

describe('checked reads over more than one window', () => {
  it('load, in-place load and unverified load all give back the saved bytes, with progress up to the total', async () => {
    const path = join(tempDir(), 'big.ckpt');
    const saved = bigState();
    await saveCheckpoint(path, saved);
    const seen: number[] = [];
    expect(treeDifference(await loadCheckpoint(path, { onProgress: (done) => void seen.push(done) }), saved)).toBeNull();
    expect(seen.at(-1)).toBe((await readCheckpointInfo(path)).tensorBytes);
    expect(seen.at(-1)).toBeGreaterThan(WINDOW_BYTES);
    expect(seen.every((v, i) => i === 0 || v >= seen[i - 1]!)).toBe(true);
    expect(treeDifference(await loadCheckpoint(path, { into: emptyTargets() }), saved)).toBeNull();
    expect(treeDifference(await loadCheckpoint(path, { into: emptyTargets(), verify: 'while-reading' }), saved)).toBeNull();
    expect(treeDifference(await loadCheckpoint(path, { verify: false }), saved)).toBeNull();
    expect((await verifyCheckpoint(path)).hasChecksums).toBe(true);
  });

  it('finds a damaged byte in the second window, in every verifying mode, and leaves in-place targets untouched', async () => {
    const path = join(tempDir(), 'damaged.ckpt');
    await saveCheckpoint(path, bigState());
    const bytes = readFileSync(path);
    // The last byte of the file is `tail`'s last byte (tensors are laid out in order), past the first window.
    bytes[bytes.length - 1]! ^= 0x40;
    writeFileSync(path, bytes);
    const refused = { reason: 'bad-checksum', message: expect.stringContaining('"tail"') };
    await expect(loadCheckpoint(path)).rejects.toMatchObject(refused);
    await expect(verifyCheckpoint(path)).rejects.toMatchObject(refused);
    const targets = emptyTargets();
    await expect(loadCheckpoint(path, { into: targets })).rejects.toMatchObject(refused);
    for (const t of Object.values(targets) as Tensor[]) expect((t.data as Uint8Array).every((b) => b === 0)).toBe(true);
    await expect(loadCheckpoint(path, { into: emptyTargets(), verify: 'while-reading' })).rejects.toMatchObject(refused);
  });
});
