/**
 * The CLI prints names that come from files. Control characters (ESC, BEL, newlines, C1 controls, bidi overrides)
 * must never reach the terminal raw, and a huge value must not become a huge "one-line" message.
 */
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { tensor } from '../../src/state/tensor.js';
import { fileFromHeader, fileWithTreeText } from '../checkpoint/craft.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

/** Characters a terminal acts on: C0 except the newlines that end lines, DEL, C1, line separators, bidi controls. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const EVIL_KEY = 'sec\u001b[2J\u0007tion';
const EVIL_NAME = 'w\u001b]0;owned\u0007\nnext line\u009b31m\u202eevil';

async function evilFile(): Promise<string> {
  const file = tmp.file('evil.ckpt');
  const tree = JSON.stringify({ [EVIL_KEY]: { $tensor: EVIL_NAME }, note: 'x' });
  await writeFile(file, fileWithTreeText(tree, [{ name: EVIL_NAME, tensor: tensor('uint8', [1], [1]) }]));
  return file;
}

describe('names from a file are printed escaped', () => {
  it('inspect escapes section and tensor names, each row staying one line', async () => {
    const run = await kindling('inspect', await evilFile());
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('sec\\u001b[2J\\u0007tion');
    expect(run.stdout).toContain('w\\u001b]0;owned\\u0007\\nnext line\\u009b31m\\u202eevil');
    expect(run.stdout.split('\n').some((line) => line.startsWith('next line'))).toBe(false);
  });

  it('inspect --json escapes them too, and the JSON still holds the exact names', async () => {
    const run = await kindling('inspect', '--json', await evilFile());
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    const report = JSON.parse(run.stdout) as { tensors: { name: string }[]; sections: { name: string }[] };
    expect(report.tensors[0]!.name).toBe(EVIL_NAME);
    expect(report.sections.map((s) => s.name)).toContain(EVIL_KEY);
  });

  it('diff escapes paths and values', async () => {
    const a = tmp.file('a.ckpt');
    const b = tmp.file('b.ckpt');
    await saveCheckpoint(a, { [EVIL_KEY]: 'one\u009b\u0007' });
    await saveCheckpoint(b, { [EVIL_KEY]: 'two\u001b[1m' });
    const run = await kindling('diff', a, b);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect((await kindling('diff', '--json', a, b)).stdout).not.toMatch(RAW_CONTROL);
  });

  it('error messages escape what they quote', async () => {
    const file = tmp.file('bad.ckpt');
    const tree = JSON.stringify({ w: { $tensor: 'missing\u001b[2J\n' } });
    await writeFile(file, fileWithTreeText(tree));
    for (const command of ['inspect', 'validate', 'diff', 'upgrade']) {
      const args = command === 'diff' ? [command, file, file] : [command, file];
      const run = await kindling(...args);
      expect(run.code).not.toBe(0);
      expect(run.stderr).not.toMatch(RAW_CONTROL);
      expect(isOneLine(run.stderr)).toBe(true);
      expect(run.stderr).toContain('missing\\u001b[2J\\n');
    }
  });

  it('a file name with control characters is escaped too', async () => {
    const run = await kindling('inspect', tmp.file('no\u001b[2Jsuch.ckpt'));
    expect(run.code).toBe(2);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
  });
});

describe('long values are cut, with their length shown', () => {
  it('a 1 MB dtype gives a short one-line message', async () => {
    const file = tmp.file('dtype.ckpt');
    const dtype = 'F'.repeat(1_000_000);
    await writeFile(file, fileFromHeader(JSON.stringify({ x: { dtype, shape: [], data_offsets: [0, 0] } })));
    for (const command of ['inspect', 'validate']) {
      const run = await kindling(command, file);
      expect(isOneLine(run.stderr)).toBe(true);
      expect(run.stderr.length).toBeLessThan(1200);
      expect(run.stderr).toContain('(1000000 characters)');
    }
  });

  it('a long tensor name is cut in the inspect table', async () => {
    const file = tmp.file('long.ckpt');
    const name = 'n'.repeat(5000);
    await writeFile(file, fileWithTreeText(JSON.stringify({ w: { $tensor: name } }), [{ name, tensor: tensor('uint8', [1], [0]) }]));
    const run = await kindling('inspect', file);
    expect(run.stdout).toContain('(5000 characters)');
    expect(Math.max(...run.stdout.split('\n').map((l) => l.length))).toBeLessThan(400);
  });
});

it('diff lists at most MAX_REPORTED_ISSUES differences as text, and says how many more', async () => {
  const a = tmp.file('a.ckpt');
  const b = tmp.file('b.ckpt');
  await saveCheckpoint(a, { v: Array.from({ length: 1500 }, () => 0) });
  await saveCheckpoint(b, { v: Array.from({ length: 1500 }, () => 1) });
  const run = await kindling('diff', a, b);
  expect(run.stdout).toContain('… and 500 more differences (--json lists them all)');
  expect(run.stdout.split('\n').filter((l) => l.startsWith('~')).length).toBe(1000);
  expect((JSON.parse((await kindling('diff', '--json', a, b)).stdout) as { differences: unknown[] }).differences.length).toBe(1500);
});
