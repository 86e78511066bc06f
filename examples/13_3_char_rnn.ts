// Lecture 13-3: a character-level language model of Shakespeare. Each
// character (its ASCII code) goes through an Embedding, a 3-layer GRU and a
// linear layer that scores the next character; trained with teacher forcing
// (every step is given the true previous character), and sampled from one
// character at a time to write new text.
import * as torch from '../src/index.js';
import { TextDataset } from './text_loader.js';
const { nn } = torch;
const F = torch.nn.functional;
const { DataLoader } = torch.utils.data;

torch.manual_seed(777); // reproducibility

const hidden_size = 100;
const n_layers = 3;
const batch_size = 1;
const n_epochs = Number(process.env.EPOCHS ?? 1);
const n_characters = 128; // ASCII
// The course runs 100 epochs over all 32,777 lines, which takes hours; here an
// epoch stops after LINES (shuffled) lines. 5,000 lines take about 25 s and
// bring the loss per character from 4.92 (ln 128 = 4.85) to about 1.8.
const n_lines = Number(process.env.LINES ?? 5000);
const print_every = Number(process.env.PRINT_EVERY ?? 100);

class RNN extends nn.Module {
  embedding: torch.nn.Embedding;
  gru: torch.nn.GRU;
  linear: torch.nn.Linear;

  constructor(readonly input_size: number, readonly hidden_size: number, readonly output_size: number, readonly n_layers = 1) {
    super();
    this.embedding = new nn.Embedding(input_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { num_layers: n_layers });
    this.linear = new nn.Linear(hidden_size, output_size);
  }

  // The course's forward takes one character (S = 1) and calls it once per
  // character. This one takes S >= 1 characters of one sequence, so training
  // (where teacher forcing knows every input in advance) runs a whole line in
  // one call: the same losses and gradients as S calls, with far fewer ops.
  forward(input: torch.Tensor, hidden: torch.Tensor): [torch.Tensor, torch.Tensor] {
    let embed = this.embedding.forward(input.view(1, -1)); // 1 x S x I
    embed = embed.view(-1, 1, this.hidden_size); // S x B(=1) x I (embedding size)
    const [output, h] = this.gru.forward(embed, hidden);
    return [this.linear.forward(output.view(-1, this.hidden_size)), h as torch.Tensor]; // S x O
  }

  init_hidden(): torch.Tensor {
    return torch.zeros(this.n_layers, 1, this.hidden_size);
  }
}

function str2tensor(string: string): torch.Tensor {
  return torch.LongTensor(Array.from(string, (c) => c.charCodeAt(0)));
}

function generate(decoder: RNN, prime_str = 'A', predict_len = 100, temperature = 0.8): string {
  return torch.no_grad(() => {
    let hidden = decoder.init_hidden();
    const prime_input = str2tensor(prime_str);
    let predicted = prime_str;

    // Use priming string to "build up" hidden state
    for (let p = 0; p < prime_str.length - 1; p++) [, hidden] = decoder.forward(prime_input.narrow(0, p, 1), hidden);

    let inp = prime_input.narrow(0, prime_str.length - 1, 1);
    for (let p = 0; p < predict_len; p++) {
      let output: torch.Tensor;
      [output, hidden] = decoder.forward(inp, hidden);

      // Sample from the network as a multinomial distribution. The course
      // samples from exp(output / temperature), unnormalised; softmax gives
      // the same distribution without overflowing.
      const output_dist = F.softmax(output.data.view(-1).div(temperature), 0);
      const top_i = torch.multinomial(output_dist, 1).item();

      // Add predicted character to string and use as next input
      const predicted_char = String.fromCharCode(top_i);
      predicted += predicted_char;
      inp = str2tensor(predicted_char);
    }
    return predicted;
  });
}

// Train for a given line, feeding the true previous character at every step
// (teacher forcing: the course's train_teacher_forching). The course also
// defines a train() that feeds back the model's own argmax, and calls that one.
function train_teacher_forcing(line: string): number {
  const input = str2tensor(line.slice(0, -1));
  const target = str2tensor(line.slice(1));

  const hidden = decoder.init_hidden();

  // the course adds criterion(output, target[c]) over the characters c; its
  // sum is the 'sum' reduction over the whole line
  const [output] = decoder.forward(input, hidden);
  const loss = criterion.forward(output, target);

  decoder.zero_grad();
  loss.backward();
  decoder_optimizer.step();

  return loss.item() / input.size(0);
}

const decoder = new RNN(n_characters, hidden_size, n_characters, n_layers);

const decoder_optimizer = new torch.optim.Adam(decoder.parameters(), { lr: 0.001 });
const criterion = new nn.CrossEntropyLoss({ reduction: 'sum' });

// The course's TextDataset gives (lower-cased line without spaces, line); the
// course trains on the first, in which its prime 'Wh' never occurs. The model
// here learns the lines as written. One-character lines have nothing to predict.
const dataset = new TextDataset();
const train_loader = new DataLoader(dataset, { batch_size, shuffle: true });
const lines_per_epoch = Math.min(n_lines, dataset.len());

console.log(`Training for ${n_epochs} epochs of ${lines_per_epoch} lines...`);
const start = performance.now();
for (let epoch = 1; epoch <= n_epochs; epoch++) {
  let i = 0, loss_sum = 0, chars = 0;
  for (const [, lines] of train_loader as Iterable<[string[], string[]]>) {
    if (i >= lines_per_epoch) break;
    const line = lines[0]; // Batch size is 1
    if (line.length < 2) continue;
    const loss = train_teacher_forcing(line);
    loss_sum += loss * (line.length - 1);
    chars += line.length - 1;

    if (i % print_every === 0 || i === lines_per_epoch - 1) {
      // the course prints the last line's loss; this is the loss per character
      // over the lines since the last print, which is steadier
      const seconds = ((performance.now() - start) / 1000).toFixed(0);
      console.log(`[(${epoch} ${Math.floor((100 * (i + 1)) / lines_per_epoch)}%) loss: ${(loss_sum / chars).toFixed(4)}] ${seconds}s`);
      console.log(generate(decoder, 'Wh', 100), '\n');
      loss_sum = 0;
      chars = 0;
    }
    i++;
  }
}
