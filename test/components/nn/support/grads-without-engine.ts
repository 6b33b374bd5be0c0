// Differentiates a layer without calling initEngine() first, importing kindling as a program does (which registers
// tfjs's cpu backend but no gradients): prints the error's name and message (see no-engine.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { Linear, valueAndGrads } from '../../../../src/index.js';

const layer = new Linear(2, 1);
try {
  valueAndGrads(layer, () => tf.sum(layer.forward(tf.ones([1, 2]))) as tf.Scalar);
  console.log('no error');
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
