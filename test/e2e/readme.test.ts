import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = 'examples/first-model/first-model.ts';

describe('README quickstart', () => {
  it('"Your first model" is examples/first-model/first-model.ts, which the project type check compiles, and it trains', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Your first model'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const source = readFileSync(join(root, example), 'utf8');
    expect(block).toBe(source);
    expect(source.trimEnd().split('\n').length).toBeLessThanOrEqual(35);

    const dir = mkdtempSync(join(tmpdir(), 'kindling-first-model-'));
    try {
      const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', example, dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const loss = Number(/val_loss after 5 epochs: (\d+\.\d+)/.exec(out)?.[1]);
      // Cross-entropy over 10 classes starts near ln 10 ≈ 2.3; five epochs of AdamW bring it well below 1.
      expect(loss).toBeGreaterThan(0);
      expect(loss).toBeLessThan(1);
      expect(readFileSync(join(dir, 'checkpoints', 'last.ckpt')).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
