import type { Command } from 'commander';
import { upgradeCheckpoint } from '../../checkpoint/index.js';
import type { CommandContext } from '../context.js';
import { shown } from '../escape.js';
import { CLI_DOC } from '../docs.js';
import { ExitCode } from '../exit-codes.js';
import { describeFailure, isExpectedFailure } from '../failure.js';
import { toJsonLine } from '../format.js';
import type { UpgradeJson } from '../json-output.js';

export function formatUpgrade(report: UpgradeJson): string {
  if (!report.upgraded) return `${shown(report.file)}: already at format v${report.to}; nothing to do\n`;
  const backup = report.backup === null ? 'no backup kept' : `original kept as ${shown(report.backup)}`;
  return `${shown(report.file)}: upgraded from format v${report.from} to v${report.to}; ${backup}\n`;
}

export function registerUpgradeCommand(program: Command, ctx: CommandContext): void {
  program
    .command('upgrade')
    .description('rewrite a checkpoint in the current format, keeping the original as <file>.bak')
    .argument('<file>', 'checkpoint file')
    .option('--json', `print a JSON report instead (shape: UpgradeJson in ${CLI_DOC})`)
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const result = await upgradeCheckpoint(file, { backup: true });
        const report: UpgradeJson = {
          file,
          from: result.from,
          to: result.to,
          upgraded: result.from !== result.to,
          backup: result.backupPath ?? null,
        };
        ctx.io.stdout.write(options.json ? toJsonLine(report) : formatUpgrade(report));
        ctx.exitCode = ExitCode.ok;
      } catch (error) {
        if (!isExpectedFailure(error)) throw error;
        ctx.io.stderr.write(`kindling upgrade: ${describeFailure(file, error)}\n`);
        ctx.exitCode = ExitCode.trouble;
      }
    });
}
