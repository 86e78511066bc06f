// Lecture 07: a wide & deep network (8-6-4-1, sigmoid) on the diabetes data.
import * as torch from '../src/index.js';
import { print } from './print.js';
import { loadDiabetes } from './diabetes.js';
const { nn, optim } = torch;

const { x_data, y_data } = loadDiabetes();
print(`X's shape: torch.Size([${x_data.shape.join(', ')}]) | Y's shape: torch.Size([${y_data.shape.join(', ')}])`);

class Model extends nn.Module {
  l1 = new nn.Linear(8, 6);
  l2 = new nn.Linear(6, 4);
  l3 = new nn.Linear(4, 1);
  sigmoid = new nn.Sigmoid();

  forward(x: torch.Tensor): torch.Tensor {
    const out1 = this.sigmoid.forward(this.l1.forward(x));
    const out2 = this.sigmoid.forward(this.l2.forward(out1));
    const y_pred = this.sigmoid.forward(this.l3.forward(out2));
    return y_pred;
  }
}

// our model
const model = new Model();

// Construct our loss function and an Optimizer.
const criterion = new nn.BCELoss({ reduction: 'mean' });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

// Training loop
for (let epoch = 0; epoch < 100; epoch++) {
  // Forward pass: compute predicted y by passing x to the model
  const y_pred = model.forward(x_data);

  // Compute and print loss
  const loss = criterion.forward(y_pred, y_data);
  print(`Epoch: ${epoch + 1}/100 | Loss: ${loss.item().toFixed(4)}`);

  // Zero gradients, perform a backward pass, and update the weights.
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
