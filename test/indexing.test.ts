// Index assignment: index_put(_), index_copy(_), index_add(_) against plain JS,
// their gradients against central differences, and PyTorch's errors.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';

const long = (v: number[]) => torch.tensor(v, { dtype: torch.long });

describe('index assignment', () => {
  it('index_put with two index tensors writes x[i[j], k[j]] = v[j], wrapping negative indices', () => {
    const x = torch.arange(12).float().reshape(3, 4);
    const y = x.index_put([long([0, 2, -1]), long([1, -1, 0])], torch.tensor([-1, -2, -3]));
    const want = Array.from({ length: 12 }, (_, i) => i);
    want[0 * 4 + 1] = -1;
    want[2 * 4 + 3] = -2;
    want[2 * 4 + 0] = -3; // the third write lands after the second in another column
    expect(y.reshape(-1).tolist()).toEqual(want);
    expect(x.reshape(-1).tolist()).toEqual(Array.from({ length: 12 }, (_, i) => i)); // out of place
  });

  it('index_put on leading dims writes whole rows; values broadcast; accumulate sums repeats', () => {
    const x = torch.zeros(3, 2);
    x.index_put_([long([2, 0])], torch.tensor([5, 6]));
    expect(x.tolist()).toEqual([[5, 6], [0, 0], [5, 6]]);
    x.index_put_([long([1, 1, 1])], torch.tensor(1), true);
    expect(x.tolist()).toEqual([[5, 6], [3, 3], [5, 6]]);
  });

  it('a boolean mask selects the positions to write', () => {
    const x = torch.tensor([[1, 2], [3, 4]]);
    x.index_put_([torch.tensor([[true, false], [false, true]])], 0);
    expect(x.tolist()).toEqual([[0, 2], [3, 0]]);
  });

  it('index_copy and index_add along a middle dim match plain JS', () => {
    const x = torch.arange(24).float().reshape(2, 3, 4);
    const src = torch.arange(16).float().neg().reshape(2, 2, 4);
    const idx = long([2, 0]);
    const copied = x.index_copy(1, idx, src).tolist() as number[][][];
    const added = x.index_add(1, long([1, 1]), src, { alpha: 2 }).tolist() as number[][][];
    for (let o = 0; o < 2; o++)
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 4; c++) {
          const base = o * 12 + r * 4 + c;
          const j = r === 2 ? 0 : r === 0 ? 1 : -1;
          expect(copied[o][r][c]).toBe(j >= 0 ? -(o * 8 + j * 4 + c) : base);
          expect(added[o][r][c]).toBe(r === 1 ? base + 2 * (-(o * 8 + c) - (o * 8 + 4 + c)) : base);
        }
  });

  it('gradients of index_put (both modes), index_copy and index_add match central differences', () => {
    const i = long([2, 0, 2]), k = long([1, 1, 0]);
    expect(gradcheck((x, v) => x.index_put([i, k], v), [sample([3, 2], 1), sample([3], 2)])).toBeNull();
    expect(gradcheck((x, v) => x.index_put([i], v, true), [sample([3, 2], 3), sample([3, 2], 4)])).toBeNull();
    expect(gradcheck((x, s) => x.index_copy(1, long([1, 0]), s), [sample([2, 3], 5), sample([2, 2], 6)])).toBeNull();
    expect(gradcheck((x, s) => x.index_add(0, long([1, 1]), s, { alpha: 0.5 }), [sample([2, 3], 7), sample([2, 3], 8)])).toBeNull();
  });

  it('index_put_ into a buffer that needs no grad carries the values\' gradient', () => {
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    const buf = torch.zeros(5);
    buf.index_put_([long([4, 0])], w.narrow(0, 0, 2).mul(w.narrow(0, 1, 2)));
    buf.mul(torch.arange(5).float()).sum().backward();
    // buf[4] = w0 w1 (weight 4), buf[0] = w1 w2 (weight 0)
    expect(w.grad!.tolist()).toEqual([8, 4, 0]);
  });

  it('bad indices get PyTorch\'s messages', () => {
    const x = torch.zeros(3, 2);
    expect(() => x.index_put([long([3])], 1)).toThrow('index 3 is out of bounds for dimension 0 with size 3');
    expect(() => x.index_put([long([0]), long([-3])], 1)).toThrow('index -3 is out of bounds for dimension 1 with size 2');
    expect(() => x.index_put([long([0]), long([0]), long([0])], 1)).toThrow('too many indices for tensor of dimension 2 (got 3)');
    expect(() => x.index_put([torch.tensor([0.5])], 1)).toThrow("index_put(): Expected dtype int32/int64 for index but got Float");
    expect(() => x.index_put([long([0, 1]), long([0, 1, 0])], 1)).toThrow('The size of tensor a (2) must match the size of tensor b (3)');
    expect(() => x.index_copy(0, long([0]), torch.zeros(1, 3))).toThrow(
      'index_copy(): Source/destination tensor must have same slice shapes. Destination slice shape: [1, 2] at dimension 0 and source slice shape: [1, 3] at dimension 0.');
    expect(() => x.index_copy(0, long([5]), torch.zeros(1, 2))).toThrow('index_copy_(): index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x.index_add(0, torch.tensor([[0]], { dtype: torch.long }), torch.zeros(1, 2))).toThrow('index_add(): Index should have dimension 1 or 0 (got 2)');
  });
});

describe('embedding', () => {
  const F = torch.nn.functional;

  it('repeated indices accumulate into their row; padding_idx\'s row gets no gradient but is returned as it is', () => {
    const w = torch.arange(8).float().reshape(4, 2).requires_grad_();
    const input = long([1, 3, 1, 2]).reshape(2, 2);
    const out = F.embedding(input, w, { padding_idx: 3 });
    expect(out.tolist()).toEqual([[[2, 3], [6, 7]], [[2, 3], [4, 5]]]);
    out.mul(torch.tensor([1, 10])).sum().backward();
    expect(w.grad!.tolist()).toEqual([[0, 0], [2, 20], [1, 10], [0, 0]]);
  });

  it('nn.Embedding zeroes its padding row at init; max_norm renormalises the rows looked up, in place', () => {
    torch.manual_seed(0);
    const emb = new torch.nn.Embedding(4, 3, { padding_idx: -1, max_norm: 1 });
    expect(String(emb)).toBe('Embedding(4, 3, padding_idx=3, max_norm=1)');
    expect(emb.weight.select(0, 3).tolist()).toEqual([0, 0, 0]);
    const before = emb.weight.tolist() as number[][];
    emb.forward(long([0, 2, 2]));
    const after = emb.weight.tolist() as number[][];
    before.forEach((row, i) => {
      const norm = Math.hypot(...row);
      const looked = i === 0 || i === 2;
      row.forEach((v, j) => expect(after[i][j]).toBeCloseTo(looked && norm > 1 ? v / (norm + 1e-7) : v, 6));
    });
    expect(before.filter((row, i) => (i === 0 || i === 2) && Math.hypot(...row) > 1).length).toBeGreaterThan(0); // exercised
  });

  it('from_pretrained copies the weights and freezes them by default', () => {
    const emb = torch.nn.Embedding.from_pretrained(torch.tensor([[1, 2], [3, 4]]));
    expect(emb.weight.requires_grad).toBe(false);
    expect(emb.forward(long([1])).tolist()).toEqual([[3, 4]]);
    expect(torch.nn.Embedding.from_pretrained(torch.zeros(2, 2), { freeze: false }).weight.requires_grad).toBe(true);
  });
});
