/**
 * The data layer's one import of tfjs. The engine module (src/components/engine/) will own backend selection; until
 * it is merged, the data layer uses tfjs-core directly and whichever backend the program has registered.
 */
export { dispose, memory, stack, Tensor as TfTensor, tensor as tfTensor } from '@tensorflow/tfjs-core';
export type { DataType as TfDataType } from '@tensorflow/tfjs-core';
