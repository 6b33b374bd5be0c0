/**
 * Writes a block of generated text between two marker comments of a Markdown file, leaving everything else in the
 * file as it is. When the markers are missing, the block (with its markers) is inserted after `anchor`'s line, or
 * appended.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function replaceBetweenMarkers(file: string, name: string, body: string, anchor?: RegExp): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  let out: string;
  if (i >= 0 && j > i) out = text.slice(0, i) + block + text.slice(j + end.length);
  else {
    const match = anchor ? anchor.exec(text) : null;
    if (match) {
      const at = match.index + match[0].length;
      out = `${text.slice(0, at)}\n\n${block}\n${text.slice(at)}`;
    } else out = `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, out);
}
