/**
 * tfjs-core's Node entry registers no gradients, so kindling registers them itself from a file built at install and
 * build time (`scripts/build-tfjs-gradients.mjs`, run by `npm ci` through `prepare` and by `npm run build`). The file
 * is generated from the installed tfjs-core and never committed; see docs/design/tensor-engine.md.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors.js';

/** Where the generated registrations live, relative to this module (the same layout in src/ and in dist/). */
const GRADIENTS_FILE = './build/tfjs-gradients.cjs';

/** A kernel whose gradient the bundle registers; checked after loading, so a broken bundle fails here. */
const PROBE_KERNEL = 'Mean';

let registered = false;

/**
 * Registers tfjs-core's gradient definitions with the tfjs engine (once per process). Throws {@link EngineError} when
 * the generated file is missing or registered nothing, naming the file and the command that builds it.
 */
export function registerGradients(): void {
  if (registered) return;
  const require = createRequire(import.meta.url);
  let file: string;
  try {
    file = require.resolve(GRADIENTS_FILE);
  } catch {
    throw new EngineError(
      `kindling's tfjs gradient registrations are missing (${new URL(GRADIENTS_FILE, import.meta.url).pathname}). ` +
        'They are built from the installed @tensorflow/tfjs-core by `npm run build:gradients` (run automatically by ' +
        '`npm ci` and `npm run build`); run it, or reinstall kindling.',
    );
  }
  require(file);
  if (tf.getGradient(PROBE_KERNEL) === undefined) {
    throw new EngineError(
      `${file} loaded but registered no gradients with this @tensorflow/tfjs-core (${tf.version_core}); ` +
        'rebuild it with `npm run build:gradients`.',
    );
  }
  registered = true;
}
