/**
 * The vendored XXH64 module (src/checkpoint/xxh64-wasm.ts) is exactly hash-wasm's, as pinned in package.json: a stale
 * or hand-edited copy fails here. Regenerate with `node scripts/vendor-xxh64-wasm.mjs`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XXH64_WASM_BASE64, XXH64_WASM_SHA1_PREFIX, XXH64_WASM_SOURCE } from '../../src/checkpoint/xxh64-wasm.js';
// @ts-expect-error: a plain .mjs script without declarations
import { hashWasmXxh64, moduleText } from '../../scripts/vendor-xxh64-wasm.mjs';

interface Vendored {
  version: string;
  base64: string;
  sha1Prefix: string;
}

describe('the vendored XXH64 WebAssembly module', () => {
  it('is the module of the pinned hash-wasm, byte for byte, and the file is what the script writes', () => {
    const fromPackage = (hashWasmXxh64 as () => Vendored)();
    const pinned = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> })
      .devDependencies['hash-wasm'];
    expect(fromPackage.version).toBe(pinned);
    expect(XXH64_WASM_SOURCE).toBe(`hash-wasm ${pinned}`);
    expect(XXH64_WASM_BASE64).toBe(fromPackage.base64);
    expect(readFileSync(new URL('../../src/checkpoint/xxh64-wasm.ts', import.meta.url), 'utf8')).toBe((moduleText as (v: Vendored) => string)(fromPackage));
  });

  it('matches the SHA-1 label hash-wasm gives it', () => {
    const sha1 = createHash('sha1').update(Buffer.from(XXH64_WASM_BASE64, 'base64')).digest('hex');
    expect(sha1.slice(0, 8)).toBe(XXH64_WASM_SHA1_PREFIX);
  });
});

