// The ops tutorials call beyond the course (issue 17): gradients against
// central differences, plain-JS references, in-place variants with version
// counters, the new_* methods and modules, and PyTorch's errors (each followed
// by a check that the library is intact). Values against PyTorch are in
// test/fixtures/ops.json (ops.fixtures.test.ts).
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';
import { expectIntact } from './helpers/intact.js';

const F = torch.nn.functional;
const long = (v: number[]) => torch.tensor(v, { dtype: torch.long });
type Fn = (...xs: torch.Tensor[]) => torch.Tensor | torch.Tensor[];
const withZeros = (shape: number[], seed: number) => sample(shape, seed).mul(sample(shape, seed + 1).gt(-0.3));

const gradients: [string, Fn, torch.Tensor[]][] = [
  ['tan', (x) => torch.tan(x), [sample([5], 1)]],
  ['asin', (x) => torch.asin(x), [sample([5], 2, -0.8, 0.8)]],
  ['acos', (x) => torch.acos(x), [sample([5], 3, -0.8, 0.8)]],
  ['atan', (x) => torch.atan(x), [sample([5], 4, -3, 3)]],
  ['atan2', (a, b) => torch.atan2(a, b), [sample([3, 4], 5), sample([4], 6, 0.3, 2)]],
  ['log2 log10', (x) => torch.log2(x).add(torch.log10(x)), [sample([5], 7, 0.2, 3)]],
  ['lgamma', (x) => torch.lgamma(x), [sample([6], 8, 0.3, 6)]],
  ['digamma', (x) => torch.digamma(x), [sample([6], 9, 0.3, 6)]],
  ['cumsum', (x) => torch.cumsum(x, 1), [sample([3, 5], 10)]],
  ['cumprod', (x) => torch.cumprod(x, 0), [sample([5, 2], 11)]],
  ['cumprod with zeros', (x) => torch.cumprod(x.mul(torch.tensor([1, 0, 1, 1, 0, 1])), 0), [sample([6], 12)]],
  ['prod all', (x) => torch.prod(x), [sample([2, 3], 13)]],
  ['prod dim with a zero', (x) => torch.prod(x.mul(torch.tensor([[1, 0, 1], [1, 1, 1]])), 1), [sample([2, 3], 14)]],
  ['norm 2, p=3, inf', (x) => [torch.norm(x), torch.norm(x, 3, 1), torch.linalg.vector_norm(x, Infinity, 0)], [sample([3, 4], 15)]],
  ['matrix_norm fro and 1', (x) => [torch.linalg.matrix_norm(x), torch.linalg.matrix_norm(x, 1)], [sample([3, 4], 16)]],
  ['normalize', (x) => F.normalize(x, { dim: 1 }), [sample([3, 4], 17)]],
  ['cdist', (a, b) => torch.cdist(a, b), [sample([4, 3], 18), sample([5, 3], 19)]],
  ['einsum attention scores', (q, k) => torch.einsum('bqd,bkd->bqk', q, k), [sample([2, 3, 4], 20), sample([2, 5, 4], 21)]],
  ['einsum trace and outer', (a, v) => [torch.einsum('ii', a), torch.einsum('i,j->ij', v, v)], [sample([3, 3], 22), sample([3], 23)]],
  ['outer mv trace', (a, v) => [torch.outer(v, v), torch.mv(a, v), torch.trace(a)], [sample([3, 3], 24), sample([3], 25)]],
  ['repeat tile', (x) => [x.repeat(2, 1, 3), torch.tile(x, [2])], [sample([2, 3], 26)]],
  ['repeat_interleave', (x) => [torch.repeat_interleave(x, 2, 0), torch.repeat_interleave(x, long([2, 0, 1]), 1)], [sample([2, 3], 27)]],
  ['roll flip', (x) => [torch.roll(x, [1, -2], [0, 1]), torch.flip(x, [1])], [sample([3, 4], 28)]],
  ['tril triu diag diagonal', (x) => [torch.tril(x), torch.triu(x, 1), torch.diag(x, -1), torch.diagonal(x, 1)], [sample([3, 4], 29)]],
  ['diag of a vector', (v) => torch.diag(v, 1), [sample([3], 30)]],
  ['scatter scatter_add', (x, s) => [torch.scatter(x, 0, long([2, 0, 1]).reshape(1, 3), s), torch.scatter_add(x, 1, long([0, 0, 2, 1, 1, 1]).reshape(2, 3), s.repeat(2, 1))],
    [sample([3, 3], 31), sample([1, 3], 32)]],
  ['scatter_reduce mean', (x, s) => torch.scatter_reduce(x, 0, long([0, 1, 0, 2]), s, 'mean'), [sample([3], 33), sample([4], 34)]],
  ['take masked_select', (x) => [torch.take(x, long([5, 0, -1])), torch.masked_select(x, x.gt(0))], [sample([2, 3], 35)]],
  ['pad reflect replicate constant', (x) => [F.pad(x, [2, 1], { mode: 'reflect' }), F.pad(x, [1, 2, 1, 0], { mode: 'replicate' }), F.pad(x, [1, -1], { value: 3 })],
    [sample([1, 3, 4], 36)]],
  ['interpolate bilinear, nearest', (x) => [F.interpolate(x, { size: [5, 3], mode: 'bilinear' }), F.interpolate(x, { scale_factor: 2 })], [sample([1, 2, 3, 4], 37)]],
  ['activations', (x) => [F.elu(x), F.selu(x), F.celu(x, 0.5), F.logsigmoid(x), F.softsign(x), F.mish(x), F.hardswish(x), F.tanhshrink(x)],
    [sample([7], 38, -3, 3)]],
  ['hardtanh relu6 hardsigmoid away from the kinks', (x) => [F.hardtanh(x), F.relu6(x.mul(4)), F.hardsigmoid(x.mul(4))], [torch.tensor([-1.7, -0.4, 0.3, 0.8, 1.9])]],
  ['glu', (x) => F.glu(x, 1), [sample([2, 6], 39)]],
  ['max_pool1d avg_pool1d', (x) => [F.max_pool1d(x, 3, 2) as torch.Tensor, F.avg_pool1d(x, 2) as torch.Tensor], [sample([2, 2, 7], 40)]],
  ['addcmul addcdiv lerp', (x, a, b) => [torch.addcmul(x, a, b, { value: 0.5 }), torch.addcdiv(x, a, b.abs().add(0.5)), torch.lerp(x, a, b)],
    [sample([3], 41), sample([3], 42), sample([3], 43)]],
  ['var_mean std_mean', (x) => [...torch.var_mean(x, 1), ...torch.std_mean(x)], [sample([3, 4], 44)]],
];

