// Lecture 08-2: the diabetes network trained from a shuffled DataLoader.
import * as torch from '../src/index.js';
import { print } from './print.js';
import { loadDiabetes } from './diabetes.js';
const { nn, optim } = torch;
const { Dataset, DataLoader } = torch.utils.data;

/** Diabetes dataset. PyTorch's __getitem__/__len__ are getitem()/len() here. */
class DiabetesDataset extends Dataset<[torch.Tensor, torch.Tensor]> {
  private readonly x_data: torch.Tensor;
  private readonly y_data: torch.Tensor;

  constructor() {
    super();
    ({ x_data: this.x_data, y_data: this.y_data } = loadDiabetes());
  }
  getitem(index: number): [torch.Tensor, torch.Tensor] {
    return [this.x_data.select(0, index), this.y_data.select(0, index)];
  }
  len(): number {
    return this.x_data.shape[0];
  }
}

const dataset = new DiabetesDataset();
const train_loader = new DataLoader(dataset, { batch_size: 32, shuffle: true });

class Model extends nn.Module {
  l1 = new nn.Linear(8, 6);
  l2 = new nn.Linear(6, 4);
  l3 = new nn.Linear(4, 1);
  sigmoid = new nn.Sigmoid();

  forward(x: torch.Tensor): torch.Tensor {
    const out1 = this.sigmoid.forward(this.l1.forward(x));
    const out2 = this.sigmoid.forward(this.l2.forward(out1));
    return this.sigmoid.forward(this.l3.forward(out2));
  }
}

// our model
const model = new Model();

// Construct our loss function and an Optimizer.
const criterion = new nn.BCELoss({ reduction: 'sum' });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });

// Training loop
for (let epoch = 0; epoch < 2; epoch++) {
  let i = 0;
  for (const data of train_loader) {
    // get the inputs
    const [inputs, labels] = data as [torch.Tensor, torch.Tensor];

    // Forward pass: compute predicted y by passing x to the model
    const y_pred = model.forward(inputs);

    // Compute and print loss
    const loss = criterion.forward(y_pred, labels);
    print(`Epoch ${epoch + 1} | Batch: ${i + 1} | Loss: ${loss.item().toFixed(4)}`);

    // Zero gradients, perform a backward pass, and update the weights.
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    i++;
  }
}
