export { checkedState, type StateCheck } from './checked-state.js';
export { defaultGenerator, seedEverything } from './default.js';
export { DEFAULT_SEED, type FloatArray, Generator, type IntegerArray, type Seed } from './generator.js';
export { GeneratorState } from './generator.state.generated.js';
