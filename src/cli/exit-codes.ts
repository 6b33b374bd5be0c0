/**
 * Exit codes, following `diff(1)` and `cmp(1)`: 0 for "yes" (identical, valid, done), 1 for "no" (different,
 * invalid), 2 for trouble (unreadable file, bad arguments).
 */
export const ExitCode = {
  ok: 0,
  negative: 1,
  trouble: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
