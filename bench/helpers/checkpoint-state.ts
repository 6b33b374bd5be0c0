/**
 * The benchmark's training state: a GPT-2-small-like model's parameters (float32) plus Adam's two moments, about
 * 1 GiB in total, in tensors of the sizes real checkpoints have (one large embedding, many 1–16 MiB matrices, many
 * tiny vectors).
 */
import type { StateTree } from '../../src/checkpoint/types.js';
import type { Tensor } from '../../src/state/tensor.js';
import { numel, zeros } from '../../src/state/tensor.js';

export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** The model's dimensions; the suite's quick mode uses a narrower, shallower model of the same layout. */
export interface ModelShape {
  readonly vocab: number;
  readonly width: number;
  readonly layers: number;
}

/** 1,071,624,192 bytes (0.998 GiB) with the moments: the `--full` size. */
export const FULL_MODEL: ModelShape = { vocab: 50_304, width: 1024, layers: 3 };
/** 126,001,152 bytes (120 MiB) with the moments: the quick mode's size. */
export const QUICK_MODEL: ModelShape = { vocab: 8192, width: 512, layers: 2 };

/**
 * The model of `bench/checkpoint.bench.ts`: the full one, or the quick one with `KINDLING_BENCH_MODEL=quick` (so that
 * its figures can be compared, one run right after the other, with an older tree patched the same way; BENCHMARKS.md).
 */
function defaultModel(): ModelShape {
  return process.env['KINDLING_BENCH_MODEL'] === 'quick' ? QUICK_MODEL : FULL_MODEL;
}

export function parameterSpecs(model: ModelShape = defaultModel()): ParameterSpec[] {
  const { vocab: VOCAB, width: WIDTH, layers: LAYERS } = model;
  const specs: ParameterSpec[] = [{ name: 'embed.weight', shape: [VOCAB, WIDTH] }];
  for (let l = 0; l < LAYERS; l++) {
    const p = `layers.${l}`;
    specs.push(
      { name: `${p}.ln1.weight`, shape: [WIDTH] },
      { name: `${p}.ln1.bias`, shape: [WIDTH] },
      { name: `${p}.attn.qkv.weight`, shape: [3 * WIDTH, WIDTH] },
      { name: `${p}.attn.qkv.bias`, shape: [3 * WIDTH] },
      { name: `${p}.attn.out.weight`, shape: [WIDTH, WIDTH] },
      { name: `${p}.attn.out.bias`, shape: [WIDTH] },
      { name: `${p}.ln2.weight`, shape: [WIDTH] },
      { name: `${p}.ln2.bias`, shape: [WIDTH] },
      { name: `${p}.mlp.up.weight`, shape: [4 * WIDTH, WIDTH] },
      { name: `${p}.mlp.up.bias`, shape: [4 * WIDTH] },
      { name: `${p}.mlp.down.weight`, shape: [WIDTH, 4 * WIDTH] },
      { name: `${p}.mlp.down.bias`, shape: [WIDTH] },
    );
  }
  specs.push({ name: 'ln_f.weight', shape: [WIDTH] }, { name: 'ln_f.bias', shape: [WIDTH] });
  return specs;
}

/** Bytes of the whole state: parameters plus two moments, 4 bytes per element. */
export function stateBytes(specs: readonly ParameterSpec[] = parameterSpecs()): number {
  return 3 * 4 * specs.reduce((sum, s) => sum + numel(s.shape), 0);
}

/** Fills with pseudo-random floats in [-0.5, 0.5): random mantissas, so neither compression nor zero pages help. */
function fillRandom(t: Tensor<'float32'>, seed: number): void {
  const words = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = ((x >>> 9) | 0x3f800000) >>> 0;
  }
  const f = t.data;
  for (let i = 0; i < f.length; i++) f[i] = f[i]! - 1.5;
}

/** The state tree as a trainer would save it. `random: false` gives zero tensors (the target of an in-place load). */
export function buildState(options: { random: boolean; specs?: readonly ParameterSpec[] }): StateTree {
  const specs = options.specs ?? parameterSpecs();
  const make = (shape: readonly number[], seed: number): Tensor<'float32'> => {
    const t = zeros('float32', shape);
    if (options.random) fillRandom(t, seed);
    return t;
  };
  const model: Record<string, Tensor> = {};
  const moments: { exp_avg: Tensor; exp_avg_sq: Tensor }[] = [];
  specs.forEach((s, i) => {
    model[s.name] = make(s.shape, 3 * i + 1);
    moments.push({ exp_avg: make(s.shape, 3 * i + 2), exp_avg_sq: make(s.shape, 3 * i + 3) });
  });
  return {
    model,
    optimizer: { step: 1000, lr: 3e-4, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, state: moments },
    trainer: { epoch: 3, global_step: 1000, best_val_loss: 2.875 },
  };
}

/** Every tensor of a tree, depth first (the order the checkpoint's own walk is free to differ from). */
export function tensorsOf(value: unknown, out: Tensor[] = []): Tensor[] {
  if (value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView((value as { data?: unknown }).data) && 'dtype' in value) {
    out.push(value as Tensor);
    return out;
  }
  for (const child of Object.values(value)) tensorsOf(child, out);
  return out;
}
