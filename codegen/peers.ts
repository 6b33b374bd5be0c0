/**
 * codegen's dependencies are optional peer dependencies of kindling: a program that only trains and checkpoints
 * never installs them (ts-morph alone is ~14.5 MB), and `kindling codegen` says what to install when one is missing.
 * The versions are kindling's `peerDependencies` (test/codegen/unit/peers.test.ts keeps them in step).
 */
export const CODEGEN_PEERS = {
  'ts-morph': '28.0.0',
  diff: '9.0.0',
  chokidar: '5.0.0',
} as const;

export type CodegenPeer = keyof typeof CODEGEN_PEERS;

/** The peer whose absence made a dynamic import fail (Node's ERR_MODULE_NOT_FOUND names the package), if any. */
export function missingPeer(error: unknown): CodegenPeer | undefined {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object' || e.code !== 'ERR_MODULE_NOT_FOUND' || typeof e.message !== 'string') return undefined;
  const message = e.message;
  return (Object.keys(CODEGEN_PEERS) as CodegenPeer[]).find((name) => message.includes(`'${name}'`));
}

/** One line saying what to install: all of codegen's peers at once, so that --check and --watch work too. */
export function missingPeerMessage(peer: CodegenPeer): string {
  const all = Object.entries(CODEGEN_PEERS).map(([name, version]) => `${name}@${version}`).join(' ');
  return (
    `kindling codegen: ${peer} is not installed; codegen's dependencies are optional peer dependencies of kindling ` +
    `(so production installs stay small): npm install --save-dev ${all}`
  );
}
