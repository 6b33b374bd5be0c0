/**
 * A CheckpointFileSystem over the real one that fails one stage of a save with a system error (ENOSPC, EACCES, EIO,
 * …), as a full or failing disk would: the save runs on real files up to that point, so what it leaves behind is real.
 */
import type { CheckpointFileSystem, SaveFileHandle, SaveStage } from '../../../src/checkpoint/index.js';
import { nodeFileSystem } from '../../../src/checkpoint/file-system.js';

export const STAGES: readonly SaveStage[] = ['open', 'write', 'fsync', 'close', 'rename', 'fsync-dir'];
export const CODES = ['ENOSPC', 'EACCES', 'EIO'] as const;

/** An error like the ones node:fs throws. */
export function systemError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure, ${syscall}`), { code, syscall });
}

export class FaultyFileSystem implements CheckpointFileSystem {
  /** The stage to fail and the code to fail it with; `times` saves fail (default: every one until cleared). */
  fault: { stage: SaveStage; code: string; times?: number } | undefined;
  /** Makes removing a temporary file fail too (a disk that refuses everything). */
  failUnlink: string | undefined;
  /** Saves that failed so far. */
  failures = 0;

  constructor(private readonly real: CheckpointFileSystem = nodeFileSystem) {}

  private fails(stage: SaveStage): string | undefined {
    const fault = this.fault;
    if (fault === undefined || fault.stage !== stage) return undefined;
    if (fault.times !== undefined) {
      if (fault.times <= 0) return undefined;
      fault.times -= 1;
    }
    this.failures += 1;
    return fault.code;
  }

  async open(path: string, flags: 'wx' | 'r'): Promise<SaveFileHandle> {
    if (flags === 'wx') {
      const code = this.fails('open');
      if (code !== undefined) throw systemError(code, `open '${path}'`);
    }
    const handle = await this.real.open(path, flags);
    const self = this;
    const stage = flags === 'r' ? ('fsync-dir' as const) : ('fsync' as const);
    return {
      async writev(buffers, position) {
        const code = self.fails('write');
        if (code === undefined) return handle.writev(buffers, position);
        // Part of the data reaches the file first, as when a disk fills up in the middle of a write.
        if (buffers[0] !== undefined) await handle.writev([buffers[0].subarray(0, Math.ceil(buffers[0].length / 2))], position);
        throw systemError(code, 'write');
      },
      async sync() {
        const code = self.fails(stage);
        if (code !== undefined) throw systemError(code, 'fsync');
        return handle.sync();
      },
      async close() {
        await handle.close();
        const code = flags === 'wx' ? self.fails('close') : undefined;
        if (code !== undefined) throw systemError(code, 'close');
      },
    };
  }

  async rename(from: string, to: string): Promise<void> {
    const code = this.fails('rename');
    if (code !== undefined) throw systemError(code, `rename '${from}' -> '${to}'`);
    return this.real.rename(from, to);
  }

  async unlink(path: string): Promise<void> {
    if (this.failUnlink !== undefined) throw systemError(this.failUnlink, `unlink '${path}'`);
    return this.real.unlink(path);
  }
}
