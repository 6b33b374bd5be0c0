export * from './state/index.js';
export * from './components/callbacks/index.js';
export * from './components/engine/index.js';
export * from './components/nn/functional/index.js';
export * from './components/optim/functional/index.js';
export * from './components/precision/index.js';
export * from './components/schedulers/index.js';
