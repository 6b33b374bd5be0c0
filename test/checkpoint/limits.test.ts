/**
 * Every load costs at most what its limits allow: the header and its state tree are parsed with a node budget and a
 * depth limit enforced while parsing, so a hostile file of millions of values or levels is refused early with
 * `reason: 'limits'`. (What the refusals cost in time and memory is measured by scripts/measure-limits.ts in child
 * processes, not asserted here.)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  deserializeCheckpoint,
  loadCheckpoint,
  MAX_HEADER_NODES,
  readCheckpointInfo,
  verifyCheckpoint,
  type CheckpointErrorReason,
  type ReadLimits,
} from '../../src/checkpoint/index.js';
import { JsonLimitError, parseJsonWithLimits } from '../../src/checkpoint/json-parse.js';
import { MAX_STATE_DEPTH } from '../../src/state/limits.js';
import { deepTreeText, fileFromHeader, fileWithTreeText, wideTreeText } from './craft.js';
import { useTempDir } from './helpers.js';

const tempDir = useTempDir();

async function reasonsOf(bytes: Uint8Array, limits?: ReadLimits): Promise<(CheckpointErrorReason | 'loaded')[]> {
  const path = join(tempDir(), 'hostile.ckpt');
  writeFileSync(path, bytes);
  const attempts: (() => unknown)[] = [
    () => deserializeCheckpoint(bytes, { limits }),
    () => loadCheckpoint(path, { limits }),
    () => loadCheckpoint(path, { limits, into: {} }),
    () => verifyCheckpoint(path, { limits }),
    () => readCheckpointInfo(path, { limits }),
  ];
  const out: (CheckpointErrorReason | 'loaded')[] = [];
  for (const attempt of attempts) {
    try {
      await attempt();
      out.push('loaded');
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      out.push(error.reason);
    }
  }
  return out;
}

const unlimited = (maxDepth = 1e9) => ({ maxDepth, budget: { remaining: 1e9, limit: 1e9 } });

describe('the header parser', () => {
  it('builds what JSON.parse builds, for any JSON value', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(parseJsonWithLimits(text, unlimited())).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly the texts JSON.parse accepts (when no key repeats)', () => {
    const jsonish = fc.stringMatching(/^[\s{}[\]",:0-9eE.+\-tfrulnas\\]{0,24}$/);
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.string({ maxLength: 12 })), (text) => {
        let expected: 'ok' | 'error';
        try {
          JSON.parse(text);
          expected = 'ok';
        } catch {
          expected = 'error';
        }
        let actual: 'ok' | 'error' | 'duplicate';
        try {
          parseJsonWithLimits(text, unlimited());
          actual = 'ok';
        } catch (error) {
          if (!(error instanceof JsonLimitError)) throw error;
          actual = error.kind === 'duplicate-key' ? 'duplicate' : 'error';
        }
        if (actual !== 'duplicate') expect(actual).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps __proto__ as an own key and refuses a key that repeats, at any level', () => {
    const parsed = parseJsonWithLimits('{"__proto__":{"polluted":1}}', unlimited()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    for (const text of ['{"a":1,"a":2}', '{"x":[{"b":1,"c":2,"b":3}]}', '{"__proto__":1,"__proto__":2}', '{"a":1,"\\u0061":2}']) {
      expect(() => parseJsonWithLimits(text, unlimited())).toThrow(expect.objectContaining({ kind: 'duplicate-key' }));
    }
  });

  it('stops at the node budget and the depth limit while parsing', () => {
    const budget = { remaining: 10, limit: 10 };
    expect(() => parseJsonWithLimits(`[${'0,'.repeat(10)}0]`, { maxDepth: 5, budget })).toThrow(
      expect.objectContaining({ kind: 'too-many-nodes' }),
    );
    expect(parseJsonWithLimits('[[[]]]', unlimited(3))).toEqual([[[]]]);
    expect(() => parseJsonWithLimits('[[[[]]]]', unlimited(3))).toThrow(expect.objectContaining({ kind: 'too-deep' }));
    // Far deeper than any recursive parser survives: refused at the limit, no stack overflow.
    expect(() => parseJsonWithLimits('['.repeat(1_000_000), unlimited(512))).toThrow(expect.objectContaining({ kind: 'too-deep' }));
  });
});

describe('files over the limits', () => {
  it(`refuses a tree of more than MAX_HEADER_NODES (${MAX_HEADER_NODES}) values in every reader`, async () => {
    const file = fileWithTreeText(wideTreeText(MAX_HEADER_NODES + 10));
    expect(await reasonsOf(file)).toEqual(['limits', 'limits', 'limits', 'limits', 'limits']);
  });

  it('counts the header and the tree against one budget, which the caller may set', async () => {
    // Header: root, __metadata__, 6 metadata strings, 1 digest list = 9 values; tree: 2 + count.
    const file = fileWithTreeText(wideTreeText(90));
    expect(await reasonsOf(file, { maxHeaderNodes: 101 })).toEqual(['loaded', 'loaded', 'loaded', 'loaded', 'loaded']);
    expect(await reasonsOf(file, { maxHeaderNodes: 100 })).toEqual(['limits', 'limits', 'limits', 'limits', 'limits']);
  });

  it('says which limit was hit and how to raise it', () => {
    const error = (() => {
      try {
        deserializeCheckpoint(fileWithTreeText(wideTreeText(50)), { limits: { maxHeaderNodes: 20 } });
      } catch (e) {
        return e as CheckpointError;
      }
      throw new Error('loaded');
    })();
    expect(error.message).toMatch(/more than 20 values.*limits\.maxHeaderNodes/);
  });

  it('refuses the header length cap the caller sets', async () => {
    const file = fileWithTreeText(`{"s":"${'x'.repeat(1000)}"}`);
    expect(await reasonsOf(file, { maxHeaderBytes: 512 })).toEqual(Array(5).fill('header-too-large'));
  });

  it('refuses a tree nested deeper than MAX_STATE_DEPTH, however deep, without overflowing the stack', async () => {
    expect(await reasonsOf(fileWithTreeText(deepTreeText(2_000_000)))).toEqual(Array(5).fill('limits'));
  });

  it('loads a tree nested exactly MAX_STATE_DEPTH deep and refuses one level more', async () => {
    // The root object is level 1, so MAX_STATE_DEPTH - 1 arrays inside it reach the limit.
    expect(await reasonsOf(fileWithTreeText(deepTreeText(MAX_STATE_DEPTH - 1)))).toEqual(Array(5).fill('loaded'));
    expect(await reasonsOf(fileWithTreeText(deepTreeText(MAX_STATE_DEPTH)))).toEqual(Array(5).fill('limits'));
  });

  it('refuses a header nested deeper than safetensors headers are, and a huge shape, early', async () => {
    expect(await reasonsOf(fileFromHeader(`{"x":{"dtype":"F32","shape":${'['.repeat(100_000)}`))).toEqual(Array(5).fill('bad-header'));
    const shape = `[${'1,'.repeat(MAX_HEADER_NODES)}1]`;
    expect(await reasonsOf(fileFromHeader(`{"x":{"dtype":"U8","shape":${shape},"data_offsets":[0,1]}}`))).toEqual(
      Array(5).fill('limits'),
    );
  });

  it('refuses a version-0 tree over the limits as well', async () => {
    const v0 = (tree: string): Uint8Array => fileFromHeader(JSON.stringify({ __metadata__: { kindling: tree } }));
    expect(await reasonsOf(v0(deepTreeText(100_000)))).toEqual(Array(5).fill('limits'));
    expect(await reasonsOf(v0(wideTreeText(MAX_HEADER_NODES + 10)))).toEqual(Array(5).fill('limits'));
  });

  it("applies the caller's limit to a version-0 tree too", async () => {
    const v0 = fileFromHeader(JSON.stringify({ __metadata__: { kindling: wideTreeText(100) } }));
    expect(await reasonsOf(v0, { maxHeaderNodes: 50 })).toEqual(Array(5).fill('limits'));
    expect(await reasonsOf(v0, { maxHeaderNodes: 200 })).toEqual(Array(5).fill('loaded'));
  });
});
