/**
 * Issue 7, §5: `inspect --tree` shows the non-tensor state, `upgrade` does not call a corrupt current file fine, and
 * help texts point to documents the package ships.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { CLI_DOC, FORMAT_DOC } from '../../src/cli/docs.js';
import { flipLastByte } from './corrupt.js';
import { smallState } from './fixtures.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

const REPO = join(import.meta.dirname, '..', '..');

describe('kindling inspect --tree', () => {
  it('shows the non-tensor state, and tensors as dtype and shape', async () => {
    const file = tmp.file('a.ckpt');
    await saveCheckpoint(file, { ...smallState(), sampler: { position: 1024, order: [3, 1, 2] }, $odd: { NaN: Number.NaN } });
    const { code, stdout } = await kindling('inspect', '--tree', file);
    expect(code).toBe(0);
    const tree = stdout.slice(stdout.indexOf('state tree:'));
    expect(tree).toMatch(/^ {4}weight: float32\[2, 3\]$/m);
    expect(tree).toMatch(/^ {4}lr: 0\.001$/m);
    expect(tree).toMatch(/^ {4}step: int64\[\]$/m);
    expect(tree).toMatch(/^ {4}epoch: 3$/m);
    expect(tree).toMatch(/^ {4}monitor: "val_loss"$/m);
    expect(tree).toMatch(/^ {4}best: -Infinity$/m);
    expect(tree).toMatch(/^ {4}position: 1024$/m);
    expect(tree).toMatch(/^ {4}order: \[3, 1, 2\]$/m);
    expect(tree).toMatch(/^ {2}\$odd\n {4}NaN: NaN$/m);
  });

  it('--json --tree adds the tree as the file stores it', async () => {
    const file = tmp.file('a.ckpt');
    await saveCheckpoint(file, smallState());
    const report = JSON.parse((await kindling('inspect', '--json', '--tree', file)).stdout) as { tree: Record<string, Record<string, unknown>> };
    expect(report.tree['trainer']).toEqual({ epoch: 3, monitor: 'val_loss', best: { $number: '-Infinity' } });
    expect(report.tree['model']!['weight']).toEqual({ $tensor: 'model.weight' });
    expect(JSON.parse((await kindling('inspect', '--json', file)).stdout)).not.toHaveProperty('tree');
  });

  it('cuts a huge tree and says how much it left out', async () => {
    const file = tmp.file('big.ckpt');
    await saveCheckpoint(file, { list: Array.from({ length: 3000 }, (_, i) => ({ i })) });
    const { stdout } = await kindling('inspect', '--tree', file);
    expect(stdout).toMatch(/… and [\d,]+ more entries \(kindling inspect --json --tree has the whole tree\)/);
  });
});

describe('kindling upgrade on a file of the current format', () => {
  it('verifies it and fails on a corrupt one, touching nothing', async () => {
    const file = tmp.file('current.ckpt');
    await saveCheckpoint(file, smallState());
    await flipLastByte(file);
    const before = readFileSync(file);
    const run = await kindling('upgrade', file);
    expect(run.code).toBe(2);
    expect(isOneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/is corrupt: its XXH64 checksum/);
    expect(run.stdout).toBe('');
    expect(readFileSync(file)).toEqual(before);
    expect(await readdir(tmp.dir)).toEqual(['current.ckpt']);
  });

  it('still says there is nothing to do for a sound one', async () => {
    const file = tmp.file('current.ckpt');
    await saveCheckpoint(file, smallState());
    const run = await kindling('upgrade', file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('nothing to do');
  });
});

describe('help texts', () => {
  it.each([[['--help']], [['inspect', '--help']], [['diff', '--help']], [['validate', '--help']], [['upgrade', '--help']]])(
    '%j points to shipped documents, never into src/',
    async (args) => {
      const run = await kindling(...args);
      const text = run.stdout + run.stderr;
      expect(text).not.toMatch(/\bsrc\//);
      expect(text).toMatch(/node_modules\/kindling\/docs\/(cli|checkpoint-format)\.md/);
    },
  );

  it('codegen --help does not point into src/ either', async () => {
    const run = await kindling('codegen', '--help');
    expect(run.stdout + run.stderr).not.toMatch(/\bsrc\//);
  });

  it('names documents that exist and that the package ships', () => {
    const files = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] }).files;
    for (const doc of [CLI_DOC, FORMAT_DOC]) {
      const inPackage = doc.replace('node_modules/kindling/', '');
      expect(existsSync(join(REPO, inPackage))).toBe(true);
      expect(files.some((f) => inPackage === f || inPackage.startsWith(`${f}/`))).toBe(true);
    }
  });
});
