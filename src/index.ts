export * from './state/index.js';
export * from './components/rng/index.js';
export * from './components/data/index.js';
