/** A CheckpointIO in memory that records every operation, and can hold writes back to test commit ordering. */
import type { CheckpointIO, StateTree } from '../../../../src/checkpoint/types.js';

export class MemoryIO implements CheckpointIO {
  readonly files = new Map<string, StateTree>();
  readonly log: string[] = [];
  /** When set, saves wait until `release()` is called. */
  hold = false;
  private waiting: (() => void)[] = [];
  failNext: Error | undefined;

  async save(path: string, tree: StateTree): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failNext !== undefined) {
      const error = this.failNext;
      this.failNext = undefined;
      this.log.push(`fail ${path}`);
      throw error;
    }
    this.files.set(path, tree);
    this.log.push(`save ${path}`);
  }

  async load(path: string): Promise<StateTree> {
    const tree = this.files.get(path);
    if (tree === undefined) throw new Error(`no file ${path}`);
    return tree;
  }

  async remove(path: string): Promise<void> {
    this.files.delete(path);
    this.log.push(`remove ${path}`);
  }

  async exists(path: string): Promise<boolean> {
    return this.files.has(path);
  }

  release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}
