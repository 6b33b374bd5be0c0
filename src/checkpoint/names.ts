/**
 * Tensor names are the tensor's path in the state tree: path segments (object keys, array indices) joined with `.`.
 * So that names stay unambiguous when keys contain dots, a segment's `\` is written `\\` and its `.` is written
 * `\.`; the one name safetensors reserves, `__metadata__`, is written `\__metadata__`. Escaping only ever produces
 * `\\`, `\.` or a leading `\_`, so distinct paths always give distinct names.
 */
import { METADATA_KEY } from './format.js';

function escapeSegment(segment: string): string {
  return segment.replace(/[\\.]/g, (c) => `\\${c}`);
}

export function tensorName(path: readonly (string | number)[]): string {
  const name = path.map((segment) => escapeSegment(String(segment))).join('.');
  return name === METADATA_KEY ? `\\${name}` : name;
}
