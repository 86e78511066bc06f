// Lecture 06: logistic regression, sigmoid(Linear(1, 1)) with BCELoss.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn, optim } = torch;

// Training data and ground truth
const x_data = torch.tensor([[1.0], [2.0], [3.0], [4.0]]);
const y_data = torch.tensor([[0.0], [0.0], [1.0], [1.0]]);

class Model extends nn.Module {
  linear = new nn.Linear(1, 1); // one in and one out

  forward(x: torch.Tensor): torch.Tensor {
    const y_pred = torch.sigmoid(this.linear.forward(x));
    return y_pred;
  }
}

// our model
const model = new Model();

// Construct our loss function and an Optimizer.
const criterion = new nn.BCELoss({ reduction: 'mean' });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });

// Training loop
for (let epoch = 0; epoch < 1000; epoch++) {
  // Forward pass: compute predicted y by passing x to the model
  const y_pred = model.forward(x_data);

  // Compute and print loss
  const loss = criterion.forward(y_pred, y_data);
  print(`Epoch ${epoch + 1}/1000 | Loss: ${loss.item().toFixed(4)}`);

  // Zero gradients, perform a backward pass, and update the weights.
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}

// After training
print(`\nLet's predict the hours need to score above 50%\n${'='.repeat(50)}`);
let hour_var = model.forward(torch.tensor([[1.0]]));
print(`Prediction after 1 hour of training: ${hour_var.item().toFixed(4)} | Above 50%: ${hour_var.item() > 0.5 ? 'True' : 'False'}`);
hour_var = model.forward(torch.tensor([[7.0]]));
print(`Prediction after 7 hours of training: ${hour_var.item().toFixed(4)} | Above 50%: ${hour_var.item() > 0.5 ? 'True' : 'False'}`);
