/**
 * Wraps generated lines longer than {@link MAX_LINE} at their brackets, deterministically: the outermost bracket
 * group that does not fit is broken one element per line (with a trailing separator), a group with one element hugs
 * it (`f([` … `])`), and what still does not fit is broken inside. Type argument lists (`<A, B>`) are never broken
 * (groups inside them may be). Strings are never split, so a line without brackets stays as it is. Only generated
 * text passes through here: single-quoted strings, no comments or template literals inside code lines.
 */

export const MAX_LINE = 120;

interface Group {
  readonly open: string;
  readonly close: string;
  /** Elements between the separators, each a sequence of text and groups. */
  readonly items: Sequence[];
  /** The separator between elements (`,` in lists, `;` in object types), if there are several. */
  readonly sep: ',' | ';' | '';
  /** The group's text as written, brackets included. */
  readonly flat: string;
}

type Part = string | Group;
type Sequence = Part[];

const PAIRS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** Parses one line into text and bracket groups; undefined when its brackets do not balance on the line. */
function parse(line: string): Sequence | undefined {
  interface Open {
    open: string;
    start: number;
    items: Sequence[];
    current: Sequence;
    sep: ',' | ';' | '';
  }
  const root: Open = { open: '', start: 0, items: [], current: [], sep: '' };
  const stack: Open[] = [root];
  let text = '';
  const flush = () => {
    if (text !== '') stack[stack.length - 1]!.current.push(text);
    text = '';
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    const top = stack[stack.length - 1]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' ? 2 : 1;
      if (j >= line.length) return undefined;
      text += line.slice(i, j + 1);
      i = j;
    } else if (c === '=' && line[i + 1] === '>') {
      text += '=>';
      i++;
    } else if (c in PAIRS) {
      flush();
      stack.push({ open: c, start: i, items: [], current: [], sep: '' });
    } else if (top !== root && c === PAIRS[top.open]) {
      flush();
      stack.pop();
      top.items.push(top.current);
      // `()`, `{}` and a trailing separator add no element.
      const items = isBlank(top.items[top.items.length - 1]!) ? top.items.slice(0, -1) : top.items;
      const group: Group = { open: top.open, close: c, items, sep: top.sep, flat: line.slice(top.start, i + 1) };
      stack[stack.length - 1]!.current.push(group);
    } else if (top !== root && (c === ',' || c === ';') && (top.sep === '' || top.sep === c)) {
      flush();
      top.sep = c;
      top.items.push(top.current);
      top.current = [];
    } else if (c === ')' || c === ']' || c === '}' || (c === '>' && top.open === '<')) {
      return undefined;
    } else {
      text += c;
    }
  }
  flush();
  return stack.length === 1 ? root.current : undefined;
}

function isBlank(seq: Sequence): boolean {
  return seq.every((p) => typeof p === 'string' && p.trim() === '');
}

function flatOf(seq: Sequence): string {
  return seq.map((p) => (typeof p === 'string' ? p : p.flat)).join('');
}

/** Trims the spaces around an element (`{ a, b }` → `a`, `b`). */
function trimmed(seq: Sequence): Sequence {
  const out = [...seq];
  if (typeof out[0] === 'string') out[0] = out[0].trimStart();
  const last = out.length - 1;
  if (typeof out[last] === 'string') out[last] = (out[last] as string).trimEnd();
  return out.filter((p) => p !== '');
}

/** Characters that must stay on the line after `seq[from]`: text up to the next group that could break. */
function tailWidth(seq: Sequence, from: number, rest: number): number {
  let width = 0;
  for (let i = from; i < seq.length; i++) {
    const p = seq[i]!;
    if (typeof p === 'string') width += p.length;
    else return width + p.open.length;
  }
  return width + rest;
}

/**
 * Lays out `seq` starting at `column` on a line indented by `indent`; `rest` characters follow it on its last line.
 * Returns the text (with newlines) and the column after it.
 */
function layout(seq: Sequence, indent: string, column: number, rest: number): { text: string; column: number } {
  let text = '';
  let col = column;
  seq.forEach((p, i) => {
    if (typeof p === 'string') {
      text += p;
      col += p.length;
      return;
    }
    const tail = tailWidth(seq, i + 1, rest);
    const out = col + p.flat.length + tail <= MAX_LINE || p.items.length === 0 ? { text: p.flat, column: col + p.flat.length } : broken(p, indent, col, tail);
    text += out.text;
    col = out.column;
  });
  return { text, column: col };
}

function broken(g: Group, indent: string, column: number, rest: number): { text: string; column: number } {
  // One element hugs its brackets; a type argument list is never split into lines, only what is inside it.
  if (g.items.length === 1 || g.open === '<') {
    let text = g.open;
    let col = column + g.open.length;
    g.items.forEach((item, i) => {
      if (i > 0) {
        text += `${g.sep} `;
        col += g.sep.length + 1;
      }
      const last = i === g.items.length - 1;
      const parts = g.items.length === 1 ? item : trimmed(item);
      const out = layout(parts, indent, col, last ? g.close.length + rest : g.sep.length);
      text += out.text;
      col = out.column;
    });
    return { text: text + g.close, column: col + g.close.length };
  }
  const inner = `${indent}  `;
  const lines = g.items.map((item) => `${inner}${layout(trimmed(item), inner, inner.length, 1).text}${g.sep}`);
  return { text: `${g.open}\n${lines.join('\n')}\n${indent}${g.close}`, column: indent.length + g.close.length };
}

/** One line, wrapped if it is longer than {@link MAX_LINE} and has brackets to break at. */
export function wrapLine(line: string): string {
  if (line.length <= MAX_LINE) return line;
  const trimmedLine = line.trimStart();
  if (trimmedLine.startsWith('//') || trimmedLine.startsWith('/*') || trimmedLine.startsWith('*')) return line;
  const seq = parse(line);
  if (seq === undefined) return line;
  const indent = line.slice(0, line.length - trimmedLine.length);
  return layout(seq, indent, 0, 0).text;
}

/** Every line of a generated file, wrapped where too long. */
export function wrapLongLines(text: string): string {
  return text
    .split('\n')
    .map(wrapLine)
    .join('\n');
}
