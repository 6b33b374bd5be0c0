#!/usr/bin/env node
// Copies hash-wasm's compiled XXH64 (a 2.4 KB WebAssembly module with no imports, built by hash-wasm from xxHash's C
// sources) into src/checkpoint/xxh64-wasm.ts, so that kindling can instantiate it synchronously: hash-wasm's own API
// only compiles asynchronously, which would force a top-level await (breaking `require('kindling')`) or make the
// in-memory serializeCheckpoint/deserializeCheckpoint unable to checksum. Run after changing hash-wasm's pinned
// version: `node scripts/vendor-xxh64-wasm.mjs`; test/checkpoint/xxh64-wasm.test.ts fails while the copy is stale.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The XXH64 module of the installed hash-wasm: `{ version, base64, sha1Prefix }`. */
export function hashWasmXxh64() {
  const entry = require.resolve('hash-wasm');
  const version = JSON.parse(readFileSync(new URL('../package.json', `file://${entry}`), 'utf8')).version;
  const source = readFileSync(entry.replace(/[^/\\]+$/, 'index.esm.js'), 'utf8');
  const match = /var name(\$\d+) = "xxhash64";\s*var data\1 = "([A-Za-z0-9+/=]+)";\s*var hash\1 = "([0-9a-f]{8})";/.exec(source);
  if (match === null) throw new Error(`hash-wasm ${version}: its dist/index.esm.js no longer embeds xxhash64 as this script expects`);
  const [, , base64, sha1Prefix] = match;
  // hash-wasm labels each module with the first 4 bytes of its SHA-1: checks that the right bytes were taken.
  const actual = createHash('sha1').update(Buffer.from(base64, 'base64')).digest('hex').slice(0, 8);
  if (actual !== sha1Prefix) throw new Error(`hash-wasm ${version}: xxhash64's SHA-1 is ${actual}, not its label ${sha1Prefix}`);
  return { version, base64, sha1Prefix };
}

export function moduleText({ version, base64, sha1Prefix }) {
  const lines = base64.match(/.{1,112}/g).map((line) => `  '${line}' +`);
  lines[lines.length - 1] = lines[lines.length - 1].replace(/ \+$/, ';');
  return [
    '// Written by scripts/vendor-xxh64-wasm.mjs from hash-wasm ' + version + ' (its xxhash64 module, SHA-1 ' + sha1Prefix + '…): do not edit.',
    '// hash-wasm is MIT-licensed (Copyright (c) 2020 Dani Biró); the module is built from xxHash (BSD-2-Clause, Yann Collet).',
    `export const XXH64_WASM_SOURCE = 'hash-wasm ${version}';`,
    `export const XXH64_WASM_SHA1_PREFIX = '${sha1Prefix}';`,
    'export const XXH64_WASM_BASE64 =',
    ...lines,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../src/checkpoint/xxh64-wasm.ts', import.meta.url));
  const vendored = hashWasmXxh64();
  writeFileSync(target, moduleText(vendored));
  console.log(`wrote ${target} from hash-wasm ${vendored.version} (${Buffer.from(vendored.base64, 'base64').length} bytes)`);
}
