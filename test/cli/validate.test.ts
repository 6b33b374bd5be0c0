import { stat } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, saveCheckpoint } from '../../src/checkpoint/index.js';
import type { ValidateJson } from '../../src/cli/json-output.js';
import { cutTail, flipLastByte } from './corrupt.js';
import { smallState } from './fixtures.js';
import { isOneLine, kindling, tempDir } from './run-cli.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => void (tmp = await tempDir()));
afterEach(() => tmp.cleanup());

describe('kindling validate', () => {
  it('exits 0 for a valid checkpoint and reports what it checked', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    const human = await kindling('validate', file);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^valid: .*\(format v\d+, 3 tensors, \d+ B\): structure and checksums verified\n$/);
    const json = await kindling('validate', '--json', file);
    expect(json.code).toBe(0);
    const { size } = await stat(file);
    expect(JSON.parse(json.stdout)).toEqual({
      file,
      valid: true,
      formatVersion: FORMAT_VERSION,
      fileBytes: size,
      tensors: 3,
      checksums: true,
    });
  });

  it('says when there were no checksums to verify', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState(), { checksums: false });
    const { code, stdout } = await kindling('validate', file);
    expect(code).toBe(0);
    expect(stdout).toContain('saved without checksums');
  });

  it('exits 1 with the reason when a tensor byte is corrupted', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    await flipLastByte(file);
    const { code, stdout, stderr } = await kindling('validate', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kindling validate: invalid: /);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/checksum|crc/i);
    expect(isOneLine(stderr)).toBe(true);
  });

  it('exits 1 for a truncated file, and --json carries the reason', async () => {
    const file = tmp.file('a.kindling');
    await saveCheckpoint(file, smallState());
    await cutTail(file, 5);
    const { code, stdout } = await kindling('validate', '--json', file);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as ValidateJson;
    expect(report).toMatchObject({ file, valid: false });
    expect(report.valid === false && report.reason).toContain(file);
  });

  it('exits 1 for a missing file', async () => {
    const file = tmp.file('missing.kindling');
    const { code, stderr } = await kindling('validate', file);
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    expect(isOneLine(stderr)).toBe(true);
  });
});
