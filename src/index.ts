export * from './state/index.js';
export * from './components/callbacks/index.js';
