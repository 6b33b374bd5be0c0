import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deserializeCheckpoint,
  FORMAT_VERSION,
  loadCheckpoint,
  MIGRATIONS,
  readCheckpointInfo,
  serializeCheckpoint,
  upgradeCheckpoint,
  verifyCheckpoint,
} from '../../src/checkpoint/index.js';
import { goldenTree, goldenV0Bytes } from './golden.js';
import { treeDifference, useTempDir } from './helpers.js';

const tempDir = useTempDir();
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));

/** The golden tree as version 0 could hold it (no special numbers outside tensors). */
function goldenAsV0(): Record<string, unknown> {
  const tree = goldenTree() as Record<string, Record<string, unknown>>;
  return { ...tree, trainer: { ...tree['trainer'], best: null } };
}

function withVersion(bytes: Uint8Array, version: string): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1').replace(`"kindling.version":"${FORMAT_VERSION}"`, `"kindling.version":"${version}"`);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

describe('format versions and migrations', () => {
  it('has one migration per older version, in order', () => {
    expect(MIGRATIONS.map((m) => m.from)).toEqual(Array.from({ length: FORMAT_VERSION }, (_, i) => i));
  });

  it('still writes the committed golden file of the current version byte for byte', () => {
    const golden = readFileSync(fixture(`v${FORMAT_VERSION}.ckpt`));
    expect(Buffer.concat(serializeCheckpoint(goldenTree())).equals(golden)).toBe(true);
    expect(treeDifference(deserializeCheckpoint(new Uint8Array(golden)), goldenTree())).toBeNull();
  });

  it('loads the hand-made version-0 file by migrating it on load', async () => {
    const bytes = readFileSync(fixture('v0.ckpt'));
    expect(bytes.equals(Buffer.from(goldenV0Bytes()))).toBe(true);
    expect(treeDifference(deserializeCheckpoint(new Uint8Array(bytes)), goldenAsV0())).toBeNull();
    const info = await readCheckpointInfo(fixture('v0.ckpt'));
    expect(info).toMatchObject({ formatVersion: 0, hasChecksums: false, sections: ['model', 'optimizer', 'trainer', 'rng', '$special'] });
  });

  it('upgrades a version-0 file on disk, keeping a backup, and leaves a current file alone', async () => {
    const path = join(tempDir(), 'old.ckpt');
    copyFileSync(fixture('v0.ckpt'), path);
    const original = readFileSync(path);

    const result = await upgradeCheckpoint(path);
    expect(result).toEqual({ from: 0, to: FORMAT_VERSION, backupPath: `${path}.bak` });
    expect(readFileSync(`${path}.bak`).equals(original)).toBe(true);
    const info = await verifyCheckpoint(path);
    expect(info).toMatchObject({ formatVersion: FORMAT_VERSION, hasChecksums: true });
    expect(treeDifference(await loadCheckpoint(path), goldenAsV0())).toBeNull();

    const upgraded = readFileSync(path);
    expect(await upgradeCheckpoint(path)).toEqual({ from: FORMAT_VERSION, to: FORMAT_VERSION });
    expect(readFileSync(path).equals(upgraded)).toBe(true);
  });

  it('loads the golden version-1 file, verifying its CRC32 checksums', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('v1.ckpt')));
    expect(treeDifference(deserializeCheckpoint(bytes), goldenTree())).toBeNull();
    const info = await readCheckpointInfo(fixture('v1.ckpt'));
    expect(info).toMatchObject({ formatVersion: 1, hasChecksums: true, checksumAlgorithm: 'crc32' });
    expect(info.tensors.every((t) => /^[0-9a-f]{8}$/.test(t.checksum ?? ''))).toBe(true);
    expect(treeDifference(await verifyCheckpoint(fixture('v1.ckpt')).then(() => loadCheckpoint(fixture('v1.ckpt'))), goldenTree())).toBeNull();

    const damaged = bytes.slice();
    damaged[damaged.length - 1]! ^= 2; // the last tensor's last byte
    expect(() => deserializeCheckpoint(damaged)).toThrow(expect.objectContaining({ reason: 'bad-checksum', message: expect.stringContaining('CRC32 checksum') }));
  });

  it('upgrades a version-1 file to the bytes kindling writes today (XXH64), keeping a backup', async () => {
    const path = join(tempDir(), 'v1.ckpt');
    copyFileSync(fixture('v1.ckpt'), path);
    expect(await upgradeCheckpoint(path)).toEqual({ from: 1, to: FORMAT_VERSION, backupPath: `${path}.bak` });
    expect(readFileSync(path).equals(readFileSync(fixture(`v${FORMAT_VERSION}.ckpt`)))).toBe(true);
    expect(readFileSync(`${path}.bak`).equals(readFileSync(fixture('v1.ckpt')))).toBe(true);
    expect(await readCheckpointInfo(path)).toMatchObject({ formatVersion: FORMAT_VERSION, checksumAlgorithm: 'xxh64' });
  });

  it('refuses a version-1 file relabelled as version 2 instead of loading it unchecked', () => {
    const relabelled = Buffer.from(readFileSync(fixture('v1.ckpt')).toString('latin1').replace('"kindling.version":"1"', '"kindling.version":"2"'), 'latin1');
    expect(() => deserializeCheckpoint(new Uint8Array(relabelled), { verify: false })).toThrow(
      expect.objectContaining({ reason: 'bad-header', message: expect.stringContaining('kindling.crc32.tensors') }),
    );
  });

  it('never overwrites an existing backup, and can skip the backup', async () => {
    const dir = tempDir();
    const path = join(dir, 'old.ckpt');
    copyFileSync(fixture('v0.ckpt'), path);
    writeFileSync(`${path}.bak`, 'an older backup');
    expect((await upgradeCheckpoint(path)).backupPath).toBe(`${path}.bak.1`);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe('an older backup');

    const other = join(dir, 'other.ckpt');
    copyFileSync(fixture('v0.ckpt'), other);
    expect(await upgradeCheckpoint(other, { backup: false })).toEqual({ from: 0, to: FORMAT_VERSION });
    expect(existsSync(`${other}.bak`)).toBe(false);
  });

  it('rejects a file newer than the library, on load and on upgrade, without touching it', async () => {
    const newer = withVersion(new Uint8Array(Buffer.concat(serializeCheckpoint(goldenTree(), { checksums: false }))), String(FORMAT_VERSION + 1));
    expect(() => deserializeCheckpoint(newer)).toThrow(expect.objectContaining({ reason: 'newer-format' }));
    const path = join(tempDir(), 'future.ckpt');
    writeFileSync(path, newer);
    await expect(upgradeCheckpoint(path)).rejects.toMatchObject({ reason: 'newer-format', message: expect.stringContaining('upgrade kindling') });
    expect(readFileSync(path).equals(Buffer.from(newer))).toBe(true);
    expect(existsSync(`${path}.bak`)).toBe(false);
  });
});
