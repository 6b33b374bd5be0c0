import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('crash soak, short (npm run soak -- --kills 5)', () => {
  it('resumes after every SIGKILL from a valid checkpoint identical to the uninterrupted run, and ends identical', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/soak.ts', '--kills', '5', '--seed', '12'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(stdout).not.toContain('problem:');
    expect(stdout).toContain('final parameters: identical; final state (optimizer, loader, generator): identical');
    expect(stdout).toContain('kills: 5, resumed: 5, identical: 5, corrupted: 0');
  }, 180_000);
});
