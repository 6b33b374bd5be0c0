import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { isTensor, tensorEquals } from '../../src/state/tensor.js';
import type { StateValue } from '../../src/checkpoint/index.js';

/** A fresh temporary directory per test, removed afterwards. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'kindling-ckpt-'));
    dirs.push(dir);
    return dir;
  };
}

/**
 * Where two state values differ, or null when they are the same: numbers by Object.is (NaN equals NaN, -0 differs
 * from 0), tensors bit for bit, objects by own keys in any order.
 */
export function treeDifference(a: unknown, b: unknown, path = 'state'): string | null {
  if (isTensor(a) || isTensor(b)) {
    return isTensor(a) && isTensor(b) && tensorEquals(a, b) ? null : `${path}: tensors differ`;
  }
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return `${path}: arrays differ in kind or length`;
    for (let i = 0; i < a.length; i++) {
      const d = treeDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (JSON.stringify(ka) !== JSON.stringify(kb)) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const d = treeDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

export type { StateValue };
