import { writeFile } from 'node:fs/promises';

/**
 * Writes a version-0 (prototype format) kindling checkpoint by hand: a safetensors file whose tree sits under
 * `__metadata__.kindling` with `{"__tensor__": name}` references and no version key or checksums. Holds
 * `{ model: { w: float32[2] = [1.5, -2] }, trainer: { epoch: 3 } }`.
 */
export async function writeVersion0Checkpoint(file: string): Promise<void> {
  const tree = { model: { w: { __tensor__: 'model.w' } }, trainer: { epoch: 3 } };
  const header = JSON.stringify({
    __metadata__: { kindling: JSON.stringify(tree) },
    'model.w': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
  });
  const headerBytes = Buffer.from(header.padEnd(Math.ceil(header.length / 8) * 8, ' '));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(headerBytes.length));
  const data = Buffer.from(new Float32Array([1.5, -2]).buffer);
  await writeFile(file, Buffer.concat([length, headerBytes, data]));
}
