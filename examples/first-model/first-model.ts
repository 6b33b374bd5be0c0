import * as tf from '@tensorflow/tfjs-core';
import { AdamW, crossEntropy, DataLoader, Generator, initEngine, Linear, loadDigits, ModelCheckpoint, Module, persist, randomSplit, stateful, Trainer } from 'kindling';
import { DigitsMlpState } from './first-model.state.generated.js';

type Batch = { image: tf.Tensor2D; label: tf.Tensor1D };

@stateful(DigitsMlpState) // the state code `npx kindling codegen` writes next to this file
export class DigitsMlp extends Module {
  @persist() fc1 = new Linear(64, 32);
  @persist() fc2 = new Linear(32, 10);

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(tf.relu(this.fc1.forward(x))));
  }
  trainingStep(batch: Batch): tf.Scalar {
    const loss = tf.tidy(() => crossEntropy(this.forward(batch.image), batch.label) as tf.Scalar);
    this.log('train_loss', loss, { progBar: true });
    return loss;
  }
  validationStep(batch: Batch): void {
    tf.tidy(() => this.log('val_loss', crossEntropy(this.forward(batch.image), batch.label), { progBar: true }));
  }
  configureOptimizers() {
    return new AdamW(this.namedParameters(), { lr: 0.01 });
  }
}

await initEngine();
const dir = process.argv[2] ?? 'first-model-run';
const [train, val] = randomSplit(await loadDigits(), [0.9, 0.1], new Generator(0));
const trainer = new Trainer({ maxEpochs: 5, seed: 0, defaultRootDir: dir, callbacks: [new ModelCheckpoint({ saveLast: true })] });
await trainer.fit(new DigitsMlp(), { trainDataloaders: new DataLoader(train!, { batchSize: 64, shuffle: true }), valDataloaders: new DataLoader(val!, { batchSize: 256 }) });
console.log(`val_loss after ${trainer.currentEpoch} epochs: ${trainer.callbackMetrics['val_loss']?.toFixed(3)}`);
// Later, or after a crash: trainer.fit(model, data, { ckptPath: `${dir}/checkpoints/last.ckpt` }) continues exactly.
