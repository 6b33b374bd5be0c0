import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readState = 'examples/nested-state/read-state.ts';

describe('examples/nested-state', () => {
  it('loads a release-1 checkpoint through legacyNames, shows inspect and diff, and refuses a state of another size', () => {
    const out = execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'examples/nested-state/main.ts'], { cwd: root, encoding: 'utf8' });
    expect(out).toContain('hardFraction = 0.5 (from "focus", a legacy name), missing keys: none, unexpected keys: none');
    expect(out).toContain('wrote epoch-4.ckpt: epoch 4, 16 batches recorded, hardFraction 0.5');
    // inspect: both nested tensors under the miner's section.
    expect(out).toContain('$ npx kindling inspect epoch-4.ckpt    # exit 0');
    expect(out).toMatch(/miner\.tracker\.meanLoss\s+float32\s+\[48\]/);
    expect(out).toMatch(/miner\.tracker\.timesSeen\s+int32\s+\[48\]/);
    // diff: the renamed field is a removal plus an addition, the added field an addition; exit 1 = different.
    expect(out).toContain('$ npx kindling diff epoch-2.ckpt epoch-4.ckpt    # exit 1');
    expect(out).toMatch(/-\s+miner\.focus\s+0\.5/);
    expect(out).toMatch(/\+\s+miner\.hardFraction\s+0\.5/);
    expect(out).toMatch(/\+\s+miner\.notes\s+array\(2\)/);
    expect(out).toMatch(/~\s+miner\.epoch\s+2 → 4/);
    expect(out).toContain('HardExampleMiner.tracker.meanLoss: expected float32[96], got float32[48]');
    expect(out).toContain('the miner is unchanged: yes');
  });

  it("states tsc's real message for reading a checkpoint field as the wrong type", () => {
    const source = readFileSync(join(root, readState), 'utf8');
    const wrongLine = /^ \* {5}(const .+;)$/m.exec(source)?.[1];
    const stated = /^ \* {5}(examples\/nested-state\/read-state\.ts\((\d+),\d+\): error TS\d+: .+)$/m.exec(source);
    expect(wrongLine).toBeDefined();
    expect(stated).not.toBeNull();
    const [, message, lineText] = stated!;
    const line = Number(lineText);

    // The example compiles as it is (the project type check covers it), and with the commented line put in place of
    // line `line` it fails with exactly the stated message.
    const lines = source.split('\n');
    expect(lines[line - 1]).toMatch(/^ {2}const updates: number = /);
    lines[line - 1] = `  ${wrongLine!}`;
    const edited = lines.join('\n');

    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const options = config!.options;
    const host = ts.createCompilerHost(options);
    const target = join(root, readState);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, languageVersion, ...rest) =>
      name === target ? ts.createSourceFile(name, edited, languageVersion) : getSourceFile(name, languageVersion, ...rest);
    const program = ts.createProgram([target], options, host);
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === target);
    const formatted = diagnostics.map((d) => {
      const { line: l, character } = d.file!.getLineAndCharacterOfPosition(d.start!);
      return `${readState}(${l + 1},${character + 1}): error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(formatted).toEqual([message]);
  });
});
