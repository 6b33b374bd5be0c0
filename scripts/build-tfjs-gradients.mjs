#!/usr/bin/env node
/**
 * Builds kindling's tfjs gradient registrations from the installed @tensorflow/tfjs-core.
 *
 * tfjs-core's Node entry (a CommonJS bundle) holds the ops but registers no gradients; the gradient definitions exist
 * only as ES modules with extensionless imports, which Node cannot load. This script bundles them with esbuild into
 * one CommonJS file. Every import a gradient makes of a core module whose names the package entry exports is pointed
 * at the package entry itself, so the gradients call the very op functions the user's code calls (no second copy of
 * tfjs internals). Only modules the entry does not export (a few backprop ops of pooling and convolution) are bundled
 * from source; the list is printed, and docs/design/tensor-engine.md explains the choice.
 *
 * Usage: node scripts/build-tfjs-gradients.mjs [out-dir ...]
 *   (default: src/components/engine/build; `npm run build` writes dist/src/components/engine/build)
 * The output is generated, never committed (.gitignore). `npm run build` (and so `npm pack`) writes the copy that
 * ships; in a source checkout, kindling's engine runs this script itself the first time the file is missing.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const OUTPUT_NAME = 'tfjs-gradients.cjs';
const ENTRY_NAMESPACE = 'tfjs-core-entry';
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(repo, 'package.json'));
const coreRoot = path.dirname(require.resolve('@tensorflow/tfjs-core/package.json'));
const coreDist = path.join(coreRoot, 'dist');
const coreVersion = JSON.parse(readFileSync(path.join(coreRoot, 'package.json'), 'utf8')).version;
const tf = require('@tensorflow/tfjs-core');

/** Internal core modules whose exports the package entry republishes under a namespace (`tf.util.assert`). */
const NAMESPACE_OF = {
  util: 'util',
  util_base: 'util',
  'ops/axis_util': 'backend_util',
  'ops/broadcast_util': 'broadcast_util',
  'ops/conv_util': 'backend_util',
  'ops/selu_util': 'backend_util',
  'ops/slice_util': 'slice_util',
};

/** `ENGINE` is not exported by name; `tf.engine()` returns the same (global) engine object. */
const SPECIAL = { engine: { ENGINE: 'tf.engine()' } };

const sourceCache = new Map();
function sourceOf(file) {
  let text = sourceCache.get(file);
  if (text === undefined) sourceCache.set(file, (text = readFileSync(file, 'utf8')));
  return text;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names `importer` takes from `specifier`, or null when an import form is not a plain named or namespace import
 * (then the module is bundled from source, which is always correct).
 */
function importedNames(importer, specifier) {
  const text = sourceOf(importer);
  const spec = escapeRegExp(specifier);
  const names = new Set();
  let found = false;
  for (const m of text.matchAll(new RegExp(`import\\s*\\{([^}]*)\\}\\s*from\\s*'${spec}'`, 'g'))) {
    found = true;
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(new RegExp(`import\\s*\\*\\s*as\\s+(\\w+)\\s+from\\s*'${spec}'`, 'g'))) {
    found = true;
    for (const use of text.matchAll(new RegExp(`\\b${m[1]}\\.(\\w+)`, 'g'))) names.add(use[1]);
  }
  if (!found || new RegExp(`(export[^;]*from|import\\s+\\w+\\s*(,|from))\\s*'${spec}'`).test(text)) return null;
  return names;
}

/** How each name resolves on the package entry (`tf.x`, `tf.util.x`, …), or null if one of them is missing. */
function entryAccessors(moduleId, names) {
  const special = SPECIAL[moduleId];
  if (special) return names.every((n) => n in special) ? names.map((n) => [n, special[n]]) : null;
  const namespace = NAMESPACE_OF[moduleId];
  const holder = namespace ? tf[namespace] : tf;
  if (!holder || !names.every((n) => n in holder && holder[n] !== undefined)) return null;
  return names.map((n) => [n, namespace ? `tf.${namespace}.${n}` : `tf.${n}`]);
}

const fromSource = new Set();

/** @type {esbuild.Plugin} */
const useTheInstalledEntry = {
  name: 'tfjs-core-entry',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.namespace !== 'file' || !args.importer.startsWith(coreDist + path.sep)) return undefined;
      const file = path.resolve(path.dirname(args.importer), args.path.endsWith('.js') ? args.path : `${args.path}.js`);
      const moduleId = path.relative(coreDist, file).replace(/\\/g, '/').replace(/\.js$/, '');
      if (moduleId.startsWith('gradients/') || moduleId === 'register_all_gradients') return { path: file };
      const names = importedNames(args.importer, args.path);
      const accessors = names && entryAccessors(moduleId, [...names].sort());
      if (!accessors) {
        fromSource.add(moduleId);
        return { path: file };
      }
      return { path: `${moduleId}?${accessors.map(([n]) => n).join(',')}`, namespace: ENTRY_NAMESPACE, pluginData: accessors };
    });
    // One module requires the package entry; every mapped module reads from it.
    build.onResolve({ filter: /^tfjs-core-entry$/ }, () => ({ path: 'entry', namespace: ENTRY_NAMESPACE }));
    build.onLoad({ filter: /.*/, namespace: ENTRY_NAMESPACE }, (args) => ({
      contents:
        args.path === 'entry'
          ? "import * as tf from '@tensorflow/tfjs-core';\nexport { tf };"
          : ["import { tf } from 'tfjs-core-entry';", ...args.pluginData.map(([name, expr]) => `export const ${name} = ${expr};`)].join('\n'),
      loader: 'js',
      resolveDir: coreDist,
    }));
  },
};

