/**
 * Names of the temporary files a save writes before renaming them over the target. A name says which checkpoint it
 * is for and which process and thread wrote it, so a later save (or an operator) can tell a crash leftover from a
 * save still in progress:
 *
 *   .<stem>.<pid>.<threadId>.<8 hex>.kindling-tmp
 *
 * `<stem>` is the target's file name, or for long names a shortened form that stays unique (see `stemOf`). None of the
 * three fields after it contains a dot, so the stem is recovered exactly from a name, and two targets never share a
 * temporary name pattern.
 */
import { createHash, randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';

export const TEMP_SUFFIX = '.kindling-tmp';

/**
 * File names up to this many UTF-8 bytes are used whole in temporary names. The rest of a temporary name takes at most
 * 45 bytes (a 10-digit pid and thread id), so temporary names stay within 142 bytes: under eCryptfs's 143, the
 * smallest common file-name limit (most file systems allow 255).
 */
const MAX_WHOLE_STEM_BYTES = 97;
/** Bytes of a long file name kept before `~` and 16 hex digits of its hash: 97 bytes in all. */
const LONG_STEM_PREFIX_BYTES = 80;

/** The leading part of `name` that fits in `maxBytes` UTF-8 bytes, never splitting a character. */
function utf8Prefix(name: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return name.slice(0, end);
}

/**
 * The part of temporary names that identifies the target. A long file name is cut and completed with a hash of the
 * whole name, so temporary names stay within every common file-name limit (255 bytes; 143 on eCryptfs) and two long
 * names with the same beginning still get different stems.
 */
export function stemOf(targetName: string): string {
  if (Buffer.byteLength(targetName) <= MAX_WHOLE_STEM_BYTES) return targetName;
  const digest = createHash('sha256').update(targetName).digest('hex').slice(0, 16);
  return `${utf8Prefix(targetName, LONG_STEM_PREFIX_BYTES)}~${digest}`;
}

/** A fresh temporary file name for a save of the file called `targetName`, by this process and thread. */
export function temporaryNameFor(targetName: string): string {
  return `.${stemOf(targetName)}.${process.pid}.${threadId}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`;
}

export interface ParsedTempName {
  /** `current`: written by this version; `legacy`: `.<name>.<pid>.<8 hex>.tmp`, written before temporary names had a thread id. */
  readonly kind: 'current' | 'legacy';
  /** For `current` names the stem (`stemOf` of the target's name); for `legacy` names the target's name itself. */
  readonly stem: string;
  readonly pid: number;
  /** The writer's worker-thread id (0 for the main thread); unknown for legacy names. */
  readonly threadId?: number;
}

const CURRENT = /^\.(.+)\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,9})\.[0-9a-f]{8}\.kindling-tmp$/s;
const LEGACY = /^\.(.+)\.([1-9][0-9]{0,9})\.[0-9a-f]{8}\.tmp$/s;

/** Parses a temporary file name of either format; anything else (other hidden files included) gives null. */
export function parseTempName(name: string): ParsedTempName | null {
  const current = CURRENT.exec(name);
  if (current !== null) {
    return { kind: 'current', stem: current[1]!, pid: Number(current[2]), threadId: Number(current[3]) };
  }
  const legacy = LEGACY.exec(name);
  if (legacy !== null) return { kind: 'legacy', stem: legacy[1]!, pid: Number(legacy[2]) };
  return null;
}

/** Whether a parsed temporary name belongs to the checkpoint file called `targetName`. */
export function isTempNameOf(parsed: ParsedTempName, targetName: string): boolean {
  return parsed.stem === (parsed.kind === 'current' ? stemOf(targetName) : targetName);
}
