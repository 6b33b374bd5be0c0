/**
 * Damage to the checksum keys must not turn a checksummed file into one that loads unchecked. The random-corruption
 * fuzz family found such a file (seed 20261346, case 152): two bytes that renamed both XXH64 keys, and a third in the
 * tensor data, loaded another tensor. `kindling.checksum` and the refusal of unknown `kindling.*` keys close it.
 */
import { describe, expect, it } from 'vitest';
import { deserializeCheckpoint, serializeCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { dataOf, fileFromHeader, headerText } from './craft.js';

const saved = (checksums = true): Uint8Array =>
  new Uint8Array(Buffer.concat(serializeCheckpoint({ w: tensor('int64', [4], [1, 2, 3, 4]) }, { checksums })));

/** The file with its header text edited and its tensor data kept (optionally with one data byte changed). */
function edited(file: Uint8Array, edit: (header: string) => string, damageData = false): Uint8Array {
  const data = dataOf(file).slice();
  if (damageData) data[3]! ^= 0x10;
  return fileFromHeader(edit(headerText(file)), data);
}

const refusal = (file: Uint8Array) => {
  try {
    deserializeCheckpoint(file);
  } catch (error) {
    return { reason: (error as { reason?: string }).reason, message: (error as Error).message };
  }
  return { reason: 'loaded', message: '' };
};

describe('the checksum keys of a version-2 file', () => {
  it('refuses the fuzz case: both digest keys renamed and a data byte changed', () => {
    const file = edited(saved(), (h) => h.replace('"kindling.xxh64.tensors"', '"kindling.xx>64.tensors"').replace('"kindling.xxh64.header"', '"kindling.xxh64.Neader"'), true);
    expect(refusal(file)).toMatchObject({ reason: 'bad-header', message: expect.stringContaining('kindling.checksum says "xxh64"') });
  });

  it('refuses a file whose digest keys lost their kindling. prefix', () => {
    const file = edited(saved(), (h) => h.replace('"kindling.xxh64.tensors"', '"kindlinG.xxh64.tensors"').replace('"kindling.xxh64.header"', '"kindlinG.xxh64.header"'), true);
    expect(refusal(file).reason).toBe('bad-header');
  });

  it('refuses a missing or unknown kindling.checksum, and "none" beside digests', () => {
    expect(refusal(edited(saved(), (h) => h.replace('"kindling.checksum":"xxh64",', ''))).message).toContain('kindling.checksum is null');
    expect(refusal(edited(saved(), (h) => h.replace('"kindling.checksum":"xxh64"', '"kindling.checksum":"xxh32"'))).reason).toBe('bad-header');
    expect(refusal(edited(saved(), (h) => h.replace('"kindling.checksum":"xxh64"', '"kindling.checksum":"none"'))).message).toContain(
      'kindling.checksum says "none" but the header has',
    );
  });

  it('refuses any other kindling.* key, and keeps accepting other tools\' keys', () => {
    const withKey = (key: string) => edited(saved(false), (h) => h.replace('"format":"kindling",', `"format":"kindling","${key}":"1",`));
    expect(refusal(withKey('kindling.extra')).message).toContain('"kindling.extra", a key format version 2 does not define');
    expect(refusal(withKey('mytool.note')).reason).toBe('loaded');
  });

  it('still loads a file saved without checksums (kindling.checksum "none")', () => {
    expect(headerText(saved(false))).toContain('"kindling.checksum":"none"');
    expect(refusal(saved(false)).reason).toBe('loaded');
  });
});
