// Tests of the data layer run on tfjs's cpu backend; the engine module will own backend selection.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

// tfjs's cpu backend prints an install hint on first use unless IS_TEST is set.
tf.env().set('IS_TEST', true);
await tf.setBackend('cpu');

export { tf };
