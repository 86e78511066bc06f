// Lecture 14-1: sequence to sequence. An encoder GRU reads a line of
// Shakespeare lower-cased and without spaces, one character at a time; a
// decoder GRU, started from the encoder's last hidden state, writes the line
// back with its capitals and spaces ('speak,speak.' -> 'Speak, speak.').
// After https://github.com/spro/practical-pytorch/blob/master/seq2seq-translation/seq2seq-translation.ipynb
import * as torch from '../src/index.js';
import { print, repr } from './print.js';
import { TextDataset } from './text_loader.js';
import * as sm from './seq2seq_models.js';
import { str2tensor, EOS_token, SOS_token } from './seq2seq_models.js';
const { nn } = torch;
const { DataLoader, Subset } = torch.utils.data;

torch.manual_seed(777); // reproducibility

const HIDDEN_SIZE = 100;
const N_LAYERS = 1;
const BATCH_SIZE = 1;
const N_EPOCH = Number(process.env.EPOCHS ?? 100);
const N_CHARS = 128; // ASCII
// The course trains on every line of shakespeare.txt (32,777 lines, hours at
// one character per step). To finish in seconds this trains on the first
// N_LINES different lines of at most MAX_CHARS characters instead.
const N_LINES = 12;
const MAX_CHARS = 16;
const PRINT_EVERY = 10; // epochs between progress reports
const size = (t: torch.Tensor) => `torch.Size([${t.shape.join(', ')}])`;

// Simple test to show how our network works
function test(): void {
  const encoder_hidden = encoder.init_hidden();
  const word_input = str2tensor('hello');
  const [encoder_outputs, last_hidden] = encoder.forward(word_input, encoder_hidden);
  print(String(encoder_outputs));

  let decoder_hidden = last_hidden;

  const word_target = str2tensor('pytorch');
  for (let c = 0; c < word_target.size(0); c++) {
    let decoder_output: torch.Tensor;
    [decoder_output, decoder_hidden] = decoder.forward(word_target.select(0, c), decoder_hidden);
    print(size(decoder_output), size(decoder_hidden));
  }
}

// Train on one source and target. To demonstrate seq2seq we don't batch, and
// the decoder runs one step at a time: slow, do not do this in practice.
function train(src: string, target: string): number {
  const src_var = str2tensor(src);
  const target_var = str2tensor(target, true); // Add the EOS token

  const encoder_hidden = encoder.init_hidden();
  const [, last_hidden] = encoder.forward(src_var, encoder_hidden);

  let hidden = last_hidden;
  let loss = torch.tensor(0);

  for (let c = 0; c < target_var.size(0); c++) {
    // First, we feed SOS; after that the previous target character (teacher forcing)
    const token = c ? target_var.select(0, c - 1) : str2tensor(SOS_token);
    let output: torch.Tensor;
    [output, hidden] = decoder.forward(token, hidden);
    loss = loss.add(criterion.forward(output, target_var.narrow(0, c, 1)));
  }

  encoder.zero_grad();
  decoder.zero_grad();
  loss.backward();
  optimizer.step();

  return loss.item() / target_var.size(0);
}

// Translate the given input
export function translate(enc_input = 'thisissungkim.iloveyou.', predict_len = 100, temperature = 0.9): [string, string] {
  return torch.no_grad(() => {
    const input_var = str2tensor(enc_input);
    const encoder_hidden = encoder.init_hidden();
    const [, last_hidden] = encoder.forward(input_var, encoder_hidden);

    let hidden = last_hidden;

    let predicted = '';
    let dec_input = str2tensor(SOS_token);
    for (let c = 0; c < predict_len; c++) {
      let output: torch.Tensor;
      [output, hidden] = decoder.forward(dec_input, hidden);

      // Sample from the network as a multinomial distribution
      const output_dist = output.data.view(-1).div(temperature).exp();
      const top_i = torch.multinomial(output_dist, 1).select(0, 0).item();

      // Stop at the EOS (the course's `top_i is EOS_token` compares a tensor
      // with an int and never holds: compare the index)
      if (top_i === EOS_token) break;

      const predicted_char = String.fromCharCode(top_i);
      predicted += predicted_char;

      dec_input = str2tensor(predicted_char);
    }

    return [enc_input, predicted];
  });
}

export const encoder = new sm.EncoderRNN(N_CHARS, HIDDEN_SIZE, N_LAYERS);
export const decoder = new sm.DecoderRNN(HIDDEN_SIZE, N_CHARS, N_LAYERS);
print(String(encoder), String(decoder));
test();

const params = [...encoder.parameters(), ...decoder.parameters()];
const optimizer = new torch.optim.Adam(params, { lr: 0.001 });
const criterion = new nn.CrossEntropyLoss();

const text = new TextDataset();
const picked: number[] = [];
for (let i = 0; i < text.len() && picked.length < N_LINES; i++) {
  const [, target] = text.getitem(i);
  if (target.length <= MAX_CHARS && !picked.some((j) => text.getitem(j)[1] === target)) picked.push(i);
}
const train_loader = new DataLoader(new Subset(text, picked), { batch_size: BATCH_SIZE, shuffle: true });

print(`Training for ${N_EPOCH} epochs...`);
for (let epoch = 1; epoch <= N_EPOCH; epoch++) {
  // Get srcs and targets from the data loader
  let i = 0;
  for (const [srcs, targets] of train_loader as Iterable<[string[], string[]]>) {
    const train_loss = train(srcs[0], targets[0]); // Batch is 1

    if (i % 100 === 0 && (epoch === 1 || epoch % PRINT_EVERY === 0 || epoch === N_EPOCH)) {
      print(`[(${epoch} ${Math.floor((epoch / N_EPOCH) * 100)}%) ${train_loss.toFixed(4)}]`);
      print(repr(translate(srcs[0])), '\n');
      print(repr(translate()), '\n');
    }
    i++;
  }
}

// Not in the course: every training line, translated once more
print('Translations after training:');
let restored = 0;
for (const j of picked) {
  const [src, target] = text.getitem(j);
  const [, predicted] = translate(src);
  if (predicted === target) restored++;
  print(repr([src, predicted]));
}
print(`${restored} of ${picked.length} lines restored exactly`);
