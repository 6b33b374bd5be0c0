import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));

/**
 * The tsconfig of a small consumer project in a temporary directory (its `*.ts` files): kindling's decorator
 * settings, `kindling` mapped to `kindlingEntry` (this repository's `src/index.ts` by default, as a user's project maps
 * it to the installed package) and `kindling/runtime` to this repository's runtime.
 */
export function consumerTsconfig(kindlingEntry = path.join(REPO, 'src/index.ts')): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      useDefineForClassFields: false,
      types: [],
      noEmit: true,
      paths: { kindling: [kindlingEntry], 'kindling/runtime': [path.join(REPO, 'src/runtime/index.ts')] },
    },
    include: ['*.ts'],
  });
}
