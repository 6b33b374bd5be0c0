/**
 * Bounded fuzzing of the crafted-header families of issue 8 (about 30 s in all): every case is accepted or refused
 * with a CheckpointError, never another exception, and no case breaks its family's rule. `npm run fuzz` runs the same
 * families for about ten minutes in child processes and also counts hangs and peak memory (RELIABILITY.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, FAMILIES, type Family } from './hostile-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'kindling-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUNS: Record<Family, number> = {
  'duplicate-keys': 300,
  'v0-v1-mix': 400,
  'node-count': 300,
  'deep-nesting': 150,
  'names-not-paths': 300,
  'random-corruption': 300,
};

describe.each(FAMILIES)('fuzz: %s', (family) => {
  it('accepts or refuses every case as the format says, never with another exception', async () => {
    const outcomes = { accepted: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(CASES[family], async (hostile) => {
        const result = await hostile.run(dir);
        outcomes[result.outcome]++;
        expect(result.violation).toBeUndefined();
      }),
      { numRuns: RUNS[family] },
    );
    // The family exercises what it is about: names-not-paths files are all sound; the others must produce refusals.
    if (family === 'names-not-paths') expect(outcomes.accepted).toBeGreaterThan(0);
    else expect(outcomes.rejected).toBeGreaterThan(0);
  }, 60_000);
});
