// Lecture 13-1: the shapes inside an (untrained) RNN name classifier: names
// as ASCII codes, an Embedding, a GRU over the sequence and a Linear layer on
// its last hidden state; one name at a time, then a zero-padded batch.
// (Original code is from https://github.com/spro/practical-pytorch)
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;

const size = (t: torch.Tensor) => `torch.Size([${t.shape.join(', ')}])`;

// Parameters and DataLoaders
const HIDDEN_SIZE = 100;
const N_CHARS = 128; // ASCII
const N_CLASSES = 18;

class RNNClassifier extends nn.Module {
  hidden_size: number;
  n_layers: number;
  embedding: torch.nn.Embedding;
  gru: torch.nn.GRU;
  fc: torch.nn.Linear;

  constructor(input_size: number, hidden_size: number, output_size: number, n_layers = 1) {
    super();
    this.hidden_size = hidden_size;
    this.n_layers = n_layers;

    this.embedding = new nn.Embedding(input_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { num_layers: n_layers });
    this.fc = new nn.Linear(hidden_size, output_size);
  }

  forward(input: torch.Tensor): torch.Tensor {
    // Note: we run this all at once (over the whole input sequence)

    // input = B x S . size(0) = B
    const batch_size = input.size(0);

    // input:  B x S  -- (transpose) --> S x B
    input = input.t();

    // Embedding S x B -> S x B x I (embedding size)
    print('  input', size(input));
    const embedded = this.embedding.forward(input);
    print('  embedding', size(embedded));

    // Make a hidden
    let hidden = this._init_hidden(batch_size);

    [, hidden] = this.gru.forward(embedded, hidden) as [torch.Tensor, torch.Tensor];
    print('  gru hidden output', size(hidden));
    // Use the last layer output as FC's input
    // No need to unpack, since we are going to use hidden
    const fc_output = this.fc.forward(hidden);
    print('  fc output', size(fc_output));
    return fc_output;
  }

  _init_hidden(batch_size: number): torch.Tensor {
    return torch.zeros(this.n_layers, batch_size, this.hidden_size);
  }
}

// Help functions

function str2ascii_arr(msg: string): [number[], number] {
  const arr = Array.from(msg, (c) => c.charCodeAt(0));
  return [arr, arr.length];
}

// pad sequences and sort the tensor
function pad_sequences(vectorized_seqs: number[][], seq_lengths: torch.Tensor): torch.Tensor {
  const seq_tensor = torch.zeros([vectorized_seqs.length, seq_lengths.max().item()]).long();
  vectorized_seqs.forEach((seq, idx) => {
    const seq_len = seq_lengths.select(0, idx).item();
    // seq_tensor[idx, :seq_len] = torch.LongTensor(seq)
    seq_tensor.select(0, idx).narrow(0, 0, seq_len).copy_(torch.LongTensor(seq));
  });
  return seq_tensor;
}

// Create necessary variables, lengths, and target
function make_variables(names: string[]): torch.Tensor {
  const sequence_and_length = names.map((name) => str2ascii_arr(name));
  const vectorized_seqs = sequence_and_length.map((sl) => sl[0]);
  const seq_lengths = torch.LongTensor(sequence_and_length.map((sl) => sl[1]));
  return pad_sequences(vectorized_seqs, seq_lengths);
}

const names = ['adylov', 'solan', 'hard', 'san'];
const classifier = new RNNClassifier(N_CHARS, HIDDEN_SIZE, N_CLASSES);

for (const name of names) {
  const [arr] = str2ascii_arr(name);
  const inp = torch.LongTensor([arr]);
  const out = classifier.forward(inp);
  print('in', size(inp), 'out', size(out));
}

const inputs = make_variables(names);
const out = classifier.forward(inputs);
print('batch in', size(inputs), 'batch out', size(out));

// for test/examples.lecture12_13.test.ts
export { classifier, make_variables, names };
