/** Wrapping of long generated lines at their brackets: deterministic, valid TypeScript, strings left whole. */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { MAX_LINE, wrapLine, wrapLongLines } from '../../../codegen/emit/wrap.js';

const CODEC =
  "  history: $rt.typed<{ step: number; loss: number; lr: number }[]>($rt.array($rt.object([{ key: 'step', codec: $rt.number }, " +
  "{ key: 'loss', codec: $rt.number }, { key: 'lr', codec: $rt.number }]))),";

function syntaxErrors(code: string): string[] {
  const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('wrapLine', () => {
  it('leaves lines that fit alone', () => {
    const line = "  mode: $rt.typed<'max' | 'min'>($rt.literal(['max', 'min'])),";
    expect(wrapLine(line)).toBe(line);
  });

  it('breaks the outermost group that does not fit, hugging single elements', () => {
    expect(wrapLine(CODEC).split('\n')).toEqual([
      '  history: $rt.typed<{ step: number; loss: number; lr: number }[]>($rt.array($rt.object([',
      "    { key: 'step', codec: $rt.number },",
      "    { key: 'loss', codec: $rt.number },",
      "    { key: 'lr', codec: $rt.number },",
      '  ]))),',
    ]);
  });

  it('writes valid TypeScript that fits, and wraps the same way again', () => {
    const long = `const codecs = {\n${CODEC}\n  ${'x'.repeat(10)}: $rt.typed<{ ${Array.from({ length: 12 }, (_, i) => `field${i}: number`).join('; ')} }>($rt.number),\n};`;
    const wrapped = wrapLongLines(long);
    expect(syntaxErrors(wrapped)).toEqual([]);
    expect(wrapped.split('\n').filter((l) => l.length > MAX_LINE)).toEqual([]);
    expect(wrapLongLines(wrapped)).toBe(wrapped);
    // Object types break at their semicolons.
    expect(wrapped).toContain('\n    field0: number;\n');
  });

  it('never splits a string or a type argument list, and leaves lines it cannot break', () => {
    const text = `  label: ${JSON.stringify('(a, b) [c, d] {e; f}'.repeat(8)).replace(/"/g, "'")},`;
    expect(wrapLine(text)).toBe(text);
    const declaration = `export const ${'A'.repeat(60)}State: $rt.GeneratedStateWithShims<${'A'.repeat(60)}, ${'A'.repeat(60)}State> = $rt.defineState({`;
    expect(wrapLine(declaration)).toBe(declaration);
  });
});
