// Lecture 12-2: teach an RNN 'hihell' -> 'ihello', one character at a time.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

torch.manual_seed(777); // reproducibility

//                 0    1    2    3    4
const idx2char = ['h', 'i', 'e', 'l', 'o'];

// Teach hihell -> ihello
const x_data = [0, 1, 0, 2, 3, 3]; // hihell
const one_hot_lookup = [[1, 0, 0, 0, 0], // 0
                        [0, 1, 0, 0, 0], // 1
                        [0, 0, 1, 0, 0], // 2
                        [0, 0, 0, 1, 0], // 3
                        [0, 0, 0, 0, 1]]; // 4
const y_data = [1, 0, 2, 3, 3, 4]; // ihello
const x_one_hot = x_data.map((x) => one_hot_lookup[x]);

const inputs = torch.tensor(x_one_hot);
const labels = torch.LongTensor(y_data);

const num_classes = 5;
const input_size = 5; // one-hot size
const hidden_size = 5; // output from the RNN. 5 to directly predict one-hot
const batch_size = 1; // one sentence
const sequence_length = 1; // one by one
const num_layers = 1; // one-layer rnn

class Model extends nn.Module {
  rnn = new nn.RNN(input_size, hidden_size, { batch_first: true });

  forward(hidden: torch.Tensor, x: torch.Tensor): [torch.Tensor, torch.Tensor] {
    // Reshape input (batch first)
    x = x.view(batch_size, sequence_length, input_size);
    // Propagate input through RNN; input: (batch, seq_len, input_size), hidden: (layers * directions, batch, hidden_size)
    const [out, h] = this.rnn.forward(x, hidden) as [torch.Tensor, torch.Tensor];
    return [h, out.view(-1, num_classes)];
  }

  init_hidden(): torch.Tensor {
    // (num_layers * num_directions, batch, hidden_size)
    return torch.zeros(num_layers, batch_size, hidden_size);
  }
}

// Instantiate RNN model
const model = new Model();
print(String(model));

// Set loss and optimizer function; CrossEntropyLoss = LogSoftmax + NLLLoss
const criterion = new nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 0.1 });

// Train the model
for (let epoch = 0; epoch < 100; epoch++) {
  optimizer.zero_grad();
  let loss = torch.tensor(0);
  let hidden = model.init_hidden();
  let predicted = '';
  for (let i = 0; i < inputs.size(0); i++) {
    let output: torch.Tensor;
    [hidden, output] = model.forward(hidden, inputs.select(0, i));
    const [, idx] = output.max(1);
    predicted += idx2char[idx.item()];
    loss = loss.add(criterion.forward(output, labels.narrow(0, i, 1)));
  }
  print(`predicted string: ${predicted}, epoch: ${epoch + 1}, loss: ${loss.item().toFixed(3)}`);
  loss.backward();
  optimizer.step();
}
print('Learning finished!');
