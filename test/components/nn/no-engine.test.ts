/**
 * Training before `await initEngine()` fails with an EngineError that says to call it, not with tfjs's "gradient
 * function not found for Add". In a child process: this test process has registered the gradients already.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('gradients before initEngine', () => {
  it('is an EngineError that says to call initEngine()', () => {
    const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'test/components/nn/support/grads-without-engine.ts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, KINDLING_BACKEND: 'cpu' },
    });
    expect(out).toContain('EngineError: tfjs has no gradients registered, so nothing can be trained: call `await initEngine()`');
  });
});