describe('gradients of the new ops (central differences)', () => {
  for (const [name, fn, inputs] of gradients) it(name, () => expect(gradcheck(fn, inputs)).toBeNull());

  it('the 2-norm of a zero vector has gradient 0, not NaN (PyTorch\'s)', () => {
    const x = torch.zeros(3, { requires_grad: true });
    torch.norm(x).backward();
    expect(x.grad!.tolist()).toEqual([0, 0, 0]);
  });
});

describe('values against plain JS', () => {
  it('all, any, nonzero, argwhere, unique, bincount', () => {
    const m = torch.tensor([[0, 1, 2], [3, 0, 0]]);
    expect(torch.all(m).item()).toBe(false);
    expect(torch.any(m, 1).tolist()).toEqual([true, true]);
    expect(torch.all(m.gt(-1), { dim: 0 }).tolist()).toEqual([true, true, true]);
    expect(torch.all(torch.zeros(0)).item()).toBe(true);
    expect(torch.any(torch.zeros(2, 0), 1).tolist()).toEqual([false, false]);
    expect((torch.nonzero(m) as torch.Tensor).tolist()).toEqual([[0, 1], [0, 2], [1, 0]]);
    expect((torch.nonzero(m, { as_tuple: true }) as torch.Tensor[]).map((t) => t.tolist())).toEqual([[0, 0, 1], [1, 2, 0]]);
    expect(torch.argwhere(torch.tensor([0, 5, 0, 7])).tolist()).toEqual([[1], [3]]);
    const [values, inverse, counts] = torch.unique(long([3, 1, 3, 2]), { return_inverse: true, return_counts: true }) as torch.Tensor[];
    expect([values.tolist(), inverse.tolist(), counts.tolist()]).toEqual([[1, 2, 3], [2, 0, 2, 1], [1, 1, 2]]);
    expect((torch.unique(torch.tensor([[1, 2], [1, 2], [0, 5]]), { dim: 0 }) as torch.Tensor).tolist()).toEqual([[0, 5], [1, 2]]);
    expect(torch.bincount(long([1, 1, 3]), { minlength: 5 }).tolist()).toEqual([0, 2, 0, 1, 0]);
    expect(torch.bincount(long([0, 2, 2]), torch.tensor([0.5, 1, 2])).tolist()).toEqual([0.5, 0, 3]);
  });

  it('isnan, isinf, isfinite, isclose, allclose, equal', () => {
    const x = torch.tensor([1, NaN, Infinity, -Infinity, 0]);
    expect(torch.isnan(x).tolist()).toEqual([false, true, false, false, false]);
    expect(torch.isinf(x).tolist()).toEqual([false, false, true, true, false]);
    expect(torch.isfinite(x).tolist()).toEqual([true, false, false, false, true]);
    expect(torch.isposinf(x).tolist()).toEqual([false, false, true, false, false]);
    expect(torch.isfinite(long([1, 2])).tolist()).toEqual([true, true]);
    expect(torch.isclose(x, x).tolist()).toEqual([true, false, true, true, true]);
    expect(torch.isclose(x, x, { equal_nan: true }).tolist()).toEqual([true, true, true, true, true]);
    expect(torch.allclose(torch.tensor([1, 2]), torch.tensor([1 + 1e-6, 2]))).toBe(true);
    expect(torch.allclose(torch.tensor([1, 2]), torch.tensor([1.1, 2]))).toBe(false);
    expect(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2]))).toBe(true);
    expect(torch.equal(torch.tensor([1, 2]), torch.tensor([1, 2, 3]))).toBe(false);
    expect(torch.tensor([1, 2]).equal(torch.tensor([1, 3]))).toBe(false);
  });

  it('meshgrid ij and xy, ravel, cumsum of int64 exactly, prod of bools', () => {
    const [gi, gj] = torch.meshgrid(torch.tensor([1, 2]), torch.tensor([3, 4, 5]), { indexing: 'ij' });
    expect(gi.tolist()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(gj.tolist()).toEqual([[3, 4, 5], [3, 4, 5]]);
    const [gx, gy] = torch.meshgrid([torch.tensor([1, 2]), torch.tensor([3, 4, 5])], { indexing: 'xy' });
    expect(gx.tolist()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(gy.tolist()).toEqual([[3, 3], [4, 4], [5, 5]]);
    expect(torch.ravel(torch.arange(6).reshape(2, 3).t()).tolist()).toEqual([0, 3, 1, 4, 2, 5]);
    const big = torch.tensor([2n ** 53n, 1n, 1n]);
    expect(torch.cumsum(big, 0).tolist()).toEqual([2 ** 53, 2n ** 53n + 1n, 2n ** 53n + 2n]); // numbers while exact
    expect(torch.prod(torch.tensor([true, true])).dtype).toBe('int64');
    expect(torch.cumsum(torch.tensor([true, true]), 0).tolist()).toEqual([1, 2]);
  });
});

