/**
 * Weights interop with torch (scripts/python/check_weights_interop.py): kindling's saveWeights file loads into the
 * same MLP in torch with load_state_dict(strict=True) and gives the same outputs within 1e-5; a torch MLP's
 * weights in safetensors' layout load into kindling with loadWeights and give torch's outputs within 1e-5. Runs
 * where /usr/bin/python3 has torch, and skips saying so elsewhere.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../../src/components/engine/index.js';
import { Layer, Linear } from '../../../src/components/nn/index.js';
import { Generator } from '../../../src/components/rng/index.js';
import { firstMismatch } from '../../fixtures/torch/read-fixture.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = new URL('../../../scripts/python/check_weights_interop.py', import.meta.url).pathname;
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = probe.status === 0;
if (!hasTorch) console.warn(`weights interop with torch skipped: ${PYTHON} cannot import torch and numpy (${(probe.stderr ?? String(probe.error)).trim().split('\n').at(-1)})`);

const SIZES = [5, 7, 3] as const;

class Mlp extends Layer {
  fc1: Linear;
  fc2: Linear;
  constructor(seed: number) {
    super();
    const generator = new Generator(seed);
    this.fc1 = new Linear(SIZES[0], SIZES[1], { generator });
    this.fc2 = new Linear(SIZES[1], SIZES[2], { generator });
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(tf.relu(this.fc1.forward(x))));
  }
}

describe.skipIf(!hasTorch)('weights interop with torch', () => {
  let dir: string;
  beforeAll(async () => {
    await initEngine({ backend: 'cpu' });
    dir = mkdtempSync(path.join(tmpdir(), 'kindling-weights-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('kindling → torch (strict) and torch → kindling give the same outputs within 1e-5', async () => {
    const model = new Mlp(4);
    const x = tf.tensor2d(new Generator(9).fillNormal(new Float32Array(6 * SIZES[0])), [6, SIZES[0]]);
    const y = model.forward(x);
    await model.saveWeights(path.join(dir, 'kindling.safetensors'));
    const json = (t: tf.Tensor) => ({ shape: t.shape, data: Array.from(t.dataSync()) });
    writeFileSync(path.join(dir, 'kindling.json'), JSON.stringify({ sizes: SIZES, input: json(x), output: json(y) }));
    const run = spawnSync(PYTHON, [SCRIPT, dir], { encoding: 'utf8' });
    expect(run.stderr, 'python stderr').toBe('');
    expect(run.stdout).toContain('kindling → torch: strict load ok, outputs match');
    expect(run.status).toBe(0);

    const fresh = new Mlp(5);
    await fresh.loadWeights(path.join(dir, 'torch.safetensors'));
    const want = JSON.parse(readFileSync(path.join(dir, 'torch.json'), 'utf8')) as { shape: number[]; data: number[] };
    const got = fresh.forward(x);
    expect(got.shape).toEqual(want.shape);
    const at = firstMismatch(got.dataSync(), Float32Array.from(want.data));
    expect(at === -1 ? 'match' : `element ${at}: kindling ${got.dataSync()[at]}, torch ${want.data[at]}`).toBe('match');
    tf.dispose([x, y, got]);
    model.dispose();
    fresh.dispose();
  });
});
