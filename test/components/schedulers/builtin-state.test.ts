/**
 * Every @stateful class the package entry exports has generated state code wired in (not the reflective engine), and
 * its `.state.generated.ts` file sits beside its source.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as kindling from '../../../src/index.js';
import { isStatefulClass, statefulClassInfo } from '../../../src/state/metadata.js';

const statefulExports = Object.entries(kindling).filter(([, value]) => isStatefulClass(value)) as [string, abstract new () => object][];

describe("kindling's built-in stateful components", () => {
  it('include the schedulers and precision plugins', () => {
    expect(statefulExports.map(([name]) => name)).toEqual(
      expect.arrayContaining(['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR', 'SequentialLR', 'ReduceLROnPlateau', 'LRScheduler', 'Precision', 'Precision32', 'DynamicLossScaling']),
    );
  });

  it.each(statefulExports)('%s uses generated state code', (name, ctor) => {
    const info = statefulClassInfo(ctor);
    expect(info?.className).toBe(name);
    expect(info?.generated, `${name} falls back to the reflective engine`).toBeDefined();
    const generated = info!.generated as { source?: string };
    expect(generated.source).toMatch(/^src\/(components|trainer)\/.+\.ts$/);
    const file = new URL(`../../../${generated.source!.replace(/\.ts$/, '.state.generated.ts')}`, import.meta.url);
    expect(existsSync(file), `${file.pathname} exists`).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(`className: '${name}'`);
  });
});
