/**
 * Kernels that tfjs 4.22's wasm backend lacks but kindling's gradients need. Today that is one:
 * `UnsortedSegmentSum`, which the gradient of `tf.gather` (an embedding lookup) calls. Without it, backpropagating
 * through an embedding on wasm throws "Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'".
 *
 * It is built from the wasm backend's own `ScatterNd` kernel, which adds updates that share an index, so a segment
 * sum is a scatter of the rows of `x` to their segment ids. No math is re-implemented; only shapes are rearranged.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EngineError } from './errors.js';

const WASM = 'wasm';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = (attrs as { numSegments: number }).numSegments;
  const scatter = tf.getKernel(tf.ScatterNd, WASM);
  if (scatter === undefined) throw new EngineError('the wasm backend has no ScatterNd kernel to build UnsortedSegmentSum from');
  if (segmentIds.dtype !== 'int32') throw new EngineError(`UnsortedSegmentSum on wasm takes int32 segment ids, got ${segmentIds.dtype}`);
  // ScatterNd writes wherever an index points, so an id out of range must be refused here rather than written.
  const ids = (backend as tf.KernelBackend).readSync(segmentIds.dataId) as Int32Array;
  const bad = ids.findIndex((id) => id < 0 || id >= numSegments);
  if (bad >= 0) throw new EngineError(`UnsortedSegmentSum: segment id ${ids[bad]} at ${bad} is outside [0, ${numSegments})`);
  const rows = ids.length;
  const rest = x.shape.slice(segmentIds.shape.length);
  // Same data, viewed as [rows, 1] indices and [rows, ...rest] updates: no copy, no new tensor to dispose.
  const indices: tf.TensorInfo = { dataId: segmentIds.dataId, shape: [rows, 1], dtype: 'int32' };
  const updates: tf.TensorInfo = { dataId: x.dataId, shape: [rows, ...rest], dtype: x.dtype };
  return scatter.kernelFunc({ inputs: { indices, updates }, backend, attrs: { shape: [numSegments, ...rest] } }) as tf.TensorInfo;
}

/** Registers the missing kernels with the wasm backend (once; a kernel tfjs already has is left alone). */
export function registerMissingWasmKernels(): void {
  if (tf.getKernel(tf.UnsortedSegmentSum, WASM) === undefined) {
    tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: WASM, kernelFunc: unsortedSegmentSum });
  }
}
