import { createTwoFilesPatch } from 'diff';

/** A unified diff from the committed golden to what the generator produced now (empty when equal). */
export function goldenDiff(path: string, committed: string | undefined, generated: string | undefined): string {
  if (committed === generated) return '';
  return createTwoFilesPatch(
    `${path} (committed)`,
    `${path} (generated)`,
    committed ?? '',
    generated ?? '',
    committed === undefined ? 'missing: not committed' : undefined,
    generated === undefined ? 'missing: not generated any more' : undefined,
    { context: 3 },
  );
}
