// torch.nn.utils.rnn: padding and packing variable-length sequences. A
// PackedSequence holds the time-major rows of the sequences still running at
// each step (longest first); RNN/LSTM/GRU accept it and return one.
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { tensor } from '../ops/creation.js';

export class PackedSequence {
  constructor(
    /** [sum of lengths, *]: step 0's rows, then step 1's, ... */
    readonly data: Tensor,
    /** how many sequences are still running at each step (int64) */
    readonly batch_sizes: Tensor,
    /** the order of the sequences in `data` (longest first), or null when already sorted */
    readonly sorted_indices: Tensor | null = null,
    readonly unsorted_indices: Tensor | null = null,
  ) {}
}

/** Lengths as PyTorch takes them: a tensor, a list, or (numpy()'s counterpart) a typed array. */
function lengthsOf(lengths: Tensor | number[] | ArrayLike<number>): number[] {
  return lengths instanceof Tensor ? Array.from(lengths.dataSync()) : Array.from(lengths);
}

/** Indices that undo a permutation. */
function invert(perm: number[]): Tensor {
  const inv = new Int32Array(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return tensor(inv, { dtype: 'int64' });
}

export function pack_padded_sequence(input: Tensor, lengths: Tensor | number[] | ArrayLike<number>,
  options: { batch_first?: boolean; enforce_sorted?: boolean } = {}): PackedSequence {
  let lens = lengthsOf(lengths);
  let x = options.batch_first ? input.transpose(0, 1) : input; // [T, B, *]
  if (lens.length !== x.shape[1]) {
    throw new Error(`Expected \`len(lengths)\` to be equal to batch_size, but got ${lens.length} (batch_size=${x.shape[1]})`);
  }
  let sorted: Tensor | null = null, unsorted: Tensor | null = null;
  const descending = lens.every((l, i) => i === 0 || lens[i - 1] >= l);
  if (options.enforce_sorted ?? true) {
    if (!descending) {
      throw new Error('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass ' +
        '`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.');
    }
  } else {
    const order = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a] || a - b);
    sorted = tensor(Int32Array.from(order), { dtype: 'int64' });
    unsorted = invert(order);
    x = x.index_select(1, sorted);
    lens = order.map((i) => lens[i]);
  }
  if (lens.some((l) => l <= 0)) throw new Error('Length of all samples has to be greater than 0, but found an element in \'lengths\' that is <= 0');
  if (lens[0] > x.shape[0]) throw new Error(`Expected total length of the sequences (${lens[0]}) to be at most the input's length ${x.shape[0]}`);
  const batchSizes: number[] = [];
  for (let t = 0; t < lens[0]; t++) batchSizes.push(lens.filter((l) => l > t).length);
  const data = ops.cat(batchSizes.map((b, t) => x.select(0, t).narrow(0, 0, b)), 0);
  return new PackedSequence(data, tensor(Int32Array.from(batchSizes), { dtype: 'int64' }), sorted, unsorted);
}

/** The padded [T, B, *] (or batch_first) tensor and the lengths (int64), in the original order. */
export function pad_packed_sequence(sequence: PackedSequence,
  options: { batch_first?: boolean; padding_value?: number; total_length?: number | null } = {}): [Tensor, Tensor] {
  const sizes = Array.from(sequence.batch_sizes.dataSync());
  const B = sizes[0] ?? 0, T = Math.max(sizes.length, options.total_length ?? 0);
  if ((options.total_length ?? T) < sizes.length) {
    throw new Error(`Expected total_length to be at least the length of the longest sequence (${sizes.length}), but got total_length=${options.total_length}`);
  }
  const feature = sequence.data.shape.slice(1);
  const pad = options.padding_value ?? 0;
  const steps: Tensor[] = [];
  let offset = 0;
  for (let t = 0; t < T; t++) {
    const b = sizes[t] ?? 0;
    const rows = b > 0 ? sequence.data.narrow(0, offset, b) : null;
    offset += b;
    const filler = ops.full([B - b, ...feature], pad);
    steps.push(rows === null ? filler : b === B ? rows : ops.cat([rows, filler], 0));
  }
  let padded = ops.stack(steps, 0); // [T, B, *] in the packed (sorted) order
  const lengths = Array.from({ length: B }, (_, i) => sizes.filter((s) => s > i).length);
  let lens = tensor(Int32Array.from(lengths), { dtype: 'int64' });
  if (sequence.unsorted_indices) {
    padded = padded.index_select(1, sequence.unsorted_indices);
    lens = lens.index_select(0, sequence.unsorted_indices);
  }
  return [options.batch_first ? padded.transpose(0, 1) : padded, lens];
}

/** Stacks sequences of different lengths, padded at the end: [T, B, *] (or [B, T, *]). */
export function pad_sequence(sequences: Tensor[], options: { batch_first?: boolean; padding_value?: number } = {}): Tensor {
  const T = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) => {
    if (s.shape[0] === T) return s;
    return ops.cat([s, ops.full([T - s.shape[0], ...s.shape.slice(1)], options.padding_value ?? 0, { dtype: s.dtype })], 0);
  });
  return ops.stack(padded, options.batch_first ? 0 : 1);
}

/** pack_padded_sequence of a list of sequences. */
export function pack_sequence(sequences: Tensor[], options: { enforce_sorted?: boolean } = {}): PackedSequence {
  return pack_padded_sequence(pad_sequence(sequences), sequences.map((s) => s.shape[0]), options);
}