describe('in-place variants and the new_* methods', () => {
  it('x.op_() writes x.op() into x and returns x', () => {
    const cases: [string, unknown[]][] = [['exp', []], ['sqrt', []], ['clamp', [0.2, 0.5]], ['pow', [2]], ['tan', []], ['cumsum', [1]],
      ['tril', []], ['lerp', [torch.ones(2, 2), 0.5]], ['addcmul', [torch.ones(2, 2), torch.ones(2, 2)]], ['clamp_min', [0.4]],
      ['masked_fill', [torch.tensor([[true, false], [false, true]]), 9]], ['log1p', []], ['sigmoid', []], ['atan2', [torch.ones(2, 2)]]];
    for (const [name, args] of cases) {
      const x = torch.tensor([[0.1, 0.9], [0.3, 0.6]]);
      const want = (x as unknown as Record<string, (...a: unknown[]) => torch.Tensor>)[name](...args).tolist();
      const r = (x as unknown as Record<string, (...a: unknown[]) => torch.Tensor>)[`${name}_`](...args);
      expect(r, name).toBe(x);
      expect(x.tolist(), name).toEqual(want);
    }
  });

  it('autograd sees an in-place op through its version counter', () => {
    const a = torch.tensor([0.5, 1.5], { requires_grad: true });
    const y = a.mul(2);
    const z = y.exp();
    y.exp_(); // z's backward saved its output; y's change does not touch it
    z.sum().backward();
    expect((a.grad!.tolist() as number[]).map((v) => Number(v.toFixed(4)))).toEqual([2 * Math.exp(1), 2 * Math.exp(3)].map((v) => Number(v.toFixed(4))));
    const b = torch.tensor([0.5, 1.5], { requires_grad: true });
    const s = b.mul(1).sigmoid();
    const loss = s.mul(s).sum();
    s.sqrt_(); // sigmoid's backward needs s as it was
    expect(() => loss.backward()).toThrow(/one of the variables needed for gradient computation has been modified by an inplace operation/);
    expect(s._version).toBe(1);
  });

  it('an op recorded before an in-place write keeps its edge: the write does not re-route its gradient', () => {
    const a = torch.tensor([1, 2, 3], { requires_grad: true });
    const y = a.mul(1);
    const z = y.add(1); // recorded with y's history as it was
    y.set(0, 5); // y's history is now CopySlices
    z.sum().backward();
    expect(a.grad!.tolist()).toEqual([1, 1, 1]); // PyTorch's; re-routed through CopySlices it was [0, 1, 1]
    const b = torch.tensor([1, 2], { requires_grad: true });
    const h = b.mul(2);
    const w = h.mul(3);
    h.exp_();
    w.add(h).sum().backward(); // w's part: 3 * 2; h's part: exp(2b) * 2
    expect((b.grad!.tolist() as number[]).map((v) => Number(v.toFixed(3)))).toEqual([6 + 2 * Math.exp(2), 6 + 2 * Math.exp(4)].map((v) => Number(v.toFixed(3))));
  });

  it('in-place results must keep the shape and fit the dtype, in PyTorch\'s words', () => {
    expect(() => long([1, 2]).sqrt_()).toThrow("result type Float can't be cast to the desired output type Long");
    expect(() => torch.ones(3).atan2_(torch.ones(2, 3))).toThrow("output with shape [3] doesn't match the broadcast shape [2, 3]");
    expect(() => torch.ones(2, { requires_grad: true }).exp_()).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    expectIntact();
  });

  it('new_zeros, new_ones, new_full, new_empty, new_tensor keep this tensor\'s dtype unless told', () => {
    const x = long([1, 2]);
    expect(x.new_zeros(2, 3).dtype).toBe('int64');
    expect(x.new_zeros([2, 3]).shape).toEqual([2, 3]);
    expect(x.new_ones([2], { dtype: torch.float32 }).tolist()).toEqual([1, 1]);
    expect(x.new_full([2], 7).tolist()).toEqual([7, 7]);
    expect(torch.ones(1).new_empty(3).shape).toEqual([3]);
    const t = torch.ones(1).new_tensor([[1, 2]], { requires_grad: true });
    expect([t.dtype, t.requires_grad, t.tolist()]).toEqual(['float32', true, [[1, 2]]]);
    expect(() => x.new_zeros(2, { bogus: 1 } as never)).toThrow(TypeError);
  });
});

