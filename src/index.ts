export * from './state/index.js';
