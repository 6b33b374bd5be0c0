/**
 * The header holes of issue 8: a checksum that every metadata key is under, no v0/v1 mixes, no duplicate keys, no
 * byte-order mark, in-place targets found by tree path, verification of the bytes that land in the targets, BOOL
 * values, and a clear message for element counts that overflow.
 */
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  deserializeCheckpoint,
  loadCheckpoint,
  readCheckpointInfo,
  saveCheckpoint,
  serializeCheckpoint,
  verifyCheckpoint,
  type CheckpointErrorReason,
} from '../../src/checkpoint/index.js';
import { tensor, type Tensor } from '../../src/state/tensor.js';
import { dataOf, fileFromHeader, fileWithTreeText, headerText } from './craft.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

async function reasonsOf(bytes: Uint8Array): Promise<(CheckpointErrorReason | 'loaded')[]> {
  const path = join(tempDir(), 'crafted.ckpt');
  writeFileSync(path, bytes);
  const out: (CheckpointErrorReason | 'loaded')[] = [];
  for (const attempt of [
    () => deserializeCheckpoint(bytes),
    () => loadCheckpoint(path),
    () => loadCheckpoint(path, { into: {} }),
    () => verifyCheckpoint(path),
    () => readCheckpointInfo(path),
  ]) {
    try {
      await attempt();
      out.push('loaded');
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      out.push(error.reason);
    }
  }
  return out;
}

const all = (reason: CheckpointErrorReason | 'loaded'): (CheckpointErrorReason | 'loaded')[] => Array(5).fill(reason);

const GOOD = new Uint8Array(Buffer.concat(serializeCheckpoint({ w: tensor('float32', [2], [1, 2]), epoch: 3 })));

/** GOOD with its header JSON rewritten (same data section). */
function rewritten(edit: (header: Record<string, unknown>, metadata: Record<string, string>) => void): Uint8Array {
  const header = JSON.parse(headerText(GOOD)) as Record<string, unknown>;
  edit(header, header['__metadata__'] as Record<string, string>);
  return fileFromHeader(JSON.stringify(header), dataOf(GOOD));
}

describe('the header checksum covers every metadata key', () => {
  it('loads the untouched file (the baseline)', async () => {
    expect(await reasonsOf(GOOD)).toEqual(all('loaded'));
  });

  it('refuses a checksummed file turned into version 0 (format removed, a v0 tree added)', async () => {
    const bypass = rewritten((_h, m) => {
      delete m['format'];
      m['kindling'] = JSON.stringify({ w: { __tensor__: 'w' }, epoch: 999 });
    });
    expect(await reasonsOf(bypass)).toEqual(all('bad-header'));
    expect(() => deserializeCheckpoint(bypass)).toThrow(/has checksums but format is null.*version-0 file has no checksums/);
  });

  it('refuses a checksummed file whose format key was removed or changed', async () => {
    expect(await reasonsOf(rewritten((_h, m) => delete m['format']))).toEqual(all('bad-header'));
    expect(await reasonsOf(rewritten((_h, m) => (m['format'] = 'pt')))).toEqual(all('bad-header'));
  });

  it('refuses a checksummed file with a metadata key added', async () => {
    expect(await reasonsOf(rewritten((_h, m) => (m['kindling'] = '{}')))).toEqual([
      'bad-checksum', 'bad-checksum', 'bad-checksum', 'bad-checksum', 'bad-checksum',
    ]);
    expect(await reasonsOf(rewritten((_h, m) => (m['note'] = 'added later')))).toEqual(all('bad-checksum'));
  });
});

