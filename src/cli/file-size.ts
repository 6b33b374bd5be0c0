import { stat } from 'node:fs/promises';

/** The size of a file, or 0 when it cannot be read; the checkpoint function reports the real error afterwards. */
export async function fileSizeOrZero(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
