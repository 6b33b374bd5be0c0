/**
 * XXH64 (seed 0) through hash-wasm's compiled module (xxh64-wasm.ts), instantiated synchronously when this module
 * loads: the module is 2.4 KB and imports nothing, so every checksum is synchronous and no top-level await is needed.
 * The module hashes one stream at a time; {@link Xxh64} objects take turns by saving and restoring its context (80
 * bytes), so interleaved saves and loads keep separate digests.
 */
import { XXH64_WASM_BASE64 } from './xxh64-wasm.js';

interface Xxh64Exports {
  readonly memory: { readonly buffer: ArrayBuffer };
  /** The address of a uint32 holding the context's size. */
  readonly STATE_SIZE: { readonly value: number };
  Hash_GetBuffer(): number;
  Hash_Init(): void;
  Hash_Update(length: number): void;
  Hash_Final(): void;
  Hash_GetState(): number;
}

/** The module's input buffer: each update copies at most this many bytes into it (hash-wasm's MAIN_BUFFER_SIZE). */
const BUFFER_BYTES = 16 * 1024;

/** The part of the WebAssembly API used here (the project's `lib` has no DOM, and Node's types declare little of it). */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

const wasm = new Instance(new Module(Uint8Array.from(atob(XXH64_WASM_BASE64), (c) => c.charCodeAt(0))), {}).exports as Xxh64Exports;
// The module never grows its memory, so these views stay valid.
const buffer = new Uint8Array(wasm.memory.buffer, wasm.Hash_GetBuffer(), BUFFER_BYTES);
const contextBytes = new DataView(wasm.memory.buffer).getUint32(wasm.STATE_SIZE.value, true);
const context = new Uint8Array(wasm.memory.buffer, wasm.Hash_GetState(), contextBytes);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

let owner: Xxh64 | null = null;

/** A running XXH64 digest (seed 0). */
export class Xxh64 {
  private saved: Uint8Array | null = null;

  update(bytes: Uint8Array): void {
    this.take();
    for (let offset = 0; offset < bytes.length; offset += BUFFER_BYTES) {
      const chunk = bytes.subarray(offset, offset + BUFFER_BYTES);
      buffer.set(chunk);
      wasm.Hash_Update(chunk.length);
    }
  }

  /** The digest in its canonical form (big-endian), as 16 lower-case hex digits. Ends the digest. */
  hex(): string {
    this.take();
    wasm.Hash_Final();
    owner = null;
    this.saved = null;
    let out = '';
    for (let i = 0; i < 8; i++) out += HEX[buffer[i]!];
    return out;
  }

  private take(): void {
    if (owner === this) return;
    if (owner !== null) owner.saved = context.slice();
    owner = this;
    if (this.saved !== null) {
      context.set(this.saved);
      return;
    }
    buffer.fill(0, 0, 8); // the seed, read by Hash_Init
    wasm.Hash_Init();
  }
}
