/**
 * class-transformer, loaded the first time a `@persist({ type: () => C })` value is saved or loaded (by the reflective
 * engine or by generated code), so that `import 'kindling'` does not load it for the many programs that never use
 * it. Loading is synchronous because saves and loads are: through Node's `createRequire` (class-transformer ships
 * CommonJS, so this is the same module instance an `import` of it gets). The state layer uses no Node API otherwise;
 * where `process.getBuiltinModule` does not exist (a browser bundle), such fields cannot be used.
 */
import type * as ClassTransformerModule from 'class-transformer';

export type ClassTransformer = Pick<typeof ClassTransformerModule, 'instanceToPlain' | 'plainToInstance'>;

let loaded: ClassTransformer | undefined;

interface NodeModuleApi {
  createRequire(from: string): (id: string) => unknown;
}

export function classTransformer(): ClassTransformer {
  if (loaded !== undefined) return loaded;
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const modules = process?.getBuiltinModule?.('node:module') as NodeModuleApi | undefined;
  if (modules === undefined) {
    throw new Error('@persist({ type }) needs class-transformer, which kindling loads through Node (process.getBuiltinModule); it is not available here');
  }
  loaded = modules.createRequire(import.meta.url)('class-transformer') as ClassTransformer;
  return loaded;
}
