import { readdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, loadCheckpoint, saveCheckpoint } from '../../src/checkpoint/index.js';
import type { UpgradeJson } from '../../src/cli/json-output.js';
import { tensor } from '../../src/state/tensor.js';
import { cutTail } from './corrupt.js';
import { smallState } from './fixtures.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';
import { writeVersion0Checkpoint } from './v0-file.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

describe('kindling upgrade', () => {
  it('migrates a version-0 file to the current format and keeps the original as .bak', async () => {
    const file = tmp.file('old.kindling');
    await writeVersion0Checkpoint(file);
    const original = await readFile(file);

    const before = await kindling('inspect', '--json', file);
    expect(JSON.parse(before.stdout)).toMatchObject({ formatVersion: 0 });

    const { code, stdout, stderr } = await kindling('upgrade', '--json', file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout) as UpgradeJson).toEqual({
      file,
      from: 0,
      to: FORMAT_VERSION,
      upgraded: true,
      backup: `${file}.bak`,
    });
    expect(await readFile(`${file}.bak`)).toEqual(original);
    expect(await loadCheckpoint(file)).toEqual({ model: { w: tensor('float32', [2], [1.5, -2]) }, trainer: { epoch: 3 } });
    expect((await kindling('validate', file)).code).toBe(0);
    const after = await kindling('inspect', '--json', file);
    expect(JSON.parse(after.stdout)).toMatchObject({ formatVersion: FORMAT_VERSION });
  });

  it('prints the upgrade in one line', async () => {
    const file = tmp.file('old.kindling');
    await writeVersion0Checkpoint(file);
    const { code, stdout } = await kindling('upgrade', file);
    expect(code).toBe(0);
    expect(stdout).toBe(`${file}: upgraded from format v0 to v${FORMAT_VERSION}; original kept as ${file}.bak\n`);
  });

  it('leaves a current checkpoint untouched and makes no backup', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    const before = await readFile(file);
    const human = await kindling('upgrade', file);
    expect(human).toEqual({ code: 0, stdout: `${file}: already at format v${FORMAT_VERSION}; nothing to do\n`, stderr: '' });
    const json = await kindling('upgrade', '--json', file);
    expect(JSON.parse(json.stdout)).toEqual({ file, from: FORMAT_VERSION, to: FORMAT_VERSION, upgraded: false, backup: null });
    expect(await readFile(file)).toEqual(before);
    expect(await readdir(tmp.dir)).toEqual(['a.kindling']);
  });

  it('exits 2 with one line on a missing or damaged file', async () => {
    const missing = await kindling('upgrade', tmp.file('missing.kindling'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kindling upgrade: .*missing\.kindling/);
    expect(isOneLine(missing.stderr)).toBe(true);

    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    await cutTail(file, 5);
    const damaged = await kindling('upgrade', file);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain(file);
    expect(isOneLine(damaged.stderr)).toBe(true);
  });
});
