// Lecture 08-1: a custom Dataset and the DataLoader (batches of 32, shuffled).
import * as torch from '../src/index.js';
import { print } from './print.js';
import { loadDiabetes } from './diabetes.js';
const { Dataset, DataLoader } = torch.utils.data;

/** Diabetes dataset. PyTorch's __getitem__/__len__ are getitem()/len() here. */
class DiabetesDataset extends Dataset<[torch.Tensor, torch.Tensor]> {
  private readonly x_data: torch.Tensor;
  private readonly y_data: torch.Tensor;
  private readonly length: number;

  // Initialize your data, download, etc.
  constructor() {
    super();
    const { x_data, y_data } = loadDiabetes();
    this.length = x_data.shape[0];
    this.x_data = x_data;
    this.y_data = y_data;
  }

  getitem(index: number): [torch.Tensor, torch.Tensor] {
    return [this.x_data.select(0, index), this.y_data.select(0, index)];
  }

  len(): number {
    return this.length;
  }
}

const dataset = new DiabetesDataset();
const train_loader = new DataLoader(dataset, { batch_size: 32, shuffle: true });

for (let epoch = 0; epoch < 2; epoch++) {
  let i = 0;
  for (const data of train_loader) {
    // get the inputs
    const [inputs, labels] = data as [torch.Tensor, torch.Tensor];
    // Run your training process
    print(`Epoch: ${i} | Inputs ${inputs.data} | Labels ${labels.data}`);
    i++;
  }
}
