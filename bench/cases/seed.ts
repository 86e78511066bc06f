// The seed program (lecture 05): nn.Linear(1, 1), MSELoss(reduction 'sum'),
// SGD lr 0.01, 500 epochs on x=[[1],[2],[3]], y=[[2],[4],[6]]. Each run is
// the whole program: build the model, train, read the loss every epoch (the
// lecture prints it), predict for x=4. Written as a user would, no tidy().
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import type { Case } from './types.js';

const { nn, optim } = torch;
const EPOCHS = 500;

export const seedCase: Case = {
  name: 'seed: lecture 05, 500 epochs',
  tol: 1e-2,
  torch: () => {
    const x_data = torch.tensor([[1.0], [2.0], [3.0]]);
    const y_data = torch.tensor([[2.0], [4.0], [6.0]]);
    const hour = torch.tensor([[4.0]]);
    let prediction = NaN;
    return {
      run: () => {
        const model = new nn.Linear(1, 1);
        const criterion = new nn.MSELoss({ reduction: 'sum' });
        const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });
        for (let epoch = 0; epoch < EPOCHS; epoch++) {
          const y_pred = model.forward(x_data);
          const loss = criterion.forward(y_pred, y_data);
          loss.item();
          optimizer.zero_grad();
          loss.backward();
          optimizer.step();
        }
        prediction = model.forward(hour).item();
      },
      check: () => prediction,
      dispose: () => { x_data.dispose(); y_data.dispose(); hour.dispose(); },
    };
  },
  tf: () => {
    const x = tf.tensor2d([[1], [2], [3]]);
    const y = tf.tensor2d([[2], [4], [6]]);
    const hour = tf.tensor2d([[4]]);
    let prediction = NaN;
    return {
      run: () => {
        const w = tf.variable(tf.randomUniform([1, 1], -1, 1));
        const b = tf.variable(tf.randomUniform([1], -1, 1));
        const opt = tf.train.sgd(0.01);
        const f = () => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar;
        for (let epoch = 0; epoch < EPOCHS; epoch++) {
          const cost = opt.minimize(f, true, [w, b])!;
          cost.dataSync();
          cost.dispose();
        }
        prediction = tf.tidy(() => tf.add(tf.matMul(hour, w), b).dataSync()[0]);
        opt.dispose(); w.dispose(); b.dispose();
      },
      check: () => prediction,
      dispose: () => { x.dispose(); y.dispose(); hour.dispose(); },
    };
  },
};
