/**
 * The temporary files this thread's saves are writing right now. A temporary file carrying this process's pid and
 * this thread's id but not listed here was left by an earlier process that had the same pid: in a container the
 * training process is often pid 1 in every incarnation, so "is the pid alive?" alone would keep its crash leftovers
 * forever. The set lives on `globalThis` so that two copies of kindling loaded in one thread share it. It holds file
 * names, not paths: a name carries 32 random bits, and a name is then recognised however its directory is spelled.
 */
const REGISTRY_KEY = Symbol.for('kindling.checkpoint.temporaryFilesInFlight');

function registry(): Set<string> {
  const holder = globalThis as { [REGISTRY_KEY]?: Set<string> };
  holder[REGISTRY_KEY] ??= new Set<string>();
  return holder[REGISTRY_KEY];
}

/** Marks a temporary file (by its file name) as being written by this thread; call before creating it. */
export function registerTemporary(name: string): void {
  registry().add(name);
}

/** Call once the temporary file has been renamed or removed. */
export function unregisterTemporary(name: string): void {
  registry().delete(name);
}

export function isTemporaryInFlight(name: string): boolean {
  return registry().has(name);
}
