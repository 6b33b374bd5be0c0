/**
 * Crash safety: a process killed with SIGKILL at an arbitrary moment of a save never leaves a partial file at the
 * target path. The child saves ~10 MiB in a loop; each round starts a child, kills it shortly after it announces a
 * save (at a varied delay, so kills land at different points of the write), and checks the target.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint, verifyCheckpoint } from '../../src/checkpoint/index.js';
import { zeros, type Tensor } from '../../src/state/tensor.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();
const CHILD = fileURLToPath(new URL('fixtures/save-loop.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the saving child until it has announced `startsBeforeKill` saves, waits `delayMs`, then SIGKILLs it. */
function runAndKill(target: string, first: number, startsBeforeKill: number, delayMs: number): Promise<{ lastLine: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, String(first)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let starts = 0;
    let killing = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      starts = (out.match(/^start /gm) ?? []).length;
      if (!killing && starts >= startsBeforeKill) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code ?? signal}: ${err}`));
      else resolve({ lastLine: out.trim().split('\n').at(-1) ?? '' });
    });
  });
}

describe('atomic save', () => {
  it('leaves the old or a complete new checkpoint at the path after SIGKILLs at varied moments', async () => {
    const target = join(tempDir(), 'model.ckpt');
    await saveCheckpoint(target, { model: { weights: zeros('float32', [4]) }, optimizer: { moments: zeros('float64', [4]) }, iteration: -1 });
    const delays = [0, 3, 7, 15, 30, 60];
    let first = 0;
    for (const [round, delay] of delays.entries()) {
      await runAndKill(target, first, 1 + (round % 3), delay);
      // Always a complete, checksum-valid file: either the previous one or a new one.
      const info = await verifyCheckpoint(target);
      expect(info.formatVersion).toBeGreaterThan(0);
      const tree = (await loadCheckpoint(target)) as { model: { weights: Tensor }; optimizer: { moments: Tensor }; iteration: number };
      const i = tree.iteration;
      if (i >= 0) {
        expect(tree.model.weights.data[tree.model.weights.data.length - 1]).toBe(i);
        expect(tree.optimizer.moments.data[0]).toBe(-i);
      }
      first = Math.max(i, first) + 1000;
    }
  }, 60_000);
});
