// One epoch of lecture 09-2: the 784-520-320-240-120-10 MLP over 8,000
// samples in batches of 64 (125 steps), SGD lr 0.01 momentum 0.5. wasmtorch
// goes through a shuffled DataLoader as the example does; tfjs slices
// batches from one tensor. tfjs-cpu is left out (about a minute per epoch).
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';

import { tfMlp } from './mlp.js';
import { MLP } from '../../examples/mnist_models.js';

const { optim } = torch;
const F = torch.nn.functional;
const N = 8000, BATCH = 64;
const X = randomArray(N * 784, 9, 0, 1);
const LABELS = Int32Array.from({ length: N }, (_, i) => (i * 7 + 3) % 10);

export const mnistEpochCase: Case = {
  name: 'mnist mlp epoch (8000, b64)',
  rate: { amount: N, unit: 'samples/s' },
  libs: ['wasmtorch', 'tfjs-wasm'],
  torch: () => {
    torch.manual_seed(0);
    const model = new MLP();
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
    const data = new torch.utils.data.TensorDataset(torch.from_numpy(X, [N, 1, 28, 28]), torch.from_numpy(LABELS));
    const loader = new torch.utils.data.DataLoader(data, { batch_size: BATCH, shuffle: true });
    return {
      run: () => {
        for (const [x, y] of loader as Iterable<[torch.Tensor, torch.Tensor]>) {
          optimizer.zero_grad();
          const loss = F.cross_entropy(model.forward(x), y);
          loss.backward();
          optimizer.step();
        }
      },
      dispose: () => { for (const p of model.parameters()) p.dispose(); },
    };
  },
  tf: () => {
    const net = tfMlp();
    const opt = tf.train.momentum(0.01, 0.5);
    const xs = tf.tensor2d(X, [N, 784]);
    const ys = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(LABELS, 'int32'), 10), 'float32'));
    return {
      run: () => {
        for (let start = 0; start < N; start += BATCH) {
          const size = Math.min(BATCH, N - start);
          tf.tidy(() => {
            const x = tf.slice(xs, [start, 0], [size, 784]), y = tf.slice(ys, [start, 0], [size, 10]);
            opt.minimize(() => net.loss(x, y), false, net.vars);
          });
        }
      },
      dispose: () => { opt.dispose(); xs.dispose(); ys.dispose(); net.vars.forEach((v) => v.dispose()); },
    };
  },
};
