/**
 * The data layer's one import of tfjs. It uses the same tfjs-core module as the engine (src/components/engine/),
 * so batches are made on whichever backend `initEngine()` started.
 */
export { dispose, memory, stack, Tensor as TfTensor, tensor as tfTensor } from '@tensorflow/tfjs-core';
export type { DataType as TfDataType } from '@tensorflow/tfjs-core';
