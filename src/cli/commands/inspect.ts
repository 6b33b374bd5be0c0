import type { Command } from 'commander';
import { readCheckpointInfo } from '../../checkpoint/index.js';
import { readCheckpointTree } from '../../checkpoint/file-load.js';
import { CLI_DOC } from '../docs.js';
import { outlineLines } from '../tree-outline.js';
import type { CheckpointInfo } from '../../checkpoint/types.js';
import type { CommandContext } from '../context.js';
import { shown } from '../escape.js';
import { ExitCode } from '../exit-codes.js';
import { describeFailure, isExpectedFailure } from '../failure.js';
import { formatBytes, formatCount, formatShape, formatTable, plural, toJsonLine } from '../format.js';
import type { InspectJson, SectionSummary } from '../json-output.js';

/**
 * The top-level key a tensor name starts with. Names are path segments joined with `.`, where a segment's `\` and
 * `.` are escaped with a backslash and a whole name `__metadata__` is written `\__metadata__` (see
 * src/checkpoint/names.ts), so the first unescaped `.` ends the section key.
 */
export function sectionOfTensorName(name: string): string {
  if (name === '\\__metadata__') return '__metadata__';
  let key = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charAt(i);
    if (c === '\\' && i + 1 < name.length) key += name.charAt(++i);
    else if (c === '.') break;
    else key += c;
  }
  return key;
}

/** The index of the section a tensor belongs to (`sections.length` if none matches). */
function sectionIndexer(sections: readonly string[]): (tensorName: string) => number {
  const index = new Map(sections.map((name, i) => [name, i]));
  return (tensorName) => index.get(sectionOfTensorName(tensorName)) ?? sections.length;
}

function summarizeSections(info: CheckpointInfo, sectionOf: (name: string) => number): SectionSummary[] {
  const totals = info.sections.map((name) => ({ name, tensors: 0, tensorBytes: 0 }));
  for (const t of info.tensors) {
    const total = totals[sectionOf(t.name)];
    if (total) {
      total.tensors++;
      total.tensorBytes += t.byteLength;
    }
  }
  return totals;
}

export function inspectJson(info: CheckpointInfo): InspectJson {
  const sectionOf = sectionIndexer(info.sections);
  // Listed section by section, in file order within a section (Array.prototype.sort is stable).
  const tensors = [...info.tensors].sort((x, y) => sectionOf(x.name) - sectionOf(y.name));
  return {
    file: info.file,
    fileBytes: info.fileBytes,
    formatVersion: info.formatVersion,
    hasChecksums: info.hasChecksums,
    checksumAlgorithm: info.checksumAlgorithm,
    sections: summarizeSections(info, sectionOf),
    tensors: tensors.map((t) => ({
      name: t.name,
      dtype: t.dtype,
      shape: [...t.shape],
      byteLength: t.byteLength,
      dataOffsets: [t.dataOffsets[0], t.dataOffsets[1]],
    })),
    totals: {
      tensors: info.tensors.length,
      tensorBytes: info.tensorBytes,
      headerBytes: info.headerBytes,
      fileBytes: info.fileBytes,
    },
  };
}

export function formatInspect(report: InspectJson): string {
  const lines = [
    `${shown(report.file)}: kindling checkpoint, format v${report.formatVersion}, ${formatBytes(report.fileBytes)}, ` +
      `checksums: ${report.checksumAlgorithm === null ? 'no' : report.checksumAlgorithm.toUpperCase()}`,
    '',
    ...formatTable(
      [
        ['section', 'tensors', 'bytes'],
        ...report.sections.map((s) => [shown(s.name), formatCount(s.tensors), formatBytes(s.tensorBytes)]),
      ],
      ['left', 'right', 'right'],
    ),
  ];
  if (report.tensors.length > 0) {
    lines.push(
      '',
      ...formatTable(
        [
          ['tensor', 'dtype', 'shape', 'bytes'],
          ...report.tensors.map((t) => [shown(t.name), t.dtype, formatShape(t.shape), formatBytes(t.byteLength)]),
        ],
        ['left', 'left', 'left', 'right'],
      ),
    );
  }
  const { totals } = report;
  lines.push(
    '',
    `total: ${plural(totals.tensors, 'tensor')}, ${formatBytes(totals.tensorBytes)} of tensor data, ` +
      `${formatBytes(totals.headerBytes)} of header (state tree and tensor index)`,
  );
  return `${lines.join('\n')}\n`;
}

export function registerInspectCommand(program: Command, ctx: CommandContext): void {
  program
    .command('inspect')
    .description('show a checkpoint\'s format version, sections and tensors (reads the header only)')
    .argument('<file>', 'checkpoint file')
    .option('--tree', 'also show the state tree: non-tensor values as they are, tensors as dtype and shape')
    .option('--json', `print a JSON report instead (shape: InspectJson in ${CLI_DOC})`)
    .action(async (file: string, options: { json?: boolean; tree?: boolean }) => {
      try {
        let report: InspectJson;
        let text: string;
        if (options.tree) {
          const { info, tree } = await readCheckpointTree(file);
          report = { ...inspectJson(info), tree };
          text = `${formatInspect(report)}\nstate tree:\n${outlineLines(tree, info.tensors).map((l) => `  ${l}`).join('\n')}\n`;
        } else {
          report = inspectJson(await readCheckpointInfo(file));
          text = formatInspect(report);
        }
        ctx.io.stdout.write(options.json ? toJsonLine(report) : text);
        ctx.exitCode = ExitCode.ok;
      } catch (error) {
        if (!isExpectedFailure(error)) throw error;
        ctx.io.stderr.write(`kindling inspect: ${describeFailure(file, error)}\n`);
        ctx.exitCode = ExitCode.trouble;
      }
    });
}
