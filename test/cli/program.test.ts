import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveCheckpoint } from '../../src/checkpoint/index.js';
import { smallState } from './fixtures.js';
import { kindling, tempDir } from './run-cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

describe('kindling program', () => {
  it('--help lists every command and exits 0', async () => {
    const { code, stdout } = await kindling('--help');
    expect(code).toBe(0);
    for (const command of ['inspect', 'diff', 'validate', 'upgrade', 'codegen']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await kindling('--version');
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on usage errors', async () => {
    const unknown = await kindling('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('frobnicate');
    const missingArgument = await kindling('diff', 'only-one');
    expect(missingArgument.code).toBe(2);
    expect(missingArgument.stderr).toMatch(/missing required argument/);
  });
});

describe('the kindling bin, end to end', () => {
  const bin = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', ...args], { cwd: repo, encoding: 'utf8' });

  it('inspects a checkpoint as JSON and diffs with diff(1) exit codes', async () => {
    const [a, b] = [tmp.file('a.kindling'), tmp.file('b.kindling')];
    await saveCheckpoint(a, smallState());
    await saveCheckpoint(b, smallState({ lr: 0.01 }));

    const inspect = bin('inspect', '--json', a);
    expect(inspect.status).toBe(0);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ file: a, totals: { tensors: 3 } });

    const diff = bin('diff', a, b);
    expect(diff.status).toBe(1);
    expect(diff.stdout).toMatch(/^~\s+optimizer\.lr\s+0\.001 → 0\.01$/m);
    expect(diff.stderr).toBe('');
  });
});
