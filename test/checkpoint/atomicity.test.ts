/**
 * Crash safety: a process killed with SIGKILL at an arbitrary moment of a save never leaves a partial file at the
 * target path. The child saves ~10 MiB in a loop; each round starts a child, kills it shortly after it announces a
 * save (at a varied delay, so kills land at different points of the write), and checks the target. A killed save may
 * leave its temporary file; the next save of the target (the next child's, or finally ours) must remove it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
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

/** The kindling temporary files in `dir`. */
function temporaryFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.kindling-tmp'));
}

describe('atomic save', () => {
  it('leaves the old or a complete new checkpoint at the path after SIGKILLs at varied moments, and no leftovers after the next save', async () => {
    const dir = tempDir();
    const target = join(dir, 'model.ckpt');
    await saveCheckpoint(target, { model: { weights: zeros('float32', [4]) }, optimizer: { moments: zeros('float64', [4]) }, iteration: -1 });
    let first = 0;
    const killAndCheck = async (startsBeforeKill: number, delay: number): Promise<void> => {
      await runAndKill(target, first, startsBeforeKill, delay);
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
      // Each child sweeps before its first write, so leftovers never pile up: at most the last killed save's file.
      expect(temporaryFiles(dir).length).toBeLessThanOrEqual(1);
    };
    for (const [round, delay] of [0, 3, 7, 15, 30, 60].entries()) await killAndCheck(1 + (round % 3), delay);
    // So that the final check has something to remove, kill (a few more times if need be) until a save is cut short
    // after creating its temporary file; a short delay after the second announced save usually lands mid-write.
    for (let extra = 0; extra < 8 && temporaryFiles(dir).length === 0; extra++) await killAndCheck(2, 2 + extra);
    expect(temporaryFiles(dir)).toHaveLength(1);
    await saveCheckpoint(target, { iteration: -2 });
    expect(readdirSync(dir)).toEqual(['model.ckpt']);
  }, 60_000);
});
