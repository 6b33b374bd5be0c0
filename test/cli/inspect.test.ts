import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, saveCheckpoint } from '../../src/checkpoint/index.js';
import type { InspectJson } from '../../src/cli/json-output.js';
import { tensor } from '../../src/state/tensor.js';
import { smallState } from './fixtures.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

describe('kindling inspect', () => {
  it('prints the format version, sections, tensors and totals, aligned', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    const { code, stdout, stderr } = await kindling('inspect', file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain(`format v${FORMAT_VERSION}`);
    expect(stdout).toContain('checksums: XXH64');
    expect(stdout).toMatch(/^model\s+2\s+36 B$/m);
    expect(stdout).toMatch(/^optimizer\s+1\s+8 B$/m);
    expect(stdout).toMatch(/^trainer\s+0\s+0 B$/m);
    expect(stdout).toMatch(/^model\.weight\s+float32\s+\[2, 3\]\s+24 B$/m);
    expect(stdout).toMatch(/^optimizer\.step\s+int64\s+\[\]\s+8 B$/m);
    expect(stdout).toMatch(/^total: 3 tensors, 44 B of tensor data, \d+ B of header/m);
    // Columns line up: every tensor row starts its dtype column at the same offset.
    const rows = stdout.split('\n').filter((l) => /\s(float32|int64)\s/.test(l));
    expect(new Set(rows.map((l) => l.search(/(float32|int64)/))).size).toBe(1);
  });

  it('--json gives the documented shape', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState(), { checksums: false });
    const { code, stdout } = await kindling('inspect', '--json', file);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as InspectJson;
    expect(report).toMatchObject({
      file,
      formatVersion: FORMAT_VERSION,
      hasChecksums: false,
      checksumAlgorithm: null,
      sections: [
        { name: 'model', tensors: 2, tensorBytes: 36 },
        { name: 'optimizer', tensors: 1, tensorBytes: 8 },
        { name: 'trainer', tensors: 0, tensorBytes: 0 },
      ],
      totals: { tensors: 3, tensorBytes: 44 },
    });
    expect(report.totals.fileBytes).toBe(report.fileBytes);
    expect(report.totals.headerBytes + report.totals.tensorBytes).toBe(report.fileBytes);
    // Section by section, whatever order the file stores them in.
    expect(report.tensors.map((t) => t.name)).toEqual(expect.arrayContaining(['model.weight', 'model.bias']));
    expect(report.tensors.map((t) => t.name.split('.')[0])).toEqual(['model', 'model', 'optimizer']);
    expect(report.tensors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'model.weight', dtype: 'float32', shape: [2, 3], byteLength: 24 }),
        expect.objectContaining({ name: 'model.bias', dtype: 'float32', shape: [3], byteLength: 12 }),
        expect.objectContaining({ name: 'optimizer.step', dtype: 'int64', shape: [], byteLength: 8 }),
      ]),
    );
    for (const t of report.tensors) expect(t.dataOffsets[1] - t.dataOffsets[0]).toBe(t.byteLength);
  });

  it('assigns tensors to sections whose keys contain dots and backslashes', async () => {
    const file = tmp.file('a.kindling');
    const t = () => tensor('uint8', [4], [1, 2, 3, 4]);
    await saveCheckpoint(file, { a: { w: t() }, 'a.b': { w: t(), v: t() }, 'c\\': t(), __metadata__: t() });
    const report = JSON.parse((await kindling('inspect', '--json', file)).stdout) as InspectJson;
    expect(report.sections).toEqual([
      { name: 'a', tensors: 1, tensorBytes: 4 },
      { name: 'a.b', tensors: 2, tensorBytes: 8 },
      { name: 'c\\', tensors: 1, tensorBytes: 4 },
      { name: '__metadata__', tensors: 1, tensorBytes: 4 },
    ]);
  });

  it('fails with one line naming the file and exit 2 on a missing file', async () => {
    const file = tmp.file('missing.kindling');
    const { code, stdout, stderr } = await kindling('inspect', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(file);
    expect(isOneLine(stderr)).toBe(true);
  });

  it('fails with exit 2 on a file that is not a checkpoint, also with --json', async () => {
    const file = tmp.file('notes.txt');
    await writeFile(file, 'these are not the tensors you are looking for\n');
    const { code, stdout, stderr } = await kindling('inspect', '--json', file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kindling inspect: /);
    expect(stderr).toContain(file);
    expect(isOneLine(stderr)).toBe(true);
  });
});