describe('duplicates and byte-order marks', () => {
  const text = headerText(GOOD);
  const metadataText = text.slice(text.indexOf('"__metadata__":'), text.indexOf('},"') + 1);

  it('refuses a second __metadata__, which JSON.parse would let replace the checksummed one', async () => {
    const forged = `{${metadataText.replace('"epoch":3', '"epoch":999')},${text.slice(1)}`;
    expect(await reasonsOf(fileFromHeader(forged, dataOf(GOOD)))).toEqual(all('bad-header'));
  });

  it('refuses a duplicate tensor entry', async () => {
    const entry = text.slice(text.indexOf('"w":{'), text.lastIndexOf('}'));
    const doubled = `${text.slice(0, -1)},${entry}}`;
    expect(await reasonsOf(fileFromHeader(doubled, dataOf(GOOD)))).toEqual(all('bad-header'));
  });

  it('refuses a duplicate key inside the state tree', async () => {
    const file = fileWithTreeText('{"epoch":1,"epoch":2}');
    expect(await reasonsOf(file)).toEqual(all('bad-tree'));
  });

  it('refuses a UTF-8 byte-order mark before the header', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text)]);
    expect(await reasonsOf(fileFromHeader(withBom, dataOf(GOOD)))).toEqual(all('bad-header'));
  });
});

describe('in-place targets are found by tree path, not by tensor name', () => {
  /** A file whose tensor named "a" sits at path b and the one named "b" at path a. */
  function swappedNames(): string {
    const a = tensor('float32', [2], [1, 1]);
    const b = tensor('float32', [2], [2, 2]);
    const path = join(tempDir(), 'swapped.ckpt');
    writeFileSync(path, fileWithTreeText('{"a":{"$tensor":"b"},"b":{"$tensor":"a"}}', [{ name: 'a', tensor: a }, { name: 'b', tensor: b }]));
    return path;
  }

  it('fills each target with the tensor at its own path', async () => {
    const a = tensor('float32', [2], [0, 0]);
    const b = tensor('float32', [2], [0, 0]);
    const loaded = await loadCheckpoint(swappedNames(), { into: { a, b } });
    expect(loaded['a']).toBe(a);
    expect(loaded['b']).toBe(b);
    expect(Array.from(a.data)).toEqual([2, 2]);
    expect(Array.from(b.data)).toEqual([1, 1]);
    expect(await loadCheckpoint(swappedNames())).toEqual({ a: tensor('float32', [2], [2, 2]), b: tensor('float32', [2], [1, 1]) });
  });

  it('leaves a target alone whose path the file does not have, even when a tensor has its name', async () => {
    const path = join(tempDir(), 'moved.ckpt');
    writeFileSync(path, fileWithTreeText('{"y":{"$tensor":"x"}}', [{ name: 'x', tensor: tensor('int32', [1], [5]) }]));
    const x = tensor('int32', [1], [-1]);
    const loaded = await loadCheckpoint(path, { into: { x } });
    expect(Array.from(x.data)).toEqual([-1]);
    expect(loaded).toEqual({ y: tensor('int32', [1], [5]) });
  });

  it('never reads two file tensors into one target that appears at two paths', async () => {
    const path = join(tempDir(), 'two.ckpt');
    await saveCheckpoint(path, { p: tensor('uint8', [1], [1]), q: tensor('uint8', [1], [2]) });
    const shared = tensor('uint8', [1], [0]);
    const loaded = (await loadCheckpoint(path, { into: { p: shared, q: shared } })) as Record<string, Tensor>;
    expect(Array.from(loaded["p"]!.data as Uint8Array)).toEqual([1]);
    expect(Array.from(loaded["q"]!.data as Uint8Array)).toEqual([2]);
  });
});

