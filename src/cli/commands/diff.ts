import type { Command } from 'commander';
import { loadCheckpoint, MAX_HEADER_BYTES, MAX_HEADER_NODES } from '../../checkpoint/index.js';
import type { ReadLimits } from '../../checkpoint/types.js';
import type { StateTree } from '../../checkpoint/types.js';
import type { CommandContext } from '../context.js';
import type { TreeDifference } from '../diff/compare-trees.js';
import { compareStateTrees } from '../diff/compare-trees.js';
import { MAX_REPORTED_ISSUES } from '../../state/limits.js';
import { shown } from '../escape.js';
import { CLI_DOC } from '../docs.js';
import { ExitCode } from '../exit-codes.js';
import { describeFailure, isExpectedFailure } from '../failure.js';
import { fileSizeOrZero } from '../file-size.js';
import { formatCount, formatTable, plural, toJsonLine } from '../format.js';
import type { DiffEntryJson, DiffJson } from '../json-output.js';
import { withProgress } from '../progress.js';

function toJsonEntry(d: TreeDifference): DiffEntryJson {
  if (d.kind !== 'tensor' || d.maxAbsDiff === undefined || d.maxAbsDiff === null || Number.isFinite(d.maxAbsDiff)) {
    return d;
  }
  return { ...d, maxAbsDiff: 'Infinity' };
}

export function diffJson(a: string, b: string, differences: readonly TreeDifference[]): DiffJson {
  const count = (kind: TreeDifference['kind']): number => differences.filter((d) => d.kind === kind).length;
  return {
    a,
    b,
    identical: differences.length === 0,
    summary: { added: count('added'), removed: count('removed'), changed: count('changed'), tensors: count('tensor') },
    differences: differences.map(toJsonEntry),
  };
}

function describeChange(d: DiffEntryJson): [marker: string, detail: string] {
  switch (d.kind) {
    case 'added':
      return ['+', shown(d.after)];
    case 'removed':
      return ['-', shown(d.before)];
    case 'changed':
      return ['~', `${shown(d.before)} → ${shown(d.after)}`];
    case 'tensor':
      if (d.change !== 'contents') return ['~', `${d.before} → ${d.after} (${d.change})`];
      return [
        '~',
        `${d.before}: ${formatCount(d.differingElements ?? 0)} elements differ` +
          (d.maxAbsDiff === undefined ? '' : `, max abs diff ${d.maxAbsDiff === null ? 'n/a (NaN)' : String(d.maxAbsDiff)}`),
      ];
  }
}

export function formatDiff(report: DiffJson): string {
  if (report.identical) return `${shown(report.a)} and ${shown(report.b)} are identical\n`;
  const rows = report.differences.slice(0, MAX_REPORTED_ISSUES).map((d) => {
    const [marker, detail] = describeChange(d);
    return [marker, shown(d.path), detail];
  });
  const s = report.summary;
  const total = report.differences.length;
  const more = total - rows.length;
  return [
    `--- ${shown(report.a)}`,
    `+++ ${shown(report.b)}`,
    // Paths past 72 characters (callback state keys, loop counters) overflow rather than widen the column for all.
    ...formatTable(rows, [], [undefined, 72]),
    ...(more > 0 ? [`… and ${plural(more, 'more difference')} (--json lists them all)`] : []),
    `${plural(total, 'difference')}: ${formatCount(s.added)} added, ${formatCount(s.removed)} removed, ` +
      `${plural(s.changed, 'value')} changed, ${plural(s.tensors, 'tensor')} changed`,
    '',
  ].join('\n');
}

/**
 * What one file of a diff may hold: a quarter of a load's header budget. A diff keeps both trees and their
 * comparison in memory at once, so with a load's full budget per file a hostile pair cost about three loads
 * (measured: RELIABILITY.md, "Cost of the worst files"); a quarter keeps it within what one load may cost. Real
 * checkpoints' headers are far below either budget.
 */
export const DIFF_LIMITS: Required<ReadLimits> = {
  maxHeaderBytes: Math.floor(MAX_HEADER_BYTES / 4),
  maxHeaderNodes: Math.floor(MAX_HEADER_NODES / 4),
};

async function loadWithProgress(ctx: CommandContext, file: string): Promise<StateTree> {
  const size = await fileSizeOrZero(file);
  return withProgress(ctx.io, `loading ${shown(file)}`, size, (onProgress) =>
    loadCheckpoint(file, onProgress ? { onProgress, limits: DIFF_LIMITS } : { limits: DIFF_LIMITS }),
  );
}

export function registerDiffCommand(program: Command, ctx: CommandContext): void {
  program
    .command('diff')
    .description('show what differs between two checkpoints (exit 0: identical, 1: different, 2: trouble)')
    .argument('<a>', 'first checkpoint')
    .argument('<b>', 'second checkpoint')
    .option('--json', `print a JSON report instead (shape: DiffJson in ${CLI_DOC})`)
    .action(async (a: string, b: string, options: { json?: boolean }) => {
      let current = a;
      try {
        const left = await loadWithProgress(ctx, a);
        current = b;
        const right = await loadWithProgress(ctx, b);
        const report = diffJson(a, b, compareStateTrees(left, right));
        ctx.io.stdout.write(options.json ? toJsonLine(report) : formatDiff(report));
        ctx.exitCode = report.identical ? ExitCode.ok : ExitCode.negative;
      } catch (error) {
        if (!isExpectedFailure(error)) throw error;
        ctx.io.stderr.write(`kindling diff: ${describeFailure(current, error)}\n`);
        ctx.exitCode = ExitCode.trouble;
      }
    });
}
