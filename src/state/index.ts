export * from './codec.js';
export * from './decorators.js';
export * from './engine.js';
export * from './errors.js';
export * from './load-plan.js';
export * from './metadata.js';
export * from './stateful.js';
export * from './tensor.js';
