import type { Command } from 'commander';
import { verifyCheckpoint } from '../../checkpoint/index.js';
import type { CommandContext } from '../context.js';
import { shown } from '../escape.js';
import { CLI_DOC } from '../docs.js';
import { ExitCode } from '../exit-codes.js';
import { describeFailure, isExpectedFailure } from '../failure.js';
import { fileSizeOrZero } from '../file-size.js';
import { formatBytes, plural, toJsonLine } from '../format.js';
import type { ValidateJson } from '../json-output.js';
import { withProgress } from '../progress.js';

/** Structure and every checksum; `verifyCheckpoint` throws a CheckpointError naming the first problem. */
async function validate(ctx: CommandContext, file: string): Promise<ValidateJson> {
  try {
    const info = await withProgress(ctx.io, `verifying ${shown(file)}`, await fileSizeOrZero(file), (onProgress) =>
      verifyCheckpoint(file, onProgress ? { onProgress } : {}),
    );
    return {
      file,
      valid: true,
      formatVersion: info.formatVersion,
      fileBytes: info.fileBytes,
      tensors: info.tensors.length,
      checksums: info.hasChecksums,
    };
  } catch (error) {
    if (!isExpectedFailure(error)) throw error;
    return { file, valid: false, reason: describeFailure(file, error) };
  }
}

export function formatValidate(report: ValidateJson): string {
  if (!report.valid) return `invalid: ${report.reason}\n`;
  const size = `, ${formatBytes(report.fileBytes)}`;
  const what = report.checksums ? 'structure and checksums verified' : 'structure verified; saved without checksums, so the data could not be verified';
  return `valid: ${shown(report.file)} (format v${report.formatVersion}, ${plural(report.tensors, 'tensor')}${size}): ${what}\n`;
}

export function registerValidateCommand(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('check a checkpoint\'s structure and checksums (exit 0: valid, 1: invalid or unreadable)')
    .argument('<file>', 'checkpoint file')
    .option('--json', `print a JSON report instead (shape: ValidateJson in ${CLI_DOC})`)
    .action(async (file: string, options: { json?: boolean }) => {
      const report = await validate(ctx, file);
      if (options.json) ctx.io.stdout.write(toJsonLine(report));
      else if (report.valid) ctx.io.stdout.write(formatValidate(report));
      else ctx.io.stderr.write(`kindling validate: ${formatValidate(report)}`);
      ctx.exitCode = report.valid ? ExitCode.ok : ExitCode.negative;
    });
}
