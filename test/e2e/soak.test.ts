import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function soak(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/soak.ts', ...args], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: `${stdout}${stderr}` });
    });
  });
}

describe('crash soak, short (npm run soak -- --kills 5): a real ModelCheckpoint, resumed with ckptPath: last', () => {
  it('resumes after every SIGKILL from a valid checkpoint identical to the uninterrupted run, and ends identical', async () => {
    const { code, output } = await soak(['--kills', '5', '--seed', '12']);
    expect(output).not.toContain('problem:');
    expect(output).toContain('final parameters: identical; final state (optimizer, loops, loader, generator): identical');
    expect(output).toContain('kills: 5, resumed: 5, identical: 5, corrupted: 0');
    expect(code).toBe(0);
  }, 180_000);
});
