// One training step of lecture 10's CNN at batch 64: conv 5x5 (1->10),
// max-pool 2, ReLU, conv 5x5 (10->20), max-pool 2, ReLU, linear 320->10,
// log_softmax + nll; SGD lr 0.01 momentum 0.5. tfjs uses its NHWC layout.
// tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so it cannot
// train this network at all (the run reports the failure); tfjs-cpu can.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';
import { CNN } from '../../examples/mnist_models.js';

const { optim } = torch;
const F = torch.nn.functional;
const BATCH = 64;
const X = randomArray(BATCH * 784, 13, 0, 1);
const LABELS = Int32Array.from({ length: BATCH }, (_, i) => (i * 3 + 1) % 10);


export const cnnCase: Case = {
  name: 'cnn train step (b64)',
  torch: () => {
    torch.manual_seed(0);
    const model = new CNN();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const x = torch.from_numpy(X, [BATCH, 1, 28, 28]);
    const y = torch.from_numpy(LABELS);
    return {
      run: () => torch.tidy(() => {
        optimizer.zero_grad();
        const loss = F.nll_loss(model.forward(x), y);
        loss.backward();
        optimizer.step();
      }),
      dispose: () => { x.dispose(); y.dispose(); for (const p of model.parameters()) p.dispose(); },
    };
  },
  tf: () => {
    const u = (shape: number[], fanIn: number, seed: number) =>
      tf.variable(tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed));
    const w1 = u([5, 5, 1, 10], 25, 1), b1 = u([10], 25, 2);
    const w2 = u([5, 5, 10, 20], 250, 3), b2 = u([20], 250, 4);
    const w3 = u([320, 10], 320, 5), b3 = u([10], 320, 6);
    const vars = [w1, b1, w2, b2, w3, b3];
    const opt = tf.train.momentum(0.01, 0.5);
    const x = tf.tensor4d(X, [BATCH, 28, 28, 1]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10), 'float32'));
    const forward = (): tf.Scalar => {
      let h = tf.relu(tf.maxPool(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'valid'), b1) as tf.Tensor4D, 2, 2, 'valid')) as tf.Tensor4D;
      h = tf.relu(tf.maxPool(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), b2) as tf.Tensor4D, 2, 2, 'valid')) as tf.Tensor4D;
      const logits = tf.add(tf.matMul(tf.reshape(h, [BATCH, 320]), w3 as tf.Tensor2D), b3);
      return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    };
    return {
      run: () => tf.tidy(() => { opt.minimize(forward, false, vars); }),
      dispose: () => { opt.dispose(); x.dispose(); y.dispose(); vars.forEach((v) => v.dispose()); },
    };
  },
};

/** The same network's forward pass and loss only, which tfjs-wasm can run. */
export const cnnForwardCase: Case = {
  name: 'cnn forward (b64)',
  libs: ['wasmtorch', 'tfjs-wasm'],
  torch: () => {
    torch.manual_seed(0);
    const model = new CNN();
    const x = torch.from_numpy(X, [BATCH, 1, 28, 28]);
    const y = torch.from_numpy(LABELS);
    return {
      run: () => torch.tidy(() => torch.no_grad(() => { F.nll_loss(model.forward(x), y); })),
      dispose: () => { x.dispose(); y.dispose(); for (const p of model.parameters()) p.dispose(); },
    };
  },
  tf: () => {
    const u = (shape: number[], fanIn: number, seed: number) =>
      tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn), 'float32', seed);
    const w1 = u([5, 5, 1, 10], 25, 1), b1 = u([10], 25, 2);
    const w2 = u([5, 5, 10, 20], 250, 3), b2 = u([20], 250, 4);
    const w3 = u([320, 10], 320, 5), b3 = u([10], 320, 6);
    const x = tf.tensor4d(X, [BATCH, 28, 28, 1]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10), 'float32'));
    return {
      run: () => tf.tidy(() => {
        let h = tf.relu(tf.maxPool(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'valid'), b1) as tf.Tensor4D, 2, 2, 'valid')) as tf.Tensor4D;
        h = tf.relu(tf.maxPool(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), b2) as tf.Tensor4D, 2, 2, 'valid')) as tf.Tensor4D;
        tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.reshape(h, [BATCH, 320]), w3 as tf.Tensor2D), b3));
      }),
      dispose: () => { [w1, b1, w2, b2, w3, b3, x, y].forEach((t) => t.dispose()); },
    };
  },
};
