import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Generated code imports its runtime from 'kindling'; inside this repo that is the source tree.
    alias: [
      { find: /^kindling$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      { find: /^kindling\/checkpoint$/, replacement: fileURLToPath(new URL('./src/checkpoint/index.ts', import.meta.url)) },
      { find: /^kindling\/runtime$/, replacement: fileURLToPath(new URL('./src/runtime/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: 'tsconfig.json' },
    testTimeout: 60_000,
  },
});