describe('the new modules', () => {
  it('hold their arguments, print as PyTorch\'s and call their functional', () => {
    const x = sample([1, 2, 6], 50);
    expect(String(new torch.nn.ELU(0.5))).toBe('ELU(alpha=0.5)');
    expect(String(new torch.nn.Hardtanh({ min_val: -2 }))).toBe('Hardtanh(min_val=-2.0, max_val=1.0)');
    expect(new torch.nn.GLU().forward(x).shape).toEqual([1, 2, 3]);
    expect(new torch.nn.Mish()(x).tolist()).toEqual(F.mish(x).tolist());
    expect(new torch.nn.Upsample({ scale_factor: 2, mode: 'nearest' })(x.unsqueeze(0)).shape).toEqual([1, 1, 4, 12]);
    expect(new torch.nn.MaxPool1d(2)(x).shape).toEqual([1, 2, 3]);
    expect(new torch.nn.AvgPool1d(3, { stride: 1 })(x).shape).toEqual([1, 2, 4]);
    expect(new torch.nn.ReflectionPad1d(2)(x).shape).toEqual([1, 2, 10]);
    expect(new torch.nn.ZeroPad2d([1, 0, 2, 0])(x.unsqueeze(0)).shape).toEqual([1, 1, 4, 7]);
    expect(String(new torch.nn.ConstantPad1d(1, 3.5))).toBe('ConstantPad1d(padding=(1, 1), value=3.5)');
    expect(new torch.nn.Sequential(new torch.nn.Linear(6, 4), new torch.nn.SELU(), new torch.nn.LogSigmoid())(x).shape).toEqual([1, 2, 4]);
    expect(() => new torch.nn.ELU({ alpha: 1, bogus: 2 } as never)).toThrow("ELU.__init__() got an unexpected keyword argument 'bogus'");
  });
});

