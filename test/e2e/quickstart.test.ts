import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('examples/quickstart.ts (the hand-wired state walkthrough)', () => {
  it('resumes a mid-epoch checkpoint bit-for-bit and refuses a wrong-shaped state without changing anything', () => {
    // Spawned as `npm start` runs it (tsx), so the example is checked exactly as a user runs it.
    const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'examples/quickstart.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(out).toContain('resumed at step 30 (epoch 1), checksums verified');
    expect(out).toContain('resumed state is bit-for-bit the uninterrupted one: yes');
    expect(out).toContain('EarlyStopping.mode: expected "max" | "min"');
    expect(out).toContain('early stopping unchanged: yes');
  });
});
