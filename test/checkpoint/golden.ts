/**
 * Golden checkpoints: one state tree, written in every format version kindling has had. The files in fixtures/ were
 * written once by `npx tsx test/checkpoint/fixtures/generate.ts` and are committed, so a change to the writer that
 * changes the bytes (and would need a format version bump and a migration) fails the tests.
 */
import { tensor } from '../../src/state/tensor.js';
import type { StateTree } from '../../src/checkpoint/index.js';

export function goldenTree(): StateTree {
  return {
    model: {
      'layer.1': { weight: tensor('float32', [2, 3], [0.5, -1, 2.25, Number.NaN, -0, 3]), bias: tensor('float16', [2], [0x3c00, 0xbc00]) },
      step: tensor('int64', [], [1234]),
    },
    optimizer: { lr: 0.001, betas: [0.9, 0.999], state: [{ exp_avg: tensor('float64', [2], [1e-8, -1e-8]) }] },
    trainer: { epoch: 3, best: Number.POSITIVE_INFINITY, stopped: false, monitor: 'val_loss', note: null },
    rng: { seed: tensor('uint32', [4], [1, 2, 3, 4]) },
    $special: { flags: tensor('bool', [3], [1, 0, 1]) },
  };
}

/**
 * The version-0 file of {@link goldenTree}, assembled by hand as the prototype writer laid it out: the tree under
 * `__metadata__.kindling` with `{"__tensor__": name}` references, no escaping, no checksums. Version 0 could not
 * store NaN/±Infinity/-0 outside tensors (JSON wrote them as null), so `trainer.best` is null here.
 */
export function goldenV0Bytes(): Uint8Array {
  const f32 = new Float32Array([0.5, -1, 2.25, Number.NaN, -0, 3]);
  const parts: [string, string, number[], Uint8Array][] = [
    ['model.step', 'I64', [], new Uint8Array(new BigInt64Array([1234n]).buffer)],
    ['optimizer.state.0.exp_avg', 'F64', [2], new Uint8Array(new Float64Array([1e-8, -1e-8]).buffer)],
    ['model.layer\\.1.weight', 'F32', [2, 3], new Uint8Array(f32.buffer)],
    ['rng.seed', 'U32', [4], new Uint8Array(new Uint32Array([1, 2, 3, 4]).buffer)],
    ['model.layer\\.1.bias', 'F16', [2], new Uint8Array(new Uint16Array([0x3c00, 0xbc00]).buffer)],
    ['$special.flags', 'BOOL', [3], new Uint8Array([1, 0, 1])],
  ];
  const ref = (name: string): { __tensor__: string } => ({ __tensor__: name });
  const tree = {
    model: { 'layer.1': { weight: ref('model.layer\\.1.weight'), bias: ref('model.layer\\.1.bias') }, step: ref('model.step') },
    optimizer: { lr: 0.001, betas: [0.9, 0.999], state: [{ exp_avg: ref('optimizer.state.0.exp_avg') }] },
    trainer: { epoch: 3, best: null, stopped: false, monitor: 'val_loss', note: null },
    rng: { seed: ref('rng.seed') },
    $special: { flags: ref('$special.flags') },
  };
  const entries: string[] = [`"__metadata__":${JSON.stringify({ kindling: JSON.stringify(tree) })}`];
  let offset = 0;
  for (const [name, dtype, shape, bytes] of parts) {
    entries.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype, shape, data_offsets: [offset, offset + bytes.length] })}`);
    offset += bytes.length;
  }
  let json = `{${entries.join(',')}}`;
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  return new Uint8Array(Buffer.concat([length, Buffer.from(json), ...parts.map((p) => p[3])]));
}
