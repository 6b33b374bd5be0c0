// Tests of the data layer run on the engine's cpu backend (started the way programs start it).
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '../../../src/components/engine/index.js';

await initEngine({ backend: 'cpu' });

export { tf };
