// One training step of lecture 09's MLP 784-520-320-240-120-10 (ReLU), batch 64,
// cross-entropy (log_softmax + nll), SGD lr 0.01 momentum 0.5.
// Both sides wrap the step in tidy() so per-step tensors are freed at once.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';
import { MLP } from '../../examples/mnist_models.js';

const { optim } = torch;
const F = torch.nn.functional;
export const SIZES = [784, 520, 320, 240, 120, 10];
const BATCH = 64;
const X = randomArray(BATCH * 784, 5, 0, 1);
const LABELS = Int32Array.from({ length: BATCH }, (_, i) => (i * 7 + 3) % 10);


export const mlpCase: Case = {
  name: 'mlp train step (b64)',
  rate: {
    // forward + backward (dX and dW) GEMMs: 3 · 2 · batch · Σ in·out
    amount: (6 * BATCH * SIZES.slice(1).reduce((s, o, i) => s + SIZES[i] * o, 0)) / 1e9,
    unit: 'GFLOP/s',
  },
  torch: () => {
    torch.manual_seed(0);
    const model = new MLP();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const x = torch.from_numpy(X, [BATCH, 1, 28, 28]);
    const y = torch.from_numpy(LABELS);
    return {
      run: () => torch.tidy(() => {
        optimizer.zero_grad();
        const loss = F.cross_entropy(model.forward(x), y);
        loss.backward();
        optimizer.step();
      }),
      dispose: () => {
        x.dispose(); y.dispose();
        for (const p of model.parameters()) p.dispose();
      },
    };
  },
  tf: () => {
    const net = tfMlp();
    const opt = tf.train.momentum(0.01, 0.5);
    const x = tf.tensor2d(X, [BATCH, 784]);
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10), 'float32'));
    return {
      run: () => tf.tidy(() => { opt.minimize(() => net.loss(x, y), false, net.vars); }),
      dispose: () => { opt.dispose(); x.dispose(); y.dispose(); net.vars.forEach((v) => v.dispose()); },
    };
  },
};

/** The same MLP in tfjs (shared with the MNIST epoch case): its variables and its cross-entropy loss. */
export function tfMlp(): { vars: tf.Variable[]; loss: (x: tf.Tensor2D, y: tf.Tensor) => tf.Scalar } {
  const ws: tf.Variable[] = [];
  const bs: tf.Variable[] = [];
  for (let i = 0; i < 5; i++) {
    const bound = 1 / Math.sqrt(SIZES[i]);
    ws.push(tf.variable(tf.randomUniform([SIZES[i], SIZES[i + 1]], -bound, bound, 'float32', 1 + i)));
    bs.push(tf.variable(tf.randomUniform([SIZES[i + 1]], -bound, bound, 'float32', 11 + i)));
  }
  const loss = (x: tf.Tensor2D, y: tf.Tensor): tf.Scalar => {
    let h: tf.Tensor2D = x;
    for (let i = 0; i < 5; i++) {
      h = tf.add(tf.matMul(h, ws[i]), bs[i]);
      if (i < 4) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  };
  return { vars: [...ws, ...bs], loss };
}
