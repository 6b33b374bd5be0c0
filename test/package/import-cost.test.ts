/**
 * What `import 'kindling'` loads, measured in a fresh Node process: not class-transformer (loaded only when a
 * `@persist({ type })` value is first saved or loaded) and not ts-morph (codegen's). The entry and the runtime
 * entry are imported as source through tsx, as the CommonJS module cache shows what got loaded.
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../codegen/support/fixture-cases.js';

const CHILD = `
import { createRequire } from 'node:module';
const require = createRequire(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'package.json')).href)});
const loaded = () => ({
  classTransformer: Object.keys(require.cache).some((k) => k.includes('/node_modules/class-transformer/')),
  tsMorph: Object.keys(require.cache).some((k) => k.includes('/node_modules/ts-morph/')),
});
const kindling = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'src/index.ts')).href)});
await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, 'src/runtime/index.ts')).href)});
const afterImport = loaded();
class Point { x = 1; }
class Holder { point = new Point(); }
kindling.persist({ type: () => Point })(Holder.prototype, 'point');
kindling.stateful()(Holder);
const state = new Holder().stateDict();
console.log(JSON.stringify({ afterImport, afterUse: loaded(), state }));
`;

describe("import 'kindling'", () => {
  it('loads neither class-transformer nor ts-morph until a @persist({ type }) value is used', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      afterImport: { classTransformer: false, tsMorph: false },
      afterUse: { classTransformer: true, tsMorph: false },
      state: { point: { x: 1 } },
    });
  });
});
