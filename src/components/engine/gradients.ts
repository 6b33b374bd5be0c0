/**
 * tfjs-core's Node entry registers no gradients, so kindling registers them itself from a file generated from the
 * installed tfjs-core by `scripts/build-tfjs-gradients.mjs` (see docs/design/tensor-engine.md). The file is never
 * committed. The published package ships it (`npm run build` writes it into dist). In a source checkout of kindling,
 * where it is missing after a fresh clone, the first `registerGradients()` runs the script, which needs only the
 * installed dev dependencies; an installed package never builds anything.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors.js';

/** Where the generated registrations live, relative to this module (the same layout in src/ and in dist/). */
const GRADIENTS_FILE = new URL('./build/tfjs-gradients.cjs', import.meta.url);

/** The build script, which exists beside this module only in a source checkout (src/components/engine → scripts/). */
const BUILD_SCRIPT = new URL('../../../scripts/build-tfjs-gradients.mjs', import.meta.url);

/** A kernel whose gradient the bundle registers; checked after loading, so a broken bundle fails here. */
const PROBE_KERNEL = 'Mean';

let registered = false;

function buildInCheckout(file: string): void {
  const script = fileURLToPath(BUILD_SCRIPT);
  if (!existsSync(script)) {
    throw new EngineError(
      `kindling's tfjs gradient registrations are missing (${file}); this installation of kindling is incomplete, reinstall it`,
    );
  }
  try {
    execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new EngineError(`building kindling's tfjs gradient registrations (${file}) failed: ${stderr || String(error)}; run \`npm run build:gradients\``);
  }
}

/**
 * Registers tfjs-core's gradient definitions with the tfjs engine (once per process). Throws {@link EngineError} when
 * the generated file is missing and cannot be built, or registered nothing.
 */
export function registerGradients(): void {
  if (registered) return;
  const file = fileURLToPath(GRADIENTS_FILE);
  if (!existsSync(file)) buildInCheckout(file);
  createRequire(import.meta.url)(file);
  if (tf.getGradient(PROBE_KERNEL) === undefined) {
    throw new EngineError(`${file} loaded but registered no gradients with this @tensorflow/tfjs-core (${tf.version_core}); rebuild it with \`npm run build:gradients\``);
  }
  registered = true;
}

/**
 * Throws {@link EngineError} saying to call `initEngine()` when no gradients are registered. Without it, forgetting
 * `await initEngine()` surfaces as tfjs's "gradient function not found for Add", deep in a training step, which says
 * nothing about the fix. A registry lookup, cheap enough for every step.
 */
export function requireGradients(): void {
  if (tf.getGradient(PROBE_KERNEL) !== undefined) return;
  throw new EngineError(
    "tfjs has no gradients registered, so nothing can be trained: call `await initEngine()` (from 'kindling') once at the start of the program, before building models; it registers kindling's gradients and starts the backend",
  );
}
