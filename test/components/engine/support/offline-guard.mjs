// Preloaded (node --import) into a child process that starts kindling's engine: any attempt to reach the network
// throws, and every .wasm file read from disk is recorded, so the test can check where the binaries came from.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

globalThis.__networkAttempts = [];
globalThis.__wasmReads = [];
const refuse = (what) => (...args) => {
  globalThis.__networkAttempts.push(`${what} ${String(args[0]).slice(0, 120)}`);
  throw new Error(`offline-guard: ${what} is not allowed`);
};
globalThis.fetch = refuse('fetch');
for (const mod of [http, https]) {
  mod.request = refuse(`${mod === http ? 'http' : 'https'}.request`);
  mod.get = refuse(`${mod === http ? 'http' : 'https'}.get`);
}
net.connect = refuse('net.connect');
net.createConnection = refuse('net.createConnection');
for (const name of ['readFile', 'readFileSync']) {
  const original = fs[name];
  fs[name] = function (file, ...rest) {
    if (String(file).endsWith('.wasm')) globalThis.__wasmReads.push(String(file));
    return original.call(this, file, ...rest);
  };
}
