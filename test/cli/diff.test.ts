import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { MAX_HEADER_NODES, saveCheckpoint } from '../../src/checkpoint/index.js';
import { DIFF_LIMITS } from '../../src/cli/commands/diff.js';
import type { DiffJson } from '../../src/cli/json-output.js';
import { tensor } from '../../src/state/tensor.js';
import { flipLastByte } from './corrupt.js';
import { smallState } from './fixtures.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

describe('kindling diff', () => {
  it('exits 0 and says so for identical checkpoints', async () => {
    const [a, b] = [tmp.file('a.kindling'), tmp.file('b.kindling')];
    await saveCheckpoint(a, smallState());
    await saveCheckpoint(b, smallState(), { checksums: false });
    const human = await kindling('diff', a, b);
    expect(human).toEqual({ code: 0, stdout: `${a} and ${b} are identical\n`, stderr: '' });
    const json = await kindling('diff', '--json', a, b);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      a,
      b,
      identical: true,
      summary: { added: 0, removed: 0, changed: 0, tensors: 0 },
      differences: [],
    });
  });

  it('exits 1 and lists value and tensor differences by path', async () => {
    const [a, b] = [tmp.file('a.kindling'), tmp.file('b.kindling')];
    await saveCheckpoint(a, smallState());
    const changed = smallState({ epoch: 4, weight: [1, 2, 3, 4, 5.5, 9] });
    await saveCheckpoint(b, {
      ...changed,
      model: { ...(changed['model'] as object), bias: tensor('float32', [1, 3], [0.5, -0.5, 0]) },
      extra: { note: 'added' },
    });
    const { code, stdout, stderr } = await kindling('diff', '--json', a, b);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(stdout) as DiffJson;
    expect(report.identical).toBe(false);
    expect(report.summary).toEqual({ added: 1, removed: 0, changed: 1, tensors: 2 });
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { kind: 'changed', path: 'trainer.epoch', before: '3', after: '4' },
        { kind: 'added', path: 'extra', after: 'object(1 key)' },
        {
          kind: 'tensor',
          path: 'model.weight',
          change: 'contents',
          before: 'Tensor<float32>[2, 3]',
          after: 'Tensor<float32>[2, 3]',
          differingElements: 2,
          maxAbsDiff: 3,
        },
        {
          kind: 'tensor',
          path: 'model.bias',
          change: 'shape',
          before: 'Tensor<float32>[3]',
          after: 'Tensor<float32>[1, 3]',
        },
      ]),
    );

    const human = await kindling('diff', a, b);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^~\s+trainer\.epoch\s+3 → 4$/m);
    expect(human.stdout).toMatch(/^\+\s+extra\s+object\(1 key\)$/m);
    expect(human.stdout).toMatch(/^~\s+model\.weight\s+Tensor<float32>\[2, 3\]: 2 elements differ, max abs diff 3$/m);
    expect(human.stdout).toContain('4 differences: 1 added, 0 removed, 1 value changed, 2 tensors changed');
  });

  it('reports a removed section and an infinite difference as "Infinity" in JSON', async () => {
    const [a, b] = [tmp.file('a.kindling'), tmp.file('b.kindling')];
    await saveCheckpoint(a, { w: tensor('float64', [2], [1, 2]), gone: 1 });
    await saveCheckpoint(b, { w: tensor('float64', [2], [1, Infinity]) });
    const { code, stdout } = await kindling('diff', '--json', a, b);
    expect(code).toBe(1);
    expect((JSON.parse(stdout) as DiffJson).differences).toEqual([
      expect.objectContaining({ path: 'w', change: 'contents', differingElements: 1, maxAbsDiff: 'Infinity' }),
      { kind: 'removed', path: 'gone', before: '1' },
    ]);
  });

  it('exits 2 naming the corrupt file instead of diffing unverified bytes', async () => {
    const [a, b] = [tmp.file('a.kindling'), tmp.file('b.kindling')];
    await saveCheckpoint(a, smallState());
    await saveCheckpoint(b, smallState());
    await flipLastByte(b);
    const { code, stdout, stderr } = await kindling('diff', '--json', a, b);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(b);
    expect(stderr).toMatch(/checksum|crc/i);
    expect(isOneLine(stderr)).toBe(true);
  });

  it('gives each file a quarter of a load\'s header budget: a file validate accepts, diff refuses with the limit', async () => {
    // A v1 header (no checksums) whose tree holds more values than a diff allows per file, but fewer than a load.
    const values = DIFF_LIMITS.maxHeaderNodes + 10;
    expect(values).toBeLessThan(MAX_HEADER_NODES - 10);
    const tree = `{"a":[${'{},'.repeat(values - 3)}{}]}`;
    const header = Buffer.from(JSON.stringify({ __metadata__: { format: 'kindling', 'kindling.version': '1', 'kindling.tree': tree } }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const big = tmp.file('big.kindling');
    writeFileSync(big, Buffer.concat([length, header]));
    expect((await kindling('validate', big)).code).toBe(0);
    const { code, stderr } = await kindling('diff', big, big);
    expect(code).toBe(2);
    expect(stderr).toContain(`above the ${DIFF_LIMITS.maxHeaderNodes}-value limit of a header`);
  });

  it('exits 2 naming the unreadable file', async () => {
    const a = tmp.file('a.kindling');
    const missing = tmp.file('missing.kindling');
    await saveCheckpoint(a, smallState());
    const { code, stdout, stderr } = await kindling('diff', a, missing);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kindling diff: /);
    expect(stderr).toContain(missing);
    expect(isOneLine(stderr)).toBe(true);
  });
});
