/** `--name value` options of the soak scripts and their children (a full parser would be more than they need). */

/** The value after `--name`, or `fallback` when the option is absent. */
export function stringOption(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** A non-negative integer option; anything else is an error naming the option. */
export function countOption(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a non-negative integer, got ${args[i + 1]}`);
  return value;
}
