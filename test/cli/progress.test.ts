import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/io.js';
import { PROGRESS_THRESHOLD_BYTES, withProgress } from '../../src/cli/progress.js';

function fakeTerminal(): { stream: NodeJS.WritableStream; written: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns: 100 });
  return { stream, written: () => text };
}

const SHOW_CURSOR = '\x1b[?25h';
const silent = { write: () => undefined };

describe('withProgress', () => {
  it('draws a bar on a terminal for a large file and passes the work its result through', async () => {
    const terminal = fakeTerminal();
    const io: CliIO = { stdout: silent, stderr: silent, progressStream: terminal.stream };
    const total = PROGRESS_THRESHOLD_BYTES * 2;
    const result = await withProgress(io, 'verifying big.kindling', total, async (onProgress) => {
      expect(onProgress).toBeTypeOf('function');
      onProgress!(total / 2, total);
      onProgress!(total, total);
      return 42;
    });
    expect(result).toBe(42);
    expect(terminal.written()).toContain('verifying big.kindling');
  });

  it('stays silent without a terminal or for small files', async () => {
    const terminal = fakeTerminal();
    const noTerminal: CliIO = { stdout: silent, stderr: silent };
    await withProgress(noTerminal, 'x', PROGRESS_THRESHOLD_BYTES * 2, async (onProgress) => expect(onProgress).toBeUndefined());
    const small: CliIO = { stdout: silent, stderr: silent, progressStream: terminal.stream };
    await withProgress(small, 'x', 1024, async (onProgress) => expect(onProgress).toBeUndefined());
    expect(terminal.written()).toBe('');
  });

  it('stops the bar when the work fails', async () => {
    const terminal = fakeTerminal();
    const io: CliIO = { stdout: silent, stderr: silent, progressStream: terminal.stream };
    await expect(withProgress(io, 'x', PROGRESS_THRESHOLD_BYTES, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    // The bar hides the cursor while it runs; stopping it shows the cursor again.
    expect(terminal.written()).toContain(SHOW_CURSOR);
  });
});