describe('errors in PyTorch\'s words, the library intact after each', () => {
  const x = torch.zeros(2, 3);
  const cases: [string, () => unknown, string | RegExp][] = [
    ['repeat with fewer dims', () => x.repeat(2), 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor'],
    ['repeat to a negative size', () => x.repeat(-1, 2), 'Trying to create tensor with negative dimension -2: [-2, 6]'],
    ['tril of a vector', () => torch.tril(torch.zeros(3)), 'tril: input tensor must have at least 2 dimensions'],
    ['roll with unaligned shifts', () => torch.roll(x, [1, 2], [0]), 'shifts and dimensions must align. shifts: 2, dims:1'],
    ['diag of 3-d', () => torch.diag(torch.zeros(2, 2, 2)), 'diag(): Supports 1D or 2D tensors. Got 3D'],
    ['trace of a vector', () => torch.trace(torch.zeros(3)), 'trace: expected a matrix, but got tensor with dim 1'],
    ['outer of a matrix', () => torch.outer(torch.zeros(2, 2), torch.zeros(2)), 'outer: Expected 1-D argument self, but got 2-D'],
    ['mv size mismatch', () => torch.mv(x, torch.zeros(2)), 'size mismatch, got input (2), mat (2x3), vec (2)'],
    ['mv of a vector', () => torch.mv(torch.zeros(3), torch.zeros(2)), 'vector + matrix @ vector expected, got 1, 1, 1'],
    ['repeat_interleave counts', () => torch.repeat_interleave(x, long([1, 2])), 'repeats must have the same size as input along dim, but got repeats.size(0) = 2 and input.size(0) = 6'],
    ['repeat_interleave negative', () => torch.repeat_interleave(x, -1), 'Repeats must be non-negative'],
    ['cumsum dim', () => torch.cumsum(x, 2), 'Dimension out of range (expected to be in range of [-2, 1], but got 2)'],
    ['flip twice', () => torch.flip(x, [0, 0]), 'dim 0 appears multiple times in the list of dims'],
    ['take out of range', () => torch.take(x, long([10])), 'out of range: tried to access index 10 on a tensor of 6 elements.'],
    ['bincount negative', () => torch.bincount(long([-1])), 'bincount only supports 1-d non-negative integral inputs.'],
    ['bincount of floats', () => torch.bincount(torch.tensor([1])), `"bincount_cpu" not implemented for 'Float'`],
    ['scatter index out of bounds', () => torch.scatter(x, 0, long([5, 0, 0]).reshape(1, 3), 1.0), 'index 5 is out of bounds for dimension 0 with size 2'],
    ['scatter float index', () => torch.scatter(x, 0, torch.tensor([[1, 0, 0]]), 1.0), 'scatter(): Expected dtype int32/int64 for index'],
    ['scatter index too large', () => torch.scatter(x, 0, long([1, 0, 0, 0]).reshape(1, 4), 1.0), 'Expected index [1, 4] to be no larger than self [2, 3] apart from dimension 0'],
    ['scatter index rank', () => torch.scatter(x, 0, long([1, 0, 0]), 1.0), 'Index tensor must have the same number of dimensions as self tensor'],
    ['scatter_add src too small', () => torch.scatter_add(x, 0, long([1, 0, 0]).reshape(1, 3), torch.ones(1, 2)),
      'Expected index [1, 3] to be no larger than self [2, 3] apart from dimension 0 and to be no larger size than src [1, 2]'],
    ['masked_select float mask', () => torch.masked_select(x, torch.tensor([1, 0, 1])), 'masked_select: expected BoolTensor for mask'],
    ['isclose dtypes', () => torch.isclose(torch.tensor([1]), long([1])), 'Float did not match Long'],
    ['isclose rtol', () => torch.isclose(x, x, -1), 'rtol must be greater than or equal to zero, but got -1'],
    ['pad reflect too wide', () => F.pad(torch.zeros(1, 2, 3), [3, 3], { mode: 'reflect' }),
      'Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 2 of input [1, 2, 3]'],
    ['pad odd length', () => F.pad(x, [1]), 'Padding length must be divisible by 2'],
    ['pad too long', () => F.pad(x, [1, 1, 1, 1, 1, 1]), 'Padding length should be less than or equal to two times the input dimension but got padding length 6 and input of dimension 2'],
    ['pad unknown mode', () => F.pad(x, [1, 1], { mode: 'foo' }), 'Unrecognised padding mode foo'],
    ['pad replicate value', () => F.pad(torch.zeros(1, 2, 3), [1, 1], { mode: 'replicate', value: 2 }), 'Padding mode "replicate" doesn\'t take in value argument'],
    ['pad reflect of 1-d', () => F.pad(torch.zeros(3), [1, 1], { mode: 'reflect' }), /^Padding size 2 is not supported for 1D input tensor\./],
    ['interpolate bilinear 3-d', () => F.interpolate(torch.zeros(1, 2, 3), { size: 5, mode: 'bilinear' }), 'Got 3D input, but bilinear mode needs 4D input'],
    ['interpolate nothing', () => F.interpolate(torch.zeros(1, 2, 3)), 'either size or scale_factor should be defined'],
    ['interpolate both', () => F.interpolate(torch.zeros(1, 2, 3), { size: 5, scale_factor: 2 }), 'only one of size or scale_factor should be defined'],
    ['interpolate align_corners nearest', () => F.interpolate(torch.zeros(1, 2, 3), { size: 5, align_corners: true }),
      'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear'],
    ['glu odd', () => F.glu(x, 1), 'Halving dimension must be even, but dimension 1 is size 3'],
    ['glu scalar', () => F.glu(torch.tensor(1)), 'glu does not support scalars because halving size must be even'],
    ['max_pool1d of 4-d', () => F.max_pool1d(torch.zeros(2, 3, 4, 5), 2), 'max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 3, 4, 5]'],
    ['einsum operand rank', () => torch.einsum('ijk,jk', x, x), 'einsum(): the number of subscripts in the equation (3) does not match the number of dimensions (2) for operand 0 and no ellipsis was given'],
    ['einsum unknown output', () => torch.einsum('ij->k', x), 'einsum(): output subscript k does not appear in the equation for any input operand'],
    ['einsum no arguments', () => (torch.einsum as unknown as () => unknown)(), "einsum() missing 1 required positional arguments: \"equation\""],
    ['matrix_norm nuc', () => torch.linalg.matrix_norm(x, 'nuc'), /needs a singular value decomposition/],
    ['vector_norm inf of empty', () => torch.linalg.vector_norm(torch.zeros(0), Infinity),
      'linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity'],
    ['cdist columns', () => torch.cdist(torch.zeros(2, 3), torch.zeros(2, 4)), 'X1 and X2 must have the same number of columns. X1: 3 X2: 4'],
    ['hardtanh bounds', () => F.hardtanh(x, 1, 0), 'min_val cannot be greater than max_val'],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => {
      expect(call).toThrow(message);
      expectIntact();
    });
  }
});

