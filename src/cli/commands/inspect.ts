import type { Command } from 'commander';
import { readCheckpointInfo } from '../../checkpoint/index.js';
import type { CheckpointInfo } from '../../checkpoint/types.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { describeFailure, isExpectedFailure } from '../failure.js';
import { formatBytes, formatCount, formatShape, formatTable, plural, toJsonLine } from '../format.js';
import type { InspectJson, SectionSummary } from '../json-output.js';

/** Whether a dot-joined tensor name lies under a top-level section. */
function isUnder(name: string, section: string): boolean {
  if (!name.startsWith(section)) return false;
  const next = name.charAt(section.length);
  return next === '' || next === '.' || next === '[';
}

/** The index of the section a tensor belongs to (`sections.length` if none matches). */
function sectionIndexer(sections: readonly string[]): (tensorName: string) => number {
  // Longest section name first, so a section `a.b` (a key containing a dot) is not swallowed by a section `a`.
  const bySpecificity = sections.map((name, index) => ({ name, index })).sort((x, y) => y.name.length - x.name.length);
  return (tensorName) => bySpecificity.find((s) => isUnder(tensorName, s.name))?.index ?? sections.length;
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
    `${report.file}: kindling checkpoint, format v${report.formatVersion}, ${formatBytes(report.fileBytes)}, ` +
      `checksums: ${report.hasChecksums ? 'yes' : 'no'}`,
    '',
    ...formatTable(
      [
        ['section', 'tensors', 'bytes'],
        ...report.sections.map((s) => [s.name, formatCount(s.tensors), formatBytes(s.tensorBytes)]),
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
          ...report.tensors.map((t) => [t.name, t.dtype, formatShape(t.shape), formatBytes(t.byteLength)]),
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
    .option('--json', 'print a JSON report instead (shape: InspectJson in src/cli/json-output.ts)')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const report = inspectJson(await readCheckpointInfo(file));
        ctx.io.stdout.write(options.json ? toJsonLine(report) : formatInspect(report));
        ctx.exitCode = ExitCode.ok;
      } catch (error) {
        if (!isExpectedFailure(error)) throw error;
        ctx.io.stderr.write(`kindling inspect: ${describeFailure(file, error)}\n`);
        ctx.exitCode = ExitCode.trouble;
      }
    });
}