describe('in-place loads verify what lands in the targets', () => {
  /** A checkpoint of two tensors; `later` is at the end of the data section. */
  async function twoTensors(): Promise<{ path: string; laterOffset: number }> {
    const path = join(tempDir(), 'changing.ckpt');
    await saveCheckpoint(path, { first: tensor('float64', [1], [1]), later: tensor('float64', [1], [2]) });
    return { path, laterOffset: readFileSync(path).length - 8 };
  }

  it('refuses a file that changes between the verifying pass and the read into the targets', async () => {
    const { path, laterOffset } = await twoTensors();
    const first = tensor('float64', [1], [0]);
    const later = tensor('float64', [1], [0]);
    let changed = false;
    // Progress is reported as each tensor lands: after the first, another writer changes the second on disk.
    const onProgress = (): void => {
      if (changed) return;
      changed = true;
      const fd = openSync(path, 'r+');
      writeSync(fd, new Uint8Array(new Float64Array([666]).buffer), 0, 8, laterOffset);
      closeSync(fd);
    };
    await expect(loadCheckpoint(path, { into: { first, later }, onProgress })).rejects.toMatchObject({
      reason: 'bad-checksum',
      message: expect.stringContaining('the file changed while it was being loaded'),
    });
    expect(changed).toBe(true);
  });

  it("verifies in the one pass of verify: 'while-reading' (a corrupt file is refused, targets may be written)", async () => {
    const { path, laterOffset } = await twoTensors();
    const bytes = readFileSync(path);
    bytes[laterOffset]! ^= 1;
    writeFileSync(path, bytes);
    const first = tensor('float64', [1], [0]);
    const later = tensor('float64', [1], [0]);
    await expect(loadCheckpoint(path, { into: { first, later }, verify: 'while-reading' })).rejects.toMatchObject({ reason: 'bad-checksum' });
    // The default two passes leave every target untouched on the same file.
    const untouched = tensor('float64', [1], [0]);
    await expect(loadCheckpoint(path, { into: { first: untouched, later } })).rejects.toMatchObject({ reason: 'bad-checksum' });
    expect(Array.from(untouched.data)).toEqual([0]);
  });

  it("loads a sound file in one pass with verify: 'while-reading'", async () => {
    const { path } = await twoTensors();
    const first = tensor('float64', [1], [0]);
    const loaded = await loadCheckpoint(path, { into: { first }, verify: 'while-reading' });
    expect(loaded['first']).toBe(first);
    expect(Array.from(first.data)).toEqual([1]);
  });
});

describe('BOOL elements are 0 or 1', () => {
  const flags = (bytes: number[]): Tensor => tensor('bool', [bytes.length], bytes);

  it('refuses a file holding another byte in a BOOL tensor, even with a valid checksum, in every reader', async () => {
    const file = fileWithTreeText('{"f":{"$tensor":"f"}}', [{ name: 'f', tensor: flags([1, 0, 2]) }]);
    expect(await reasonsOf(file)).toEqual(['bad-value', 'bad-value', 'bad-value', 'bad-value', 'loaded']);
    expect(() => deserializeCheckpoint(file)).toThrow(/tensor "f" is BOOL but holds the byte 2 at element 2/);
  });

  it('leaves BOOL targets of an in-place load untouched when it refuses', async () => {
    const path = join(tempDir(), 'bool.ckpt');
    writeFileSync(path, fileWithTreeText('{"f":{"$tensor":"f"}}', [{ name: 'f', tensor: flags([1, 255]) }]));
    const target = flags([0, 0]);
    await expect(loadCheckpoint(path, { into: { f: target } })).rejects.toMatchObject({ reason: 'bad-value' });
    expect(Array.from(target.data as Uint8Array)).toEqual([0, 0]);
  });

  it('refuses to save one, naming the path', async () => {
    await expect(saveCheckpoint(join(tempDir(), 'b.ckpt'), { m: { f: flags([0, 7]) } })).rejects.toMatchObject({
      reason: 'invalid-state',
      message: expect.stringContaining('cannot store state.m.f: it is a bool tensor holding 7 at element 1'),
    });
  });

  it('round-trips 0 and 1', () => {
    expect(deserializeCheckpoint(Buffer.concat(serializeCheckpoint({ f: flags([0, 1, 1]) })))).toEqual({ f: flags([0, 1, 1]) });
  });
});

it('says that an element count overflows, not that the offsets are wrong', async () => {
  const header = (shape: number[]): string =>
    JSON.stringify({ __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': '{"a":{"$tensor":"a"}}' }, a: { dtype: 'F32', shape, data_offsets: [0, 0] } });
  const overflow = fileFromHeader(header([2 ** 53 - 1, 20]));
  expect(await reasonsOf(overflow)).toEqual(all('bad-shape'));
  expect(() => deserializeCheckpoint(overflow)).toThrow(/shape \[9007199254740991,20\]: its element count is above 2\^53 - 1 bytes/);
  expect(() => deserializeCheckpoint(fileFromHeader(header([2 ** 50, 64])))).toThrow(/2\^53 - 1 bytes/);
  // A zero dimension makes an empty tensor, however large the others.
  expect(await reasonsOf(fileFromHeader(header([2 ** 53 - 1, 0])))).toEqual(all('loaded'));
});
