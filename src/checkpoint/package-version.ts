import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * kindling's version from its package.json, as the CLI prints it and every trainer checkpoint records it. Searched
 * upwards because this file runs both from `src/` (tsx) and from `dist/src/` (the installed package); read once per
 * process, since the trainer stamps it on every checkpoint it dumps.
 */
export function packageVersion(): string {
  cached ??= findPackageVersion();
  return cached;
}

function findPackageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'kindling' && typeof pkg.version === 'string') return pkg.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}