/**
 * Loads the bundle into this process's tfjs-core and checks that it registered one gradient per config that
 * register_all_gradients.js imports, so a bundle that silently lost gradients never ships.
 */
function verify(code) {
  const configs = new Set(sourceOf(path.join(coreDist, 'register_all_gradients.js')).match(/\b\w+GradConfig\b/g));
  const registry = () => globalThis._tfGlobals?.get('gradRegistry');
  const before = registry()?.size ?? 0;
  const module = { exports: {} };
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  const registered = (registry()?.size ?? 0) - before;
  if (registered !== configs.size) {
    throw new Error(`the bundle registered ${registered} gradients; tfjs-core ${coreVersion} defines ${configs.size}`);
  }
}

async function main() {
  const outDirs = process.argv.slice(2);
  if (outDirs.length === 0) outDirs.push(path.join(repo, 'src/components/engine/build'));
  const result = await esbuild.build({
    entryPoints: [path.join(coreDist, 'register_all_gradients.js')],
    absWorkingDir: repo,
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['@tensorflow/tfjs-core'],
    plugins: [useTheInstalledEntry],
    legalComments: 'eof',
    logLevel: 'warning',
    banner: {
      js: [
        `// @generated by scripts/build-tfjs-gradients.mjs from @tensorflow/tfjs-core@${coreVersion} — do not edit, not committed.`,
        '// Registers tfjs-core\'s gradient definitions with the engine of the installed @tensorflow/tfjs-core.',
      ].join('\n'),
    },
  });
  const [output] = result.outputFiles;
  verify(output.text);
  for (const dir of outDirs) {
    const target = path.resolve(repo, dir);
    mkdirSync(target, { recursive: true });
    // Written aside and renamed, so that processes building at the same time (parallel test workers) never see half a file.
    const temp = path.join(target, `.${OUTPUT_NAME}.${process.pid}.tmp`);
    writeFileSync(temp, output.contents);
    renameSync(temp, path.join(target, OUTPUT_NAME));
    console.log(`build-tfjs-gradients: wrote ${path.relative(repo, path.join(target, OUTPUT_NAME))} (${Math.round(output.contents.length / 1024)} KiB)`);
  }
  if (fromSource.size > 0) {
    console.log(`build-tfjs-gradients: bundled from source (not exported by the package entry): ${[...fromSource].sort().join(', ')}`);
  }
}

main().catch((error) => {
  console.error(`build-tfjs-gradients: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
