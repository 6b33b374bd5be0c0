/** The machine description every result carries: the figures mean little without it on a shared 2-core machine. */
import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

function sh(cmd: string, args: readonly string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export interface Machine {
  readonly date: string;
  readonly commit: string;
  readonly node: string;
  readonly nproc: string;
  readonly cpu: string;
  readonly memory: string;
  readonly disk: string;
  readonly torch: string;
  readonly loadAverageAtStart: string;
}

export function describeMachine(repo: string, benchDir: string): Machine {
  const torch = sh('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)']);
  const df = sh('df', ['-hT', benchDir]).split('\n').pop() ?? 'unknown';
  const device = df.split(/\s+/)[0] ?? '';
  const model = device.startsWith('/dev/') ? sh('lsblk', ['-dno', 'NAME,SIZE,ROTA,MODEL', device.replace(/p?\d+$/, '')]) : '';
  const dirty = sh('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=no']);
  return {
    date: new Date().toISOString(),
    commit: `${sh('git', ['-C', repo, 'rev-parse', '--short', 'HEAD'])}${dirty && dirty !== 'unknown' ? ' (with uncommitted changes)' : ''}`,
    node: process.version,
    nproc: sh('nproc', []),
    cpu: cpus()[0]?.model ?? 'unknown',
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(freemem() / 2 ** 30).toFixed(1)} GiB free at start`,
    disk: `${df.replace(/\s+/g, ' ')}${model && model !== 'unknown' ? `; ${model.replace(/\s+/g, ' ')}` : ''}`,
    torch: torch === 'unknown' ? 'not importable by /usr/bin/python3' : `${torch} (/usr/bin/python3)`,
    loadAverageAtStart: loadavg().map((l) => l.toFixed(2)).join(' / '),
  };
}
