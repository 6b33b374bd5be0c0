import { Generator, type Seed } from './generator.js';

let shared: Generator | undefined;

/**
 * kindling's default generator: what samplers, random splits and layer initialisation draw from when no generator is
 * given. It starts from {@link DEFAULT_SEED}, so a program that never seeds is still deterministic.
 */
export function defaultGenerator(): Generator {
  return (shared ??= new Generator());
}

/**
 * Seeds kindling's default generator (in place: components holding it see the new seed) and returns it. kindling has
 * no other global randomness to seed: it never calls `Math.random`, and it never relies on tfjs's global seed (random
 * tfjs ops get explicit seeds from a generator's `nextSeed()`). Components made after this call draw from the
 * default generator in the order they are made, so the same program with the same seed builds the same run.
 */
export function seedEverything(seed: Seed): Generator {
  return defaultGenerator().manualSeed(seed);
}
