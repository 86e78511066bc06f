// Lecture 14-2: sequence to sequence with attention. As in 14-1 the encoder
// reads a lower-cased line without spaces and the decoder writes it back with
// capitals and spaces; at each step the decoder now scores every encoder
// output against its own state (score = h . (W h_e)), turns the scores into
// weights with a softmax and reads the weighted sum of the encoder outputs.
// After https://github.com/spro/practical-pytorch/blob/master/seq2seq-translation/seq2seq-translation.ipynb
import * as torch from '../src/index.js';
import { print, repr } from './print.js';
import { TextDataset } from './text_loader.js';
import * as sm from './seq2seq_models.js';
import { str2tensor, EOS_token, SOS_token } from './seq2seq_models.js';
const { nn } = torch;
const { DataLoader, Subset } = torch.utils.data;

torch.manual_seed(777); // reproducibility

const N_LAYERS = 1;
const BATCH_SIZE = 1;
const N_EPOCH = Number(process.env.EPOCHS ?? 40);
const N_CHARS = 128; // ASCII
const HIDDEN_SIZE = N_CHARS;
// The course trains for 100 epochs on every line of shakespeare.txt (32,777
// lines). To finish in well under a minute this trains on the first N_LINES
// different lines of at most MAX_CHARS characters, and reports every
// PRINT_EVERY epochs (the course's i % 1000 == 0 would fire once per epoch).
const N_LINES = 12;
const MAX_CHARS = 16;
const PRINT_EVERY = 10;
const size = (t: torch.Tensor) => `torch.Size([${t.shape.join(', ')}])`;

// Simple test to show how our train works (the course defines it and leaves its call commented out)
export function test(): void {
  const encoder_test = new sm.EncoderRNN(10, 10, 2);
  const decoder_test = new sm.AttnDecoderRNN(10, 10, 2);

  const encoder_hidden = encoder_test.init_hidden();
  const word_input = torch.LongTensor([1, 2, 3]);
  const [encoder_outputs, last_hidden] = encoder_test.forward(word_input, encoder_hidden);
  print(size(encoder_outputs));

  const word_target = torch.LongTensor([1, 2, 3]);
  const decoder_attns = torch.zeros(1, 3, 3);
  let decoder_hidden = last_hidden;

  for (let c = 0; c < word_target.size(0); c++) {
    let decoder_output: torch.Tensor, decoder_attn: torch.Tensor;
    [decoder_output, decoder_hidden, decoder_attn] = decoder_test.forward(word_target.select(0, c), decoder_hidden, encoder_outputs);
    print(size(decoder_output), size(decoder_hidden), size(decoder_attn));
    decoder_attns.select(0, 0).select(0, c).copy_(decoder_attn.squeeze(0).squeeze(0).data);
  }
}

// Train on one source and target. To demonstrate seq2seq we don't batch, and
// the decoder runs one step at a time: slow, do not do this in practice.
function train(src: string, target: string): number {
  let loss = torch.tensor(0);

  const src_var = str2tensor(src);
  const target_var = str2tensor(target, true); // Add the EOS token

  const encoder_hidden = encoder.init_hidden();
  const [encoder_outputs, last_hidden] = encoder.forward(src_var, encoder_hidden);

  let hidden = last_hidden;

  for (let c = 0; c < target_var.size(0); c++) {
    // First, we feed SOS. Others, we use teacher forcing.
    const token = c ? target_var.select(0, c - 1) : str2tensor(SOS_token);
    let output: torch.Tensor;
    [output, hidden] = decoder.forward(token, hidden, encoder_outputs);
    loss = loss.add(criterion.forward(output, target_var.narrow(0, c, 1)));
  }

  encoder.zero_grad();
  decoder.zero_grad();
  loss.backward();
  optimizer.step();

  return loss.item() / target_var.size(0);
}

// Translate the given input
export function translate(enc_input = 'thisissungkim.iloveyou.', predict_len = 100, temperature = 0.9): [string, number[][]] {
  return torch.no_grad(() => {
    const input_var = str2tensor(enc_input);
    const encoder_hidden = encoder.init_hidden();
    const [encoder_outputs, last_hidden] = encoder.forward(input_var, encoder_hidden);

    let hidden = last_hidden;

    let predicted = '';
    let dec_input = str2tensor(SOS_token);
    const attentions: number[][] = [];
    for (let c = 0; c < predict_len; c++) {
      let output: torch.Tensor, attention: torch.Tensor;
      [output, hidden, attention] = decoder.forward(dec_input, hidden, encoder_outputs);
      // Sample from the network as a multinomial distribution
      const output_dist = output.data.view(-1).div(temperature).exp();
      const top_i = torch.multinomial(output_dist, 1).select(0, 0).item();
      attentions.push(attention.view(-1).data.tolist() as number[]);

      // Stop at the EOS (the course's `top_i is EOS_token` compares a tensor
      // with an int and never holds: compare the index)
      if (top_i === EOS_token) break;

      const predicted_char = String.fromCharCode(top_i);
      predicted += predicted_char;

      dec_input = str2tensor(predicted_char);
    }

    return [predicted, attentions];
  });
}

export const encoder = new sm.EncoderRNN(N_CHARS, HIDDEN_SIZE, N_LAYERS);
export const decoder = new sm.AttnDecoderRNN(HIDDEN_SIZE, N_CHARS, N_LAYERS);
print(String(encoder), String(decoder));
// test();

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
    const train_loss = train(srcs[0], targets[0]);

    if (i % 1000 === 0 && (epoch === 1 || epoch % PRINT_EVERY === 0 || epoch === N_EPOCH)) {
      print(`[(${epoch}/${N_EPOCH} ${Math.floor((i * srcs.length * 100) / train_loader.len())}%) ${train_loss.toFixed(4)}]`);
      // (the outputs in repr(), as in 14-1: an untrained decoder writes control characters)
      let [output] = translate(srcs[0]);
      print(srcs[0], repr(output), '\n');

      [output] = translate();
      print('thisissungkim.iloveyou.', repr(output), '\n');
    }
    i++;
  }
}

// Not in the course: every training line, translated once more, and where
// the decoder looked (the source position of highest attention weight at
// each output character) for the first one
print('Translations after training:');
let restored = 0;
for (const j of picked) {
  const [src, target] = text.getitem(j);
  const [output, attentions] = translate(src);
  if (output === target) restored++;
  print(src, repr(output));
  if (j === picked[0]) print('attention argmax per output step:', attentions.map((a) => a.indexOf(Math.max(...a))).join(' '));
}
print(`${restored} of ${picked.length} lines restored exactly`);
