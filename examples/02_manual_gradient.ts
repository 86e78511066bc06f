// Lecture 02: gradient descent with a hand-derived gradient.
import { print, round, float } from './print.js';

const x_data = [1.0, 2.0, 3.0];
const y_data = [2.0, 4.0, 6.0];

let w = 1.0; // a random guess: random value

// our model forward pass
function forward(x: number): number {
  return x * w;
}

// Loss function
function loss(x: number, y: number): number {
  const y_pred = forward(x);
  return (y_pred - y) * (y_pred - y);
}

// compute gradient: d_loss/d_w
function gradient(x: number, y: number): number {
  return 2 * x * (x * w - y);
}

// Before training
print('Prediction (before training)', 4, float(forward(4)));

// Training loop
for (let epoch = 0; epoch < 10; epoch++) {
  let l = 0;
  for (let i = 0; i < x_data.length; i++) {
    const [x_val, y_val] = [x_data[i], y_data[i]];
    // Compute derivative w.r.t to the learned weights, update the weights, compute the loss
    const grad = gradient(x_val, y_val);
    w = w - 0.01 * grad;
    print('\tgrad: ', float(x_val), float(y_val), round(grad, 2));
    l = loss(x_val, y_val);
  }
  print('progress:', epoch, 'w=', round(w, 2), 'loss=', round(l, 2));
}

// After training
print('Predicted score (after training)', '4 hours of studying: ', float(forward(4)));
