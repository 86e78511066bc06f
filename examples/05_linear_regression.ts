// Lecture 05: linear regression with nn.Linear, MSELoss and SGD.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn, optim } = torch;

const x_data = torch.tensor([[1.0], [2.0], [3.0]]);
const y_data = torch.tensor([[2.0], [4.0], [6.0]]);

class Model extends nn.Module {
  linear = new nn.Linear(1, 1); // one in and one out

  forward(x: torch.Tensor): torch.Tensor {
    const y_pred = this.linear.forward(x);
    return y_pred;
  }
}

// our model
const model = new Model();

// Construct our loss function and an Optimizer. The call to model.parameters()
// in the SGD constructor will contain the learnable parameters of the one
// nn.Linear module which is a member of the model.
const criterion = new nn.MSELoss({ size_average: false });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01 });

// Training loop
for (let epoch = 0; epoch < 500; epoch++) {
  // 1) Forward pass: compute predicted y by passing x to the model
  const y_pred = model.forward(x_data);

  // 2) Compute and print loss
  const loss = criterion.forward(y_pred, y_data);
  print(`Epoch: ${epoch} | Loss: ${loss.item()} `);

  // Zero gradients, perform a backward pass, and update the weights.
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}

// After training
const hour_var = torch.tensor([[4.0]]);
const y_pred = model.forward(hour_var);
print('Prediction (after training)', 4, y_pred.data.select(0, 0).select(0, 0).item());
