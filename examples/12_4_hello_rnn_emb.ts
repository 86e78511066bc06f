// Lecture 12-4: 'hihell' -> 'ihello' again, the characters now looked up in
// an nn.Embedding instead of one-hot vectors, then an RNN and a Linear layer.
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

torch.manual_seed(777); // reproducibility

const idx2char = ['h', 'i', 'e', 'l', 'o'];

// Teach hihell -> ihello
const x_data = [[0, 1, 0, 2, 3, 3]]; // hihell
const y_data = [1, 0, 2, 3, 3, 4]; // ihello

// As we have one batch of samples, we make them tensors only once
const inputs = torch.LongTensor(x_data);
const labels = torch.LongTensor(y_data);

const num_classes = 5;
const input_size = 5;
const embedding_size = 10; // embedding size
const hidden_size = 5; // output from the RNN. 5 to directly predict one-hot
const batch_size = 1; // one sentence
const sequence_length = 6; // |ihello| == 6
const num_layers = 1; // one-layer rnn

class Model extends nn.Module {
  embedding = new nn.Embedding(input_size, embedding_size);
  rnn = new nn.RNN(embedding_size, 5, { batch_first: true }); // input_size=embedding_size, hidden_size=5
  fc = new nn.Linear(hidden_size, num_classes);

  forward(x: torch.Tensor): torch.Tensor {
    // Initialize hidden and cell states
    // (num_layers * num_directions, batch, hidden_size); the course writes
    // (batch, num_layers * num_directions, hidden_size), the same here: both are 1
    const h_0 = torch.zeros(x.size(0), num_layers, hidden_size);

    let emb = this.embedding.forward(x);
    emb = emb.view(batch_size, sequence_length, -1);

    // Propagate embedding through RNN
    // Input: (batch, seq_len, embedding_size)
    const [out] = this.rnn.forward(emb, h_0) as [torch.Tensor, torch.Tensor];
    return this.fc.forward(out.view(-1, num_classes));
  }
}

// Instantiate RNN model
const model = new Model();
print(String(model));

// Set loss and optimizer function
// CrossEntropyLoss = LogSoftmax + NLLLoss
const criterion = new torch.nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(model.parameters(), { lr: 0.1 });

// Train the model
for (let epoch = 0; epoch < 100; epoch++) {
  const outputs = model.forward(inputs);
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
