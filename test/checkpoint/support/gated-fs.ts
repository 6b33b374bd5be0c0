/**
 * A CheckpointFileSystem over the real one whose saves the test completes by hand: while `hold` is set, each save
 * stops before its rename (the temporary file is fully written) until the test releases it or fails it with a system
 * error. So the order in which background saves complete, fail and become known is the test's, not the scheduler's.
 * Hooks report when a save starts (creates its temporary file) and when one is committed (right after its rename).
 */
import type { CheckpointFileSystem, SaveFileHandle } from '../../../src/checkpoint/index.js';
import { nodeFileSystem } from '../../../src/checkpoint/file-system.js';
import { systemError } from './faulty-fs.js';

/** A save held before its rename. */
export interface HeldSave {
  /** The checkpoint path it writes. */
  readonly target: string;
  /** Lets the rename go on. */
  release(): void;
  /** Fails the rename with `code` (the save then removes its temporary file). */
  fail(code: string): void;
}

export class GatedFileSystem implements CheckpointFileSystem {
  hold = false;
  /** Called when a save creates its temporary file (the previous save, and what followed it, are done). */
  onStart: ((temporary: string) => void) | undefined;
  /** Called (and awaited) right after a save's rename: `target` is committed. */
  onCommit: ((target: string) => Promise<void> | void) | undefined;
  private readonly held: HeldSave[] = [];
  private waiting: ((save: HeldSave) => void) | undefined;

  constructor(private readonly real: CheckpointFileSystem = nodeFileSystem) {}

  /** The next save that stops before its rename (now, or when it gets there). */
  next(): Promise<HeldSave> {
    const save = this.held.shift();
    if (save !== undefined) return Promise.resolve(save);
    if (this.waiting !== undefined) throw new Error('GatedFileSystem.next: already waiting');
    return new Promise((resolve) => (this.waiting = resolve));
  }

  open(path: string, flags: 'wx' | 'r'): Promise<SaveFileHandle> {
    if (flags === 'wx') this.onStart?.(path);
    return this.real.open(path, flags);
  }

  async rename(from: string, to: string): Promise<void> {
    if (this.hold) {
      await new Promise<void>((resolve, reject) => {
        const save: HeldSave = { target: to, release: resolve, fail: (code) => reject(systemError(code, `rename '${from}' -> '${to}'`)) };
        const waiting = this.waiting;
        this.waiting = undefined;
        if (waiting === undefined) this.held.push(save);
        else waiting(save);
      });
    }
    await this.real.rename(from, to);
    await this.onCommit?.(to);
  }

  unlink(path: string): Promise<void> {
    return this.real.unlink(path);
  }
}