describe('ModuleDict, ParameterList, ParameterDict', () => {
  it('register their entries under PyTorch\'s state-dict keys and iterate in order', () => {
    class Net extends torch.nn.Module {
      heads = new torch.nn.ModuleDict({ cls: new torch.nn.Linear(2, 3), box: new torch.nn.Linear(2, 4) });
      scales = new torch.nn.ParameterList([torch.ones(2), torch.zeros(1)]);
      extra = new torch.nn.ParameterDict({ bias: torch.zeros(3) });
    }
    const net = new Net();
    expect(Object.keys(net.state_dict())).toEqual(['heads.cls.weight', 'heads.cls.bias', 'heads.box.weight', 'heads.box.bias', 'scales.0', 'scales.1', 'extra.bias']);
    expect(net.parameters().length).toBe(7);
    expect(net.heads.keys()).toEqual(['cls', 'box']);
    expect(net.heads.get('box')).toBeInstanceOf(torch.nn.Linear);
    expect([...net.scales].map((p) => p.shape)).toEqual([[2], [1]]);
    expect(net.scales[0]).toBeInstanceOf(torch.nn.Parameter);
    expect(net.extra.get('bias').requires_grad).toBe(true);
    net.heads.set('extra', new torch.nn.ReLU());
    expect(net.heads.length).toBe(3);
    expect(net.heads.pop('extra')).toBeInstanceOf(torch.nn.ReLU);
    expect(() => net.heads.get('nope')).toThrow("'nope'");
    const md = new torch.nn.ModuleDict(new Map([['a', new torch.nn.Tanh()]]));
    md.update([['b', new torch.nn.Sigmoid()]]);
    expect([...md]).toEqual(['a', 'b']);
    expect(String(md)).toContain('(a): Tanh()');
  });
});
