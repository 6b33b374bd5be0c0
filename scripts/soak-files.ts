/** The crash soak's checkpoint names, shared by the soak (scripts/soak.ts) and its child (scripts/soak-child.ts). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const CHECKPOINT_PATTERN = /^step-(\d{6})\.ckpt$/;
export const checkpointName = (step: number) => `step-${String(step).padStart(6, '0')}.ckpt`;

/** The newest complete checkpoint in `dir` (by step; temporary files never match), or undefined. */
export function newestCheckpoint(dir: string): { file: string; step: number } | undefined {
  let best: { file: string; step: number } | undefined;
  for (const name of readdirSync(dir)) {
    const m = CHECKPOINT_PATTERN.exec(name);
    if (m !== null && (best === undefined || Number(m[1]) > best.step)) best = { file: join(dir, name), step: Number(m[1]) };
  }
  return best;
}
