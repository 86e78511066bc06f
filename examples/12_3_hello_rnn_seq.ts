// Lecture 12-3: teach an RNN 'hihell' -> 'ihello', the whole sequence in one
// call to nn.RNN (batch_first), one CrossEntropyLoss over its six outputs.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

torch.manual_seed(777); // reproducibility

const idx2char = ['h', 'i', 'e', 'l', 'o'];

// Teach hihell -> ihello
const x_data = [[0, 1, 0, 2, 3, 3]]; // hihell
const x_one_hot = [[[1, 0, 0, 0, 0], // h 0
                    [0, 1, 0, 0, 0], // i 1
                    [1, 0, 0, 0, 0], // h 0
                    [0, 0, 1, 0, 0], // e 2
                    [0, 0, 0, 1, 0], // l 3
                    [0, 0, 0, 1, 0]]]; // l 3

const y_data = [1, 0, 2, 3, 3, 4]; // ihello

// As we have one batch of samples, we make them tensors only once
const inputs = torch.tensor(x_one_hot);
const labels = torch.LongTensor(y_data);

const num_classes = 5;
const input_size = 5; // one-hot size
const hidden_size = 5; // output from the RNN. 5 to directly predict one-hot
const batch_size = 1; // one sentence
const sequence_length = 6; // |ihello| == 6
const num_layers = 1; // one-layer rnn

class RNN extends nn.Module {
  num_classes: number;
  num_layers: number;
  input_size: number;
  hidden_size: number;
  sequence_length: number;
  rnn: torch.nn.RNN;

  constructor(num_classes: number, input_size: number, hidden_size: number, num_layers: number) {
    super();
    this.num_classes = num_classes;
    this.num_layers = num_layers;
    this.input_size = input_size;
    this.hidden_size = hidden_size;
    this.sequence_length = sequence_length;

    this.rnn = new nn.RNN(5, 5, { batch_first: true }); // input_size=5, hidden_size=5
  }

  forward(x: torch.Tensor): torch.Tensor {
    // Initialize hidden and cell states
    // (num_layers * num_directions, batch, hidden_size) for batch_first=True
    const h_0 = torch.zeros(this.num_layers, x.size(0), this.hidden_size);

    // Reshape input (the course discards the result: x is already this shape)
    x.view(x.size(0), this.sequence_length, this.input_size);

    // Propagate input through RNN
    // Input: (batch, seq_len, input_size)
    // h_0: (num_layers * num_directions, batch, hidden_size)
    const [out] = this.rnn.forward(x, h_0) as [torch.Tensor, torch.Tensor];
    return out.view(-1, num_classes);
  }
}

// Instantiate RNN model
const rnn = new RNN(num_classes, input_size, hidden_size, num_layers);
print(String(rnn));

// Set loss and optimizer function
// CrossEntropyLoss = LogSoftmax + NLLLoss
const criterion = new torch.nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(rnn.parameters(), { lr: 0.1 });

// Train the model
for (let epoch = 0; epoch < 100; epoch++) {
  const outputs = rnn.forward(inputs);
  optimizer.zero_grad();
  const loss = criterion.forward(outputs, labels);
  loss.backward();
  optimizer.step();
  const [, idx] = outputs.max(1);
  const result_str = (idx.tolist() as number[]).map((c) => idx2char[c]);
  print(`epoch: ${epoch + 1}, loss: ${loss.item().toFixed(3)}`);
  print('Predicted string: ', result_str.join(''));
}

print('Learning finished!');
