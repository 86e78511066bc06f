// Lecture 12-1: the shapes an nn.RNN takes and gives, one step at a time,
// for a whole sequence, for a batch, and sequence-first.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

const size = (t: torch.Tensor) => `torch.Size([${t.shape.join(', ')}])`;

// One hot encoding for each char in 'hello'
const h = [1, 0, 0, 0];
const e = [0, 1, 0, 0];
const l = [0, 0, 1, 0];
const o = [0, 0, 0, 1];

// One cell RNN input_dim (4) -> output_dim (2). sequence: 5
let cell = new nn.RNN(4, 2, { batch_first: true });

// (num_layers * num_directions, batch, hidden_size) whether batch_first=True or False
let hidden = torch.randn(1, 1, 2);

// Propagate input through RNN; input: (batch, seq_len, input_size) when batch_first=True
let inputs = torch.tensor([h, e, l, l, o]);
for (let i = 0; i < inputs.size(0); i++) {
  const one = inputs.select(0, i).view(1, 1, -1);
  let out: torch.Tensor;
  [out, hidden] = cell.forward(one, hidden) as [torch.Tensor, torch.Tensor];
  print('one input size', size(one), 'out size', size(out));
}

// We can do the whole at once
inputs = inputs.view(1, 5, -1);
let [out] = cell.forward(inputs, hidden) as [torch.Tensor, torch.Tensor];
print('sequence input size', size(inputs), 'out size', size(out));

// hidden : (num_layers * num_directions, batch, hidden_size) whether batch_first=True or False
hidden = torch.randn(1, 3, 2);

// One cell RNN input_dim (4) -> output_dim (2). sequence: 5, batch 3
// 3 batches 'hello', 'eolll', 'lleel'; rank = (3, 5, 4)
inputs = torch.tensor([[h, e, l, l, o],
                       [e, o, l, l, l],
                       [l, l, e, e, l]]);

// B x S x I
[out, hidden] = cell.forward(inputs, hidden) as [torch.Tensor, torch.Tensor];
print('batch input size', size(inputs), 'out size', size(out));

// One cell RNN input_dim (4) -> output_dim (2)
cell = new nn.RNN(4, 2);

// The given dimensions dim0 and dim1 are swapped: S x B x I
inputs = inputs.transpose(0, 1);
[out, hidden] = cell.forward(inputs, hidden) as [torch.Tensor, torch.Tensor];
print('batch input size', size(inputs), 'out size', size(out));
