// The course's seq2seq_models.py (lectures 14-1 and 14-2), after
// spro/practical-pytorch's seq2seq-translation: a character encoder GRU, a
// decoder GRU and a decoder GRU with attention. Characters are their ASCII
// codes; chr(0) starts a decoded sequence and 1 ends it.
import * as torch from '../src/index.js';
const { nn } = torch;
const F = torch.nn.functional;

export const MAX_LENGTH = 100;

export const SOS_token = String.fromCharCode(0);
export const EOS_token = 1;

/** String to a LongTensor of character codes, with EOS_token appended when eos is true. */
export function str2tensor(msg: string, eos = false): torch.Tensor {
  const codes = Array.from(msg, (c) => c.charCodeAt(0));
  if (eos) codes.push(EOS_token);
  return torch.LongTensor(codes);
}

// To demonstrate seq2seq, we don't handle batches here: the encoder runs one
// sentence at a time and the decoder one character at a time. It is slow;
// in practice use batches.

export class EncoderRNN extends nn.Module {
  embedding: torch.nn.Embedding;
  gru: torch.nn.GRU;

  constructor(input_size: number, readonly hidden_size: number, readonly n_layers = 1) {
    super();
    this.embedding = new nn.Embedding(input_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { num_layers: n_layers });
  }

  forward(word_inputs: torch.Tensor, hidden: torch.Tensor): [torch.Tensor, torch.Tensor] {
    // Note: we run this all at once (over the whole input sequence)
    const seq_len = word_inputs.size(0);
    // input shape: S x B (=1) x I (input size)
    const embedded = this.embedding.forward(word_inputs).view(seq_len, 1, -1);
    const [output, h] = this.gru.forward(embedded, hidden) as [torch.Tensor, torch.Tensor];
    return [output, h];
  }

  init_hidden(): torch.Tensor {
    // (num_layers * num_directions, batch, hidden_size)
    return torch.zeros(this.n_layers, 1, this.hidden_size);
  }
}

export class DecoderRNN extends nn.Module {
  embedding: torch.nn.Embedding;
  gru: torch.nn.GRU;
  out: torch.nn.Linear;

  constructor(readonly hidden_size: number, output_size: number, readonly n_layers = 1) {
    super();
    this.embedding = new nn.Embedding(output_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { num_layers: n_layers });
    this.out = new nn.Linear(hidden_size, output_size);
  }

  forward(input: torch.Tensor, hidden: torch.Tensor): [torch.Tensor, torch.Tensor] {
    // input shape: S(=1) x B (=1) x I (input size)
    // Note: we run this one step at a time (sequence size = 1)
    let output = this.embedding.forward(input).view(1, 1, -1);
    let h: torch.Tensor;
    [output, h] = this.gru.forward(output, hidden) as [torch.Tensor, torch.Tensor];
    output = this.out.forward(output.select(0, 0));
    // No softmax: CrossEntropyLoss takes the scores
    return [output, h];
  }

  init_hidden(): torch.Tensor {
    // (num_layers * num_directions, batch, hidden_size)
    return torch.zeros(this.n_layers, 1, this.hidden_size);
  }
}

export class AttnDecoderRNN extends nn.Module {
  attn: torch.nn.Linear;
  embedding: torch.nn.Embedding;
  gru: torch.nn.GRU;
  out: torch.nn.Linear;

  constructor(readonly hidden_size: number, output_size: number, readonly n_layers = 1, dropout_p = 0.1) {
    super();
    // Linear for attention
    this.attn = new nn.Linear(hidden_size, hidden_size);

    // Define layers
    this.embedding = new nn.Embedding(output_size, hidden_size);
    this.gru = new nn.GRU(hidden_size, hidden_size, { num_layers: n_layers, dropout: dropout_p });
    this.out = new nn.Linear(hidden_size * 2, output_size);
  }

  forward(word_input: torch.Tensor, last_hidden: torch.Tensor, encoder_hiddens: torch.Tensor): [torch.Tensor, torch.Tensor, torch.Tensor] {
    // Note: we run this one step (S=1) at a time
    // Get the embedding of the current input word (last output word)
    const rnn_input = this.embedding.forward(word_input).view(1, 1, -1); // S=1 x B x I
    let [rnn_output, hidden] = this.gru.forward(rnn_input, last_hidden) as [torch.Tensor, torch.Tensor];

    // Calculate attention from the current RNN state and all encoder outputs;
    // apply it to the encoder outputs
    const attn_weights = this.get_att_weight(rnn_output.squeeze(0), encoder_hiddens);
    let context = attn_weights.bmm(encoder_hiddens.transpose(0, 1)); // B x S(=1) x I

    // Final output layer (next word prediction) from the RNN hidden state and the context vector
    rnn_output = rnn_output.squeeze(0); // S(=1) x B x I -> B x I
    context = context.squeeze(1); // B x S(=1) x I -> B x I
    const output = this.out.forward(torch.cat([rnn_output, context], 1));

    // Return the final output, the hidden state and the attention weights (for visualization)
    return [output, hidden, attn_weights];
  }

  get_att_weight(hidden: torch.Tensor, encoder_hiddens: torch.Tensor): torch.Tensor {
    const seq_len = encoder_hiddens.size(0);

    // Create a tensor to store the attention energies
    const attn_scores = torch.zeros(seq_len); // B x 1 x S

    // Calculate the energy for each encoder hidden state
    // (attn_scores[i] = ... in Python: a write into a view of attn_scores)
    for (let i = 0; i < seq_len; i++) {
      attn_scores.select(0, i).copy_(this.get_att_score(hidden, encoder_hiddens.select(0, i)));
    }

    // Normalize the scores to weights in range 0 to 1, resized to 1 x 1 x seq_len
    return F.softmax(attn_scores, 0).view(1, 1, -1);
  }

  // score = h^T W h^e = h dot (W h^e)
  // TODO (as in the course): other score models
  get_att_score(hidden: torch.Tensor, encoder_hidden: torch.Tensor): torch.Tensor {
    const score = this.attn.forward(encoder_hidden);
    return torch.dot(hidden.view(-1), score.view(-1));
  }
}
