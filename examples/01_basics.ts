// Lecture 01: the loss of a linear model y = x * w, tried for w in [0, 4].
import { print, float } from './print.js';

const x_data = [1.0, 2.0, 3.0];
const y_data = [2.0, 4.0, 6.0];

let w = 1.0; // set by the loop below

// our model for the forward pass
function forward(x: number): number {
  return x * w;
}

// Loss function
function loss(x: number, y: number): number {
  const y_pred = forward(x);
  return (y_pred - y) * (y_pred - y);
}

// List of weights/Mean square Error (MSE) for each input
const w_list: number[] = [];
const mse_list: number[] = [];

for (let i = 0; i <= 40; i++) {
  w = i / 10; // np.arange(0.0, 4.1, 0.1)
  // Print the weights and initialize the loss
  print('w=', float(w));
  let l_sum = 0;
  for (let j = 0; j < x_data.length; j++) {
    const [x_val, y_val] = [x_data[j], y_data[j]];
    // For each input and output, calculate y_hat; compute the total loss and add to the total error
    const y_pred_val = forward(x_val);
    const l = loss(x_val, y_val);
    l_sum += l;
    print('\t', float(x_val), float(y_val), float(y_pred_val), float(l));
  }
  // Now compute the Mean squared error (MSE) of each and aggregate the weight/MSE from this run
  print('MSE=', float(l_sum / 3));
  w_list.push(w);
  mse_list.push(l_sum / 3);
}

// The course plots mse_list against w_list; the minimum is at w = 2.
const best = mse_list.indexOf(Math.min(...mse_list));
print('Lowest MSE', float(mse_list[best]), 'at w=', float(w_list[best]));
