// Child process for backend.test.ts: starts kindling's engine as asked on the command line and prints one JSON line
// with what happened (the backend, the fallback notice, network attempts and .wasm reads seen by offline-guard.mjs).
import * as tf from '@tensorflow/tfjs-core';
import { type BackendName, initEngine } from '../../../../src/components/engine/index.js';

const requested = process.argv[2] as BackendName | 'default';
const notices: string[] = [];
const guard = globalThis as { __networkAttempts?: string[]; __wasmReads?: string[] };
try {
  const info = await initEngine({ ...(requested === 'default' ? {} : { backend: requested }), warn: (line) => notices.push(line) });
  const sum = tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0];
  console.log(JSON.stringify({ info, active: tf.getBackend(), sum, notices, network: guard.__networkAttempts ?? null, wasmReads: guard.__wasmReads ?? null }));
} catch (error) {
  console.log(JSON.stringify({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), notices }));
}
