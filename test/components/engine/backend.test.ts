/**
 * Starting the engine: wasm by default and offline, the explicit choices (option and KINDLING_BACKEND), the one-line
 * fallback to cpu when wasm cannot start, and no tfjs-node banner. The start-up cases run in child processes, since a
 * tfjs engine starts once per process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, EngineError, initEngine, wasmBinaryDir } from '../../../src/components/engine/index.js';

const script = fileURLToPath(new URL('./support/start-engine.ts', import.meta.url));
const guard = fileURLToPath(new URL('./support/offline-guard.mjs', import.meta.url));

interface ChildReport {
  info?: { backend: string; fallbackReason?: string };
  active?: string;
  sum?: number;
  notices: string[];
  network?: string[] | null;
  wasmReads?: string[] | null;
  error?: string;
}

function startInChild(backend: string, nodeFlags: string[] = [], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', '--import', guard, script, backend], {
    encoding: 'utf8',
    env: { ...process.env, [BACKEND_ENV_VAR]: '', ...env },
    timeout: 60_000,
  });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return { report: JSON.parse(line) as ChildReport, stderr: result.stderr, status: result.status };
}

describe('starting the engine (child processes)', () => {
  it('starts wasm by default, offline, from the installed package', () => {
    const { report } = startInChild('default');
    expect(report.info).toEqual({ backend: 'wasm' });
    expect(report.active).toBe('wasm');
    expect(report.sum).toBe(6);
    expect(report.network, 'network attempts').toEqual([]);
    expect(report.wasmReads!.length).toBeGreaterThan(0);
    for (const file of report.wasmReads!) expect(file.startsWith(wasmBinaryDir())).toBe(true);
    expect(wasmBinaryDir()).toContain('node_modules/@tensorflow/tfjs-backend-wasm/dist/');
    expect(report.notices).toEqual([]);
  });

  it('falls back to cpu with one line saying why when wasm cannot start', () => {
    const { report } = startInChild('default', ['--jitless']);
    expect(report.info?.backend).toBe('cpu');
    expect(report.active).toBe('cpu');
    expect(report.sum).toBe(6);
    expect(report.notices).toHaveLength(1);
    expect(report.notices[0]).toMatch(/^kindling: the wasm backend could not start \(.*WebAssembly.*\); using the cpu backend$/);
    expect(report.info?.fallbackReason).toContain('WebAssembly');
  });

  it('refuses, rather than falls back, when wasm was asked for explicitly', () => {
    const viaOption = startInChild('wasm', ['--jitless']).report;
    expect(viaOption.error).toMatch(/^EngineError: the wasm backend could not start: .*WebAssembly/);
    const viaEnv = startInChild('default', ['--jitless'], { [BACKEND_ENV_VAR]: 'wasm' }).report;
    expect(viaEnv.error).toMatch(/^EngineError: the wasm backend could not start/);
  });

  it('KINDLING_BACKEND=cpu chooses cpu, and the cpu backend prints no tfjs-node banner', () => {
    const { report, stderr } = startInChild('default', [], { [BACKEND_ENV_VAR]: 'cpu' });
    expect(report.info).toEqual({ backend: 'cpu' });
    expect(report.sum).toBe(6);
    expect(stderr).not.toMatch(/tfjs-node|node backend/);
  });
});

describe('initEngine in this process', () => {
  const saved = process.env[BACKEND_ENV_VAR];
  afterEach(() => {
    if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
    else process.env[BACKEND_ENV_VAR] = saved;
  });

  it('switches between backends on request', async () => {
    expect(await initEngine({ backend: 'wasm' })).toEqual({ backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
    expect(await initEngine({ backend: 'cpu' })).toEqual({ backend: 'cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(await initEngine({ backend: 'wasm' })).toEqual({ backend: 'wasm' });
  });

  it('reads KINDLING_BACKEND, and the option overrides it', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    expect((await initEngine()).backend).toBe('cpu');
    expect((await initEngine({ backend: 'wasm' })).backend).toBe('wasm');
  });

  it('rejects an unknown KINDLING_BACKEND, naming the variable and the choices', async () => {
    process.env[BACKEND_ENV_VAR] = 'webgl';
    await expect(initEngine()).rejects.toThrow(new EngineError('KINDLING_BACKEND="webgl" is not a kindling backend; use one of: wasm, cpu'));
  });
});
