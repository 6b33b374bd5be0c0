/**
 * kindling's tensor engine: tfjs-core with the wasm (default) or cpu backend, tfjs's gradients registered, the
 * conversion between tfjs tensors and kindling's state {@link Tensor}, and helpers that keep tfjs memory flat.
 * Start it with `await initEngine()` before any tensor work. See docs/design/tensor-engine.md.
 */
export { BACKEND_ENV_VAR, BACKEND_NAMES, type BackendName, currentBackend, type EngineInfo, type EngineOptions, initEngine, wasmBinaryDir } from './backend.js';
export { ENGINE_DTYPES, type EngineDType, fromTfTensor, isEngineDType, toTfTensor } from './convert.js';
export { EngineError } from './errors.js';
export { registerGradients } from './gradients.js';
export { disposeTensors, expectNoTensorLeak, liveTensorCount, replaceTensor } from './memory.js';
