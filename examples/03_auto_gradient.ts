// Lecture 03: the same model, with the gradient from autograd.
import * as torch from '../src/index.js';
import { print, float } from './print.js';

const x_data = [1.0, 2.0, 3.0];
const y_data = [2.0, 4.0, 6.0];
const w = torch.tensor([1.0], { requires_grad: true });

// our model forward pass
function forward(x: number): torch.Tensor {
  return w.mul(x);
}

// Loss function
function loss(y_pred: torch.Tensor, y_val: number): torch.Tensor {
  return y_pred.sub(y_val).pow(2);
}

// Before training
print('Prediction (before training)', 4, float(forward(4).item()));

// Training loop
for (let epoch = 0; epoch < 10; epoch++) {
  let l = torch.tensor(0);
  for (let i = 0; i < x_data.length; i++) {
    const [x_val, y_val] = [x_data[i], y_data[i]];
    const y_pred = forward(x_val); // 1) Forward pass
    l = loss(y_pred, y_val); // 2) Compute loss
    l.backward(); // 3) Back propagation to update weights
    print('\tgrad: ', float(x_val), float(y_val), float(w.grad!.item()));
    w.data = w.data.sub(w.grad!.item() * 0.01);

    // Manually zero the gradients after updating weights
    w.grad!.data.zero_();
  }
  print(`Epoch: ${epoch} | Loss: ${l.item()}`);
}

// After training
print('Prediction (after training)', 4, forward(4).item());
