/** codegen's optional peer dependencies: the table matches package.json, and a missing one is named with the fix. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CODEGEN_PEERS, missingPeer, missingPeerMessage } from '../../../codegen/peers.js';
import { REPO_ROOT } from '../support/fixture-cases.js';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, unknown>>;

/** The error Node itself raises for an import of a package that is not installed. */
function nodeError(name: string): { code: string; message: string } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', `import(${JSON.stringify(name)}).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`], {
    cwd: path.parse(REPO_ROOT).root,
    encoding: 'utf8',
  });
  return JSON.parse(run.stdout);
}

describe('codegen peer dependencies', () => {
  it('are optional peers of kindling, pinned as in devDependencies, and not dependencies', () => {
    expect(pkg.peerDependencies).toEqual(CODEGEN_PEERS);
    for (const name of Object.keys(CODEGEN_PEERS)) {
      expect(pkg.peerDependenciesMeta?.[name]).toEqual({ optional: true });
      expect(pkg.devDependencies?.[name]).toBe(CODEGEN_PEERS[name as keyof typeof CODEGEN_PEERS]);
      expect(pkg.dependencies?.[name]).toBeUndefined();
    }
  });

  it('recognises Node\'s error for a missing peer, and only for a peer', () => {
    expect(missingPeer(nodeError('ts-morph'))).toBe('ts-morph');
    expect(missingPeer(nodeError('diff'))).toBe('diff');
    expect(missingPeer(nodeError('ts-morph-extras'))).toBeUndefined();
    expect(missingPeer(new Error("Cannot find package 'ts-morph'"))).toBeUndefined();
  });

  it('says in one line what to install', () => {
    expect(missingPeerMessage('diff')).toBe(
      'kindling codegen: diff is not installed; codegen\'s dependencies are optional peer dependencies of kindling ' +
        '(so production installs stay small): npm install --save-dev ts-morph@28.0.0 diff@9.0.0 chokidar@5.0.0',
    );
  });
});
