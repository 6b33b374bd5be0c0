/**
 * Starting kindling's tensor engine: tfjs with its wasm backend (the default) or its cpu backend.
 *
 * - The wasm binaries come from the installed `@tensorflow/tfjs-backend-wasm` package (`setWasmPaths` points at its
 *   `dist/` directory); nothing is fetched.
 * - The backend is chosen by `initEngine({ backend })`, else by the `KINDLING_BACKEND` environment variable (`cpu`
 *   or `wasm`), else wasm. When wasm was only the default and cannot start, kindling falls back to cpu and says why in
 *   one line; when wasm was asked for explicitly, that is an error.
 * - tfjs's "install tfjs-node" banner is silenced: that package downloads a native binary and cannot be installed
 *   where kindling is meant to run.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { EngineError } from './errors.js';
import { registerGradients } from './gradients.js';
import { registerMissingWasmKernels } from './wasm-kernels.js';

export type BackendName = 'wasm' | 'cpu';
export const BACKEND_NAMES: readonly BackendName[] = ['wasm', 'cpu'];
export const BACKEND_ENV_VAR = 'KINDLING_BACKEND';

export interface EngineOptions {
  /** The backend to use; overrides `KINDLING_BACKEND`. A backend asked for explicitly must start. */
  readonly backend?: BackendName;
  /** Where the one-line fallback notice goes (default: `console.warn`). */
  readonly warn?: (line: string) => void;
}

export interface EngineInfo {
  /** The backend tfjs now runs on. */
  readonly backend: BackendName;
  /** Why the default wasm backend could not start, when kindling fell back to cpu. */
  readonly fallbackReason?: string;
}

/** The wasm backend's priority in tfjs's registry (the package registers itself with 2; cpu has 1). */
const WASM_PRIORITY = 2;

function backendFromEnvironment(): BackendName | undefined {
  const raw = process.env[BACKEND_ENV_VAR];
  if (raw === undefined || raw === '') return undefined;
  const name = raw.trim().toLowerCase();
  if (name === 'wasm' || name === 'cpu') return name;
  throw new EngineError(`${BACKEND_ENV_VAR}=${JSON.stringify(raw)} is not a kindling backend; use one of: ${BACKEND_NAMES.join(', ')}`);
}

/** The directory holding the `.wasm` files of the installed tfjs-backend-wasm, with a trailing separator. */
export function wasmBinaryDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return path.join(path.dirname(pkg), 'dist') + path.sep;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/**
 * The cpu backend prints a banner recommending tfjs-node on its first write in Node. Its `firstUse` flag is what
 * gates it; clearing it is the narrowest way to keep tfjs's other warnings.
 */
function silenceCpuBanner(): void {
  const backend = liveBackend('cpu') as (tf.KernelBackend & { firstUse?: boolean }) | undefined;
  if (backend && 'firstUse' in backend) backend.firstUse = false;
}

/** The backend instance if it was created already. (`tf.findBackend` would start creating it as a side effect.) */
function liveBackend(name: BackendName): tf.KernelBackend | undefined {
  return tf.engine().registry[name];
}

async function startCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new EngineError('the tfjs cpu backend failed to start');
  silenceCpuBanner();
}

/** The binaries tfjs-backend-wasm may load (it picks one by the engine's SIMD support). */
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/**
 * Why wasm cannot start here, checked before trying: tfjs's own message for these cases is about serving files from
 * a web server, which says nothing useful in Node.
 */
function wasmPrecondition(dir: string): string | undefined {
  if ((globalThis as { WebAssembly?: unknown }).WebAssembly === undefined) return 'this JavaScript runtime has no WebAssembly (for example node --jitless)';
  const missing = WASM_FILES.filter((file) => !existsSync(path.join(dir, file)));
  if (missing.length > 0) return `${missing.join(', ')} missing from ${dir} (reinstall @tensorflow/tfjs-backend-wasm)`;
  return undefined;
}

let wasmStart: Promise<void> | undefined;

/**
 * Creates the wasm backend once, from the local binaries. The instance is created here rather than inside
 * `tf.setBackend`, so that a failure surfaces as an error with its reason instead of tfjs's console warnings.
 */
function startWasm(): Promise<void> {
  wasmStart ??= (async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    registerMissingWasmKernels();
    const factory = tf.findBackendFactory('wasm');
    if (liveBackend('wasm') === undefined && factory !== null) {
      const dir = wasmBinaryDir();
      const unmet = wasmPrecondition(dir);
      if (unmet !== undefined) throw new Error(unmet);
      wasm.setWasmPaths(dir);
      const instance = await factory();
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', () => instance, WASM_PRIORITY);
    }
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  })();
  return wasmStart;
}

/**
 * Registers kindling's gradients and starts the backend. Call (and await) it before any tensor work; calling it
 * again switches backend or returns at once. Throws {@link EngineError} when an explicitly chosen backend cannot start.
 */
export async function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  registerGradients();
  const explicit = options.backend ?? backendFromEnvironment();
  if (explicit !== undefined && !BACKEND_NAMES.includes(explicit)) {
    throw new EngineError(`backend ${JSON.stringify(explicit)} is not a kindling backend; use one of: ${BACKEND_NAMES.join(', ')}`);
  }
  if (explicit === 'cpu') {
    await startCpu();
    return { backend: 'cpu' };
  }
  try {
    await startWasm();
    return { backend: 'wasm' };
  } catch (error) {
    wasmStart = undefined;
    const reason = messageOf(error);
    if (explicit === 'wasm') throw new EngineError(`the wasm backend could not start: ${reason}`);
    if (tf.findBackendFactory('wasm') !== null) tf.removeBackend('wasm');
    (options.warn ?? console.warn)(`kindling: the wasm backend could not start (${reason}); using the cpu backend`);
    await startCpu();
    return { backend: 'cpu', fallbackReason: reason };
  }
}

/** The backend tfjs is running on now (after {@link initEngine}). */
export function currentBackend(): string {
  return tf.getBackend();
}
