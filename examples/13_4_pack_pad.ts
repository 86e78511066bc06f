// Lecture 13-4: padding a batch of sequences of different lengths, sorting it
// by length, embedding it, packing it for an LSTM and unpacking the output.
// (The course's program is from https://gist.github.com/Tushar-N/dfca335e370a2bc3bc79876e6270099e)
import * as torch from '../src/index.js';
import { print } from './print.js';
const { nn } = torch;
const { pack_padded_sequence, pad_packed_sequence } = torch.nn.utils.rnn;

const size = (t: torch.Tensor) => `torch.Size([${t.shape.join(', ')}])`;
// Python's str() of a (nested) list
const pyList = (l: unknown): string => (Array.isArray(l) ? `[${l.map(pyList).join(', ')}]` : String(l));

function flatten<T>(l: T[][]): T[] {
  return l.flat();
}

const seqs = ['ghatmasala', 'nicela', 'chutpakodas'];

// make <pad> idx 0
const vocab = ['<pad>', ...[...new Set(flatten(seqs.map((s) => [...s])))].sort()];

// make model
const embedding_size = 3;
const embed = new nn.Embedding(vocab.length, embedding_size);
const lstm = new nn.LSTM(embedding_size, 5);

const vectorized_seqs = seqs.map((seq) => [...seq].map((tok) => vocab.indexOf(tok)));
print('vectorized_seqs', pyList(vectorized_seqs));

print(pyList(vectorized_seqs.map((x) => x.length)));
// get the length of each seq in your batch
let seq_lengths = torch.LongTensor(vectorized_seqs.map((x) => x.length));

// dump padding everywhere, and place seqs on the left.
// NOTE: you only need a tensor as big as your longest sequence
let seq_tensor = torch.zeros([vectorized_seqs.length, seq_lengths.max().item()]).long();
vectorized_seqs.forEach((seq, idx) => {
  const seqlen = seq_lengths.select(0, idx).item();
  // seq_tensor[idx, :seqlen] = torch.LongTensor(seq)
  seq_tensor.select(0, idx).narrow(0, 0, seqlen).copy_(torch.LongTensor(seq));
});

print('seq_tensor', String(seq_tensor));

// SORT YOUR TENSORS BY LENGTH!
let perm_idx: torch.Tensor;
[seq_lengths, perm_idx] = seq_lengths.sort(0, true); // sort(0, descending=True)
seq_tensor = seq_tensor.index_select(0, perm_idx); // seq_tensor[perm_idx]

print('seq_tensor after sorting', String(seq_tensor));

// utils.rnn lets you give (B,L,D) tensors where B is the batch size, L is the maxlength, if you use batch_first=True
// Otherwise, give (L,B,D) tensors
seq_tensor = seq_tensor.transpose(0, 1); // (B,L,D) -> (L,B,D)
print('seq_tensor after transposing', size(seq_tensor), String(seq_tensor.data));

// embed your sequences
const embeded_seq_tensor = embed.forward(seq_tensor);
print('seq_tensor after embeding', size(embeded_seq_tensor), String(seq_tensor.data));

// pack them up nicely
const packed_input = pack_padded_sequence(embeded_seq_tensor, Array.from(seq_lengths.cpu().numpy()));

// Not in the course: what packing made. The letters of all sequences at step
// 0, then at step 1, ...; batch_sizes counts the sequences still running.
print('packed seq_tensor', String(pack_padded_sequence(seq_tensor, seq_lengths).data));
print('packed_input data', size(packed_input.data), 'batch_sizes', String(packed_input.batch_sizes));

// throw them through your LSTM (remember to give batch_first=True here if
// you packed with it)
const [packed_output, [ht]] = lstm.forward(packed_input) as [torch.nn.utils.rnn.PackedSequence, [torch.Tensor, torch.Tensor]];

// unpack your output if required
const [output, lengths] = pad_packed_sequence(packed_output);
print('Lstm output', size(output), String(output.data));
print('lengths', String(lengths)); // not in the course, which discards them

// Or if you just want the final hidden state?
const last = ht.select(0, -1); // ht[-1]
print('Last output', size(last), String(last.data));
