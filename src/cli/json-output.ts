/**
 * The `--json` output of each command (documented in docs/cli.md): one JSON object on stdout, two-space indented, newline-terminated. These
 * shapes are a public interface for scripts; add fields, never rename or remove them. On trouble (exit code 2)
 * nothing is printed on stdout and a one-line message goes to stderr.
 */
import type { DType } from '../state/tensor.js';

export interface SectionSummary {
  /** A top-level key of the state tree. */
  readonly name: string;
  readonly tensors: number;
  readonly tensorBytes: number;
}

/** `kindling inspect --json <file>`. */
export interface InspectJson {
  readonly file: string;
  readonly fileBytes: number;
  readonly formatVersion: number;
  readonly hasChecksums: boolean;
  /** `"xxh64"` (format v2), `"crc32"` (format v1), or null for a file saved without checksums. */
  readonly checksumAlgorithm: 'crc32' | 'xxh64' | null;
  readonly sections: readonly SectionSummary[];
  /** Section by section (in `sections` order), in file order within a section. */
  readonly tensors: readonly {
    /** Dot-joined path in the state tree, as the checkpoint names it. */
    readonly name: string;
    readonly dtype: DType;
    readonly shape: readonly number[];
    readonly byteLength: number;
    /** `[begin, end)` of the tensor's bytes relative to the start of the data section (= `totals.headerBytes`). */
    readonly dataOffsets: readonly [number, number];
  }[];
  readonly totals: {
    readonly tensors: number;
    readonly tensorBytes: number;
    /** The 8-byte length field plus the JSON header; tensor data starts here. */
    readonly headerBytes: number;
    readonly fileBytes: number;
  };
  /**
   * With `--tree`: the state tree as the file stores it (docs/checkpoint-format.md, "The state tree"): tensors as
   * `{"$tensor": name}` (see `tensors`), NaN/±Infinity/-0 as `{"$number": "NaN"}`, keys starting with `$` with one
   * more `$`.
   */
  readonly tree?: unknown;
}

/** One entry of `DiffJson.differences`; `before`/`after` are short renderings such as `0.1`, `"adam"`, `Tensor<float32>[3, 4]`. */
export type DiffEntryJson =
  | { readonly kind: 'added'; readonly path: string; readonly after: string }
  | { readonly kind: 'removed'; readonly path: string; readonly before: string }
  | { readonly kind: 'changed'; readonly path: string; readonly before: string; readonly after: string }
  | {
      readonly kind: 'tensor';
      readonly path: string;
      readonly change: 'dtype' | 'shape' | 'contents';
      readonly before: string;
      readonly after: string;
      /** Present when `change` is `contents`. */
      readonly differingElements?: number;
      /**
       * Present when `change` is `contents` and the dtype is a float: the largest absolute difference, the string
       * `"Infinity"` when an infinity is involved (JSON has no infinity), `null` when only NaNs differ.
       */
      readonly maxAbsDiff?: number | 'Infinity' | null;
    };

/** `kindling diff --json <a> <b>`; exit code 0 when `identical`, 1 otherwise. */
export interface DiffJson {
  readonly a: string;
  readonly b: string;
  readonly identical: boolean;
  readonly summary: { readonly added: number; readonly removed: number; readonly changed: number; readonly tensors: number };
  readonly differences: readonly DiffEntryJson[];
}

/** `kindling validate --json <file>`; exit code 0 when `valid`, 1 otherwise. */
export type ValidateJson =
  | {
      readonly file: string;
      readonly valid: true;
      readonly formatVersion: number;
      readonly fileBytes: number;
      readonly tensors: number;
      /** False when the file was saved without checksums: only its structure could be checked. */
      readonly checksums: boolean;
    }
  | { readonly file: string; readonly valid: false; readonly reason: string };

/** `kindling upgrade --json <file>`. */
export interface UpgradeJson {
  readonly file: string;
  readonly from: number;
  readonly to: number;
  /** False when the file already had the current format (then it is left untouched and no backup is made). */
  readonly upgraded: boolean;
  /** Where the original was kept, or null. */
  readonly backup: string | null;
}
