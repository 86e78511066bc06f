// Tensors: creation, dtypes, views sharing storage, reading, repr, seeded randomness.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, fixtureValues, type FixtureTensor } from './helpers/fixtures.js';

describe('creation', () => {
  it('tensor infers shape; numbers are float32, booleans bool; dtype option', () => {
    const t = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    expect(t.dim()).toBe(2);
    expect(t.numel()).toBe(6);
    expect(torch.tensor([true, false]).dtype).toBe('bool');
    expect(torch.tensor([1, 2], { dtype: torch.long }).dtype).toBe('int64');
    expect(torch.LongTensor([3]).dtype).toBe('int64');
    expect(torch.tensor(3.5).shape).toEqual([]);
    expect(() => torch.tensor([[1, 2], [3]])).toThrow('expected sequence of length 2 at dim 1 (got 1)');
    expect(torch.tensor([2 ** 40], { dtype: torch.long }).tolist()).toEqual([2 ** 40]); // int64 is 64-bit
  });

  it('zeros, ones, full, arange, linspace, eye, *_like', () => {
    expect(torch.zeros(2, 2).tolist()).toEqual([[0, 0], [0, 0]]);
    expect(torch.ones([3]).tolist()).toEqual([1, 1, 1]);
    expect(torch.full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.arange(5).tolist()).toEqual([0, 1, 2, 3, 4]);
    expect(torch.arange(5).dtype).toBe('int64');
    expect(torch.arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(torch.linspace(0, 1, 5).tolist()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(torch.eye(2, 3).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    const t = torch.tensor([[1, 2]], { dtype: torch.int64 });
    expect(torch.zeros_like(t).dtype).toBe('int64');
    expect(torch.ones_like(t).tolist()).toEqual([[1, 1]]);
  });

  it('randint stays in range and is seeded', () => {
    torch.manual_seed(3);
    const a = torch.randint(2, 5, [100]);
    torch.manual_seed(3);
    const b = torch.randint(2, 5, [100]);
    expect(a.tolist()).toEqual(b.tolist());
    expect(a.dtype).toBe('int64');
    for (const v of a.tolist() as number[]) expect(v >= 2 && v < 5).toBe(true);
    expect(torch.randint(10, [3]).shape).toEqual([3]);
  });
});

describe('seeded randomness draws what PyTorch draws', () => {
  it('manual_seed(1); rand(5) * 2 - 1 gives the inputs PyTorch recorded in ops.json (seed 1)', () => {
    const add = loadFixture<{ cases: { name: string; inputs: FixtureTensor[] }[] }>('ops.json').cases.find((c) => c.name === 'add/5_5')!;
    torch.manual_seed(1);
    expect(Array.from(torch.rand(5).mul(2).sub(1).dataSync())).toEqual(fixtureValues(add.inputs[0]));
  });

  it('manual_seed(1); nn.Linear(1, 1) has the initial weights of training.json linear_regression', () => {
    const t = loadFixture<{ trajectories: { name: string; init_state_dict: Record<string, FixtureTensor> }[] }>('training.json')
      .trajectories.find((x) => x.name === 'linear_regression')!;
    torch.manual_seed(1);
    const l = new torch.nn.Linear(1, 1);
    expect(l.weight.item()).toBe(fixtureValues(t.init_state_dict.weight)[0]);
    expect(l.bias!.item()).toBe(fixtureValues(t.init_state_dict.bias)[0]);
  });

  it('manual_seed(0); randn: PyTorch\'s documented values', () => {
    torch.manual_seed(0);
    expect(Array.from(torch.randn(3).dataSync(), (v) => +v.toFixed(4))).toEqual([1.541, -0.2934, -2.1788]);
    torch.manual_seed(0);
    expect(Array.from(torch.randn(4, 4).dataSync(), (v) => +v.toFixed(4)).slice(0, 8)).toEqual(
      [-1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152]);
  });
});

describe('views share storage', () => {
  it('view, transpose, narrow, select, expand see writes through the base', () => {
    const base = torch.arange(0, 12, { dtype: torch.float32 });
    const m = base.view(3, 4);
    const tr = m.t();
    const row = m.select(0, 1);
    const cols = m.narrow(1, 1, 2);
    expect(tr.is_contiguous()).toBe(false);
    expect(tr.stride()).toEqual([1, 4]);
    torch.no_grad(() => base.mul_(10));
    expect(row.tolist()).toEqual([40, 50, 60, 70]);
    expect((tr.tolist() as number[][])[1]).toEqual([10, 50, 90]);
    expect(cols.tolist()).toEqual([[10, 20], [50, 60], [90, 100]]);
    expect(torch.tensor([[1], [2]]).expand(2, 3).tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(m.permute(1, 0).contiguous().is_contiguous()).toBe(true);
  });

  it('in-place ops on views write into the base', () => {
    const base = torch.zeros(3, 4);
    base.narrow(1, 1, 2).fill_(1);
    base.select(0, 2).copy_(torch.tensor([5, 6, 7, 8]));
    expect(base.tolist()).toEqual([[0, 1, 1, 0], [0, 1, 1, 0], [5, 6, 7, 8]]);
    base.t().add_(1);
    expect(base.sum().item()).toBe(4 + 26 + 12);
  });

  it('in-place arithmetic reads every operand before it writes, whatever it aliases', () => {
    // dense float32 targets are written without a temporary; operands that overlap them in
    // part must still see the old values (plain JS reference)
    const vals = [1, 2, 3, 4, 5, 6];
    const t = torch.tensor(vals);
    t.add_(t); // the same view: elementwise, safe in place
    expect(t.tolist()).toEqual(vals.map((v) => 2 * v));
    const u = torch.tensor(vals);
    u.narrow(0, 1, 5).add_(u.narrow(0, 0, 5)); // shifted by one: each element reads its left neighbour's old value
    expect(u.tolist()).toEqual(vals.map((v, i) => (i === 0 ? v : v + vals[i - 1])));
    const sq = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const w = torch.tensor(sq);
    w.mul_(w.t()); // its own transpose: element (i, j) needs (j, i) before that is written
    expect(w.tolist()).toEqual(sq.map((row, r) => row.map((v, c) => v * sq[c][r])));
    const m = torch.tensor([[1, 2], [3, 4]]);
    m.sub_(m.select(0, 0)); // broadcast row of the target itself
    expect(m.tolist()).toEqual([[0, 0], [2, 2]]);
    const d = torch.tensor([2, 4, 8]);
    const version = d.storage.version;
    d.div_(2).add_(torch.tensor([1, 1, 1]), { alpha: 3 });
    expect(d.tolist()).toEqual([4, 5, 7]);
    expect(d.storage.version).toBe(version + 2);
    const i = torch.tensor([1, 2, 3], { dtype: torch.int64 });
    i.mul_(2); // integer targets take the general path
    expect(i.tolist()).toEqual([2, 4, 6]);
    expect(i.dtype).toBe('int64');
  });

  it('reshape copies only when it must; squeeze/unsqueeze/flatten shapes', () => {
    const x = torch.zeros(2, 3, 4);
    expect(x.reshape(6, 4).storage).toBe(x.storage);
    expect(x.transpose(0, 1).reshape(-1).storage).not.toBe(x.storage);
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3, 4]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 4, 1]);
    expect(torch.zeros(1, 3, 1).squeeze().shape).toEqual([3]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.split(2, 2).map((p) => p.shape)).toEqual([[2, 3, 2], [2, 3, 2]]);
    expect(x.chunk(3, 1).length).toBe(3);
  });
});

describe('reading', () => {
  it('item, tolist, data, dtype conversions', () => {
    expect(torch.tensor([2.5]).item()).toBe(2.5);
    expect(torch.tensor([[true, false]]).tolist()).toEqual([[true, false]]);
    expect(torch.tensor([1.7, -1.7]).long().tolist()).toEqual([1, -1]);
    expect(torch.tensor([1, 0, 2]).bool().tolist()).toEqual([true, false, true]);
    expect(torch.tensor([1, 2], { dtype: torch.long }).float().dtype).toBe('float32');
    const x = torch.tensor([1, 2], { requires_grad: true });
    expect(x.data.requires_grad).toBe(false);
    expect(x.data.storage).toBe(x.storage);
  });

  it('toString is PyTorch\'s repr', () => {
    expect(String(torch.tensor([1, 2, 3]))).toBe('tensor([1., 2., 3.])');
    expect(String(torch.tensor([1.5, -2.25]))).toBe('tensor([ 1.5000, -2.2500])');
    expect(String(torch.tensor([[1, 2], [3, 4]], { dtype: torch.long }))).toBe('tensor([[1, 2],\n        [3, 4]])');
    expect(String(torch.tensor(3))).toBe('tensor(3.)');
    expect(String(torch.tensor([true, false]))).toBe('tensor([ True, False])');
    expect(String(torch.tensor([1e-5, 1]))).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(String(torch.tensor([1], { requires_grad: true }))).toBe('tensor([1.], requires_grad=True)');
    expect(String(torch.zeros(2, 0))).toBe('tensor([], size=(2, 0))');
    expect(String(torch.zeros(2000)).includes('...')).toBe(true);
  });
});

describe('elementwise semantics', () => {
  it('int and bool arithmetic promote like PyTorch', () => {
    const i = torch.tensor([1, 2, 3], { dtype: torch.long });
    expect(i.add(1).dtype).toBe('int64');
    expect(i.mul(1.5).dtype).toBe('float32');
    expect(i.div(2).tolist()).toEqual([0.5, 1, 1.5]);
    expect(i.eq(2).dtype).toBe('bool');
    expect(i.eq(2).sum().item()).toBe(1);
    expect(i.eq(2).sum().dtype).toBe('int64');
    expect(i.argmax().item()).toBe(2);
  });

  it('NaN propagates through maximum, relu keeps it, clamp bounds', () => {
    const x = torch.tensor([NaN, 1, -1]);
    expect((torch.maximum(x, torch.zeros(3)).tolist() as number[])[0]).toBeNaN();
    expect((x.relu().tolist() as number[])[0]).toBeNaN();
    expect(torch.tensor([-2, 0.5, 3]).clamp({ min: 0, max: 1 }).tolist()).toEqual([0, 0.5, 1]);
  });
});

describe('review fixes: PyTorch behaviour', () => {
  it('randint draws what PyTorch draws; randperm is a seeded permutation', () => {
    torch.manual_seed(0);
    expect(torch.randint(0, 10, [5]).tolist()).toEqual([4, 9, 3, 0, 3]);
    torch.manual_seed(7);
    const p = torch.randperm(10).tolist() as number[];
    torch.manual_seed(7);
    expect(torch.randperm(10).tolist()).toEqual(p);
    expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('cat promotes dtypes; masked_fill keeps the input dtype', () => {
    const c = torch.cat([torch.tensor([1, 2], { dtype: torch.long }), torch.tensor([0.5])]);
    expect(c.dtype).toBe('float32');
    expect(c.tolist()).toEqual([1, 2, 0.5]);
    const m = torch.tensor([1, 2], { dtype: torch.long }).masked_fill(torch.tensor([true, false]), 7.9);
    expect(m.dtype).toBe('int64');
    expect(m.tolist()).toEqual([7, 2]);
  });

  it('split(0) and chunk(0) are errors, not endless loops', () => {
    expect(() => torch.ones(3).split(0)).toThrow('split_size can only be 0 if dimension size is 0, but got dimension size of 3');
    expect(() => torch.ones(3).chunk(0)).toThrow('chunk expects `chunks` to be greater than 0, got: 0');
  });

  it('argmax(x, null), var(dim, unbiased, keepdim), reductions of 0-d tensors', () => {
    expect(torch.argmax(torch.tensor([1, 5, 2]), null as never).item()).toBe(1);
    expect(torch.ones(2, 3).var(1, true, true).shape).toEqual([2, 1]);
    const s = torch.tensor(2, { requires_grad: true });
    const y = s.sum(null, true);
    expect(y).not.toBe(s);
    expect(s.is_leaf).toBe(true);
    y.backward();
    expect(s.grad!.item()).toBe(1);
  });

  it('to() and type(): dtypes, legacy constructors, the cpu device', () => {
    const x = torch.tensor([1.5, 2.5]);
    expect(x.to('cpu')).toBe(x);
    expect(x.to({ dtype: torch.long }).tolist()).toEqual([1, 2]);
    expect(x.type()).toBe('torch.FloatTensor');
    expect(x.type(torch.LongTensor).dtype).toBe('int64');
    expect(x.type('torch.IntTensor').dtype).toBe('int32');
    expect(() => x.to('cuda')).toThrow('Torch not compiled with CUDA enabled');
    expect(() => x.to('nonsense')).toThrow('device type at start of device string: nonsense');
  });

  it('binary_cross_entropy has finite gradients at inputs of exactly 0 and 1', () => {
    const p = torch.tensor([1, 0, 0.25], { requires_grad: true });
    const loss = torch.nn.functional.binary_cross_entropy(p, torch.tensor([1, 0, 1]));
    loss.backward();
    const g = p.grad!.tolist() as number[];
    expect(g[0]).toBe(0);
    expect(g[1]).toBe(0);
    expect(g[2]).toBeCloseTo(-1 / 0.25 / 3, 5);
    expect(loss.item()).toBeCloseTo(-Math.log(0.25) / 3, 5);
  });
});

