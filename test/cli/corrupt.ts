import { readFile, truncate, writeFile } from 'node:fs/promises';

/** Flips every bit of the file's last byte (tensor data, since tensors follow the header). */
export async function flipLastByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await writeFile(file, bytes);
}

/** Cuts the last `n` bytes off the file. */
export async function cutTail(file: string, n: number): Promise<void> {
  const bytes = await readFile(file);
  await truncate(file, bytes.length - n);
}
