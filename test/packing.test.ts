// torch.nn.utils.rnn: packing and padding, and recurrent layers over packed
// batches against the same layer run on each sequence alone.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';
import { allclose } from './helpers/fixtures.js';

const { nn } = torch;
const { pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence } = torch.nn.utils.rnn;
const flat = (t: torch.Tensor) => Array.from(t.dataSync());

describe('packed sequences', () => {
  const lengths = [3, 5, 2];
  const seqs = lengths.map((l, i) => sample([l, 2], 10 + i));
  const padded = pad_sequence(seqs); // [5, 3, 2]

  it('pad_sequence pads at the end; pack -> unpack gives it back with the lengths', () => {
    expect(padded.shape).toEqual([5, 3, 2]);
    expect(flat(padded.select(1, 2).narrow(0, 2, 3))).toEqual(new Array(6).fill(0));
    const packed = pack_padded_sequence(padded, lengths, { enforce_sorted: false });
    expect(packed.batch_sizes.tolist()).toEqual([3, 3, 2, 1, 1]);
    expect(packed.data.shape).toEqual([10, 2]);
    const [back, lens] = pad_packed_sequence(packed, { batch_first: true });
    expect(lens.tolist()).toEqual(lengths);
    expect(back.tolist()).toEqual(padded.transpose(0, 1).tolist());
    // lengths as a tensor or as numpy()'s typed array pack the same
    for (const l of [torch.tensor(lengths, { dtype: torch.long }), torch.tensor(lengths, { dtype: torch.long }).numpy()]) {
      expect(pack_padded_sequence(padded, l, { enforce_sorted: false }).data.tolist()).toEqual(packed.data.tolist());
    }
  });

  it('enforce_sorted requires decreasing lengths', () => {
    expect(() => pack_padded_sequence(padded, lengths)).toThrow('`lengths` array must be sorted in decreasing order when `enforce_sorted` is True.');
  });

  for (const [name, make] of [
    ['GRU', () => new nn.GRU(2, 3, { bidirectional: true })],
    ['LSTM, 2 layers', () => new nn.LSTM(2, 3, { num_layers: 2 })],
  ] as const) {
    it(`${name} over a packed batch equals the layer on each sequence alone, zeros past each length`, () => {
      torch.manual_seed(9);
      const rnn: torch.nn.RNNBase = make();
      const [out, h] = rnn.forward(pack_sequence(seqs, { enforce_sorted: false })) as [torch.nn.utils.rnn.PackedSequence, torch.Tensor | [torch.Tensor, torch.Tensor]];
      const [unpacked, lens] = pad_packed_sequence(out);
      expect(lens.tolist()).toEqual(lengths);
      const hn = Array.isArray(h) ? h[0] : h;
      seqs.forEach((s, i) => {
        const [alone, hAlone] = rnn.forward(s.unsqueeze(1)) as [torch.Tensor, torch.Tensor | [torch.Tensor, torch.Tensor]];
        const got = unpacked.select(1, i);
        expect(allclose(flat(got.narrow(0, 0, lengths[i])), flat(alone.squeeze(1)), 1e-5, 1e-6)).toBeNull();
        if (lengths[i] < 5) expect(flat(got.narrow(0, lengths[i], 5 - lengths[i])).every((v) => v === 0)).toBe(true);
        const hA = Array.isArray(hAlone) ? hAlone[0] : hAlone;
        expect(allclose(flat(hn.select(1, i)), flat(hA.select(1, 0)), 1e-5, 1e-6)).toBeNull();
      });
    });
  }

  it('gradients through a packed bidirectional GRU match finite differences', () => {
    expect(gradcheck((a, b) => {
      torch.manual_seed(12);
      const gru = new nn.GRU(2, 2, { bidirectional: true });
      const [out] = gru.forward(pack_sequence([a, b], { enforce_sorted: false })) as [torch.nn.utils.rnn.PackedSequence, torch.Tensor];
      return out.data;
    }, [sample([2, 2], 20), sample([3, 2], 21)])).toBeNull();
  });
});
