import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tensor, tensorView } from '../../state/index.js';
import { TensorDataset } from './tensor-dataset.js';

/** SHA-256 of examples/data/digits.bin (see examples/data/README.md for its provenance and licence). */
export const DIGITS_SHA256 = '21970c30b9fc15ce02c7b60c1b167cc0056f895be46302c88a2fa8f0003dc3f7';
const MAGIC = 'KLDIGITS';
const HEADER_BYTES = 16;

/** The raw digits: 1,797 images of 8×8 pixels in 0–16, and their labels 0–9. */
export interface Digits {
  /** `uint8[1797, 8, 8]`. */
  readonly images: Tensor<'uint8'>;
  /** `uint8[1797]`. */
  readonly labels: Tensor<'uint8'>;
}

/** The sample type of {@link loadDigits}: pixels scaled to [0, 1], and the digit. */
export type DigitsSample = { image: Tensor<'float32'>; label: Tensor<'int32'> };

/** Where kindling keeps the digits file: examples/data/digits.bin in the package (or this repository). */
export function digitsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'kindling') {
      return join(dir, 'examples', 'data', 'digits.bin');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('digitsPath: cannot find the kindling package root; pass { path } to readDigits/loadDigits');
    dir = parent;
  }
}

/**
 * Reads scikit-learn's 8×8 handwritten digits (UCI optdigits test set, CC BY 4.0) from kindling's binary file,
 * checking its size, header and SHA-256 first.
 */
export async function readDigits(path: string = digitsPath()): Promise<Digits> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`readDigits: cannot read ${path} (${(error as Error).message}); it ships with kindling as examples/data/digits.bin`, { cause: error });
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== DIGITS_SHA256) {
    throw new Error(`readDigits: ${path} has SHA-256 ${sha}, expected ${DIGITS_SHA256}; the file is damaged or not kindling's digits file (regenerate it with scripts/python/convert_digits.py)`);
  }
  if (bytes.subarray(0, 8).toString('latin1') !== MAGIC) throw new Error(`readDigits: ${path} does not start with ${MAGIC}`);
  const count = bytes.readUInt32LE(8);
  const height = bytes.readUInt16LE(12);
  const width = bytes.readUInt16LE(14);
  const pixels = count * height * width;
  const data = new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return {
    images: tensorView('uint8', [count, height, width], data.subarray(HEADER_BYTES, HEADER_BYTES + pixels)),
    labels: tensorView('uint8', [count], data.subarray(HEADER_BYTES + pixels, HEADER_BYTES + pixels + count)),
  };
}

export interface LoadDigitsOptions {
  /** The file to read (default {@link digitsPath}). */
  readonly path?: string;
  /** Images as `[64]` vectors (default) or `[8, 8]`. */
  readonly flatten?: boolean;
}

/**
 * The digits as a dataset: samples `{ image, label }` with `image` float32 pixels divided by 16 (`[64]`, or `[8, 8]`
 * with `flatten: false`) and `label` an int32 scalar; a DataLoader batches them into `[B, 64]` float32 and `[B]` int32.
 */
export async function loadDigits(options: LoadDigitsOptions = {}): Promise<TensorDataset<{ image: Tensor<'float32'>; label: Int32Array }>> {
  const { images, labels } = await readDigits(options.path);
  const [count, height, width] = images.shape as [number, number, number];
  const scaled = Float32Array.from(images.data, (v) => v / 16);
  const shape = options.flatten === false ? [count, height, width] : [count, height * width];
  return new TensorDataset({ image: tensorView('float32', shape, scaled), label: Int32Array.from(labels.data) });
}
