import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataLoader, DIGITS_SHA256, digitsPath, loadDigits, readDigits } from '../../../src/index.js';
import './tf-backend.js';

describe('the shipped digits', () => {
  it('is the checksummed file under examples/data', async () => {
    expect(digitsPath()).toMatch(/examples[/\\]data[/\\]digits\.bin$/);
    const bytes = await readFile(digitsPath());
    expect(bytes.length).toBe(116821);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(DIGITS_SHA256);
  });

  it('has 1,797 8×8 images in 0–16 and labels 0–9, as scikit-learn’s load_digits', async () => {
    const { images, labels } = await readDigits();
    expect(images.shape).toEqual([1797, 8, 8]);
    expect(labels.shape).toEqual([1797]);
    expect(Math.max(...images.data)).toBe(16);
    expect(Math.min(...labels.data)).toBe(0);
    expect(Math.max(...labels.data)).toBe(9);
    // Recorded from sklearn.datasets.load_digits() (examples/data/README.md).
    const counts = new Array(10).fill(0);
    for (const l of labels.data) counts[l] += 1;
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(images.data.reduce((a, b) => a + b, 0)).toBe(561718);
    expect([...images.data.subarray(0, 16)]).toEqual([0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]);
    expect([...labels.data.subarray(0, 10)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('loads through the Dataset API and batches as float32 [B, 64] and int32 [B]', async () => {
    const dataset = await loadDigits();
    expect(dataset.length).toBe(1797);
    const sample = dataset.get(0);
    expect([sample.image.shape, sample.image.data[2], sample.label.data[0]]).toEqual([[64], 5 / 16, 0]);
    expect((await loadDigits({ flatten: false })).get(3).image.shape).toEqual([8, 8]);
    const loader = new DataLoader(dataset, { batchSize: 100, shuffle: true });
    expect(loader.length).toBe(18);
    for await (const { image, label } of loader) {
      expect([image.shape, image.dtype, label.shape, label.dtype]).toEqual([[100, 64], 'float32', [100], 'int32']);
      break;
    }
  });

  it('refuses a damaged file, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kindling-digits-'));
    try {
      const bytes = await readFile(digitsPath());
      bytes[1000] = (bytes[1000]! + 1) % 17;
      const file = join(dir, 'digits.bin');
      await writeFile(file, bytes);
      await expect(readDigits(file)).rejects.toThrow(`readDigits: ${file} has SHA-256`);
      await expect(readDigits(join(dir, 'missing.bin'))).rejects.toThrow('cannot read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
