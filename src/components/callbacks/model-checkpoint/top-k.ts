/**
 * ModelCheckpoint's bookkeeping of its files as a value, and what one save does to it. The callback applies a save
 * to its live fields when it decides the save (both modes); in async mode it applies it again, when the write starts,
 * to the bookkeeping of the files that are committed, and that result is what the file records (see
 * model-checkpoint.ts, "Async"). One function for both, so that without a failure the two give the same state.
 */
import type { StateTree, StateValue } from '../../../checkpoint/types.js';
import { isTensor } from '../../../state/tensor.js';
import { isBetter, type MonitorMode } from '../monitor.js';

export interface Bookkeeping {
  readonly bestKModels: Readonly<Record<string, number>>;
  readonly kthBestModelPath: string;
  readonly kthValue: number;
  readonly bestModelPath: string;
  readonly bestModelScore: number | null;
  readonly currentScore: number | null;
  readonly lastModelPath: string;
}

/** One file a save writes: a ranked top-k file, the latest file (no monitor), or `last`. */
export type SavedFile =
  | { readonly kind: 'topK'; readonly file: string; readonly score: number }
  | { readonly kind: 'latest'; readonly file: string }
  | { readonly kind: 'last'; readonly file: string };

/** How many top-k files may be kept once one more enters (`saveTopK` -1: all of them). */
export function capacity(saveTopK: number, current: Bookkeeping): number {
  return saveTopK === -1 ? Object.keys(current.bestKModels).length + 1 : saveTopK;
}

/**
 * The entries that leave for one to enter, in order: the k-th (Lightning's `kth_best_model_path`), then while more
 * than k - 1 remain the worst of them (entries a resumed or re-ranked state holds beyond k).
 */
export function leaversOf(current: Bookkeeping, k: number, mode: MonitorMode): string[] {
  const models = { ...current.bestKModels };
  const out: string[] = [];
  if (k <= 0 || Object.keys(models).length < k) return out;
  const first = current.kthBestModelPath in models ? current.kthBestModelPath : worstOf(mode, models);
  out.push(first);
  delete models[first];
  while (Object.keys(models).length >= k) {
    const extra = worstOf(mode, models);
    out.push(extra);
    delete models[extra];
  }
  return out;
}

/** `current` after `saved` is written (for a top-k file: it enters, the leavers leave, best and k-th follow). */
export function withSaved(current: Bookkeeping, saved: SavedFile, saveTopK: number, mode: MonitorMode): Bookkeeping {
  if (saved.kind === 'latest') return { ...current, bestModelPath: saved.file };
  if (saved.kind === 'last') return { ...current, lastModelPath: saved.file };
  const k = capacity(saveTopK, current);
  const models = { ...current.bestKModels };
  for (const leaver of leaversOf(current, k, mode)) delete models[leaver];
  models[saved.file] = saved.score;
  const entries = Object.entries(models);
  // As Lightning: the k-th is only updated once the top k is full.
  const [kthBestModelPath, kthValue] = entries.length === k ? pick(entries, (a, b) => isBetter(mode, b, a)) : [current.kthBestModelPath, current.kthValue];
  const [bestModelPath, bestModelScore] = pick(entries, (a, b) => isBetter(mode, a, b));
  return { ...current, bestKModels: models, kthBestModelPath, kthValue, bestModelPath, bestModelScore, currentScore: saved.score };
}

/** The files `saved` replaces: top-k entries that left, the previous latest (`saveTopK` 1), the previous `last`. */
export function replacedBy(before: Bookkeeping, after: Bookkeeping, saved: SavedFile, saveTopK: number): string[] {
  if (saved.kind === 'topK') return Object.keys(before.bestKModels).filter((file) => !(file in after.bestKModels));
  const previous = saved.kind === 'latest' ? before.bestModelPath : before.lastModelPath;
  if (previous === '' || previous === saved.file) return [];
  return saved.kind === 'latest' && saveTopK !== 1 ? [] : [previous];
}

/** Whether the bookkeeping names `file` (a top-k file, the best, or `last`). */
export function names(bookkeeping: Bookkeeping, file: string): boolean {
  return file in bookkeeping.bestKModels || file === bookkeeping.bestModelPath || file === bookkeeping.lastModelPath;
}

/** `tree` with the state under `callbacks[key]` recording `bookkeeping` (a new tree; `tree` is not changed). */
export function recordIn(tree: StateTree, key: string, bookkeeping: Bookkeeping): StateTree {
  const callbacks = tree['callbacks'];
  if (!isRecord(callbacks)) return tree;
  const state = callbacks[key];
  if (!isRecord(state)) return tree;
  const recorded: Record<string, StateValue> = { ...bookkeeping, bestKModels: { ...bookkeeping.bestKModels } };
  // The keys keep their order, so the file is byte for byte what a save of the live state would write.
  return { ...tree, callbacks: { ...callbacks, [key]: { ...state, ...recorded } } };
}

function isRecord(value: StateValue | undefined): value is { readonly [key: string]: StateValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isTensor(value);
}

/** The path of the worst entry (the first of equals), for a non-empty record. */
export function worstOf(mode: MonitorMode, entries: Readonly<Record<string, number>>): string {
  return pick(Object.entries(entries), (a, b) => isBetter(mode, b, a))[0];
}

/** The entry `better(a, b)` prefers over all others (the first of equals). */
export function pick(entries: [string, number][], better: (a: number, b: number) => boolean): [string, number] {
  let chosen = entries[0]!;
  for (const entry of entries) if (better(entry[1], chosen[1])) chosen = entry;
  return chosen;
}
