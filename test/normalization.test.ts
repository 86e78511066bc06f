// Normalization and dropout: F.batch_norm / layer_norm / group_norm / dropout /
// dropout2d and their modules, against PyTorch's fixtures, PyTorch's formulas
// computed in plain JS, central differences, and PyTorch's error messages.
import { describe, it, expect, vi, afterEach } from 'vitest';
import * as torch from '../src/index.js';
import { batch_norm, layer_norm, group_norm, dropout, dropout2d } from '../src/nn/normalization.js';
import {
  BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm, Dropout, Dropout2d, Unflatten,
} from '../src/nn/normalization_layers.js';
import { pyFloat } from '../src/pyrepr.js';
import { loadFixture, toTensor, expectClose, allclose, type FixtureTensor } from './helpers/fixtures.js';
import { gradcheck, sample } from './helpers/gradcheck.js';

interface OpCase {
  name: string;
  op: string;
  inputs: FixtureTensor[];
  args: unknown[];
  kwargs: Record<string, unknown>;
  outputs: FixtureTensor[];
  grad_outputs: FixtureTensor[];
  grads: (FixtureTensor | null)[];
}

const cases = loadFixture<{ cases: OpCase[] }>('ops.json').cases;
const fixture = (name: string): OpCase => {
  const c = cases.find((k) => k.name === name);
  if (!c) throw new Error(`no fixture ${name}`);
  return c;
};

/** Runs a fixture case through fn: output, then the input gradients of sum(out * grad_out). */
function checkFixture(c: OpCase, fn: (inputs: torch.Tensor[]) => torch.Tensor): void {
  const inputs = c.inputs.map((t) => toTensor(t, true));
  const out = fn(inputs);
  expectClose(out, c.outputs[0]);
  out.mul(toTensor(c.grad_outputs[0])).sum().backward();
  c.grads.forEach((g, i) => {
    if (g === null) return;
    expect(inputs[i].grad, `grad of input ${i}`).not.toBeNull();
    expectClose(inputs[i].grad!, g);
  });
}

const values = (t: torch.Tensor): number[] => Array.from(t.dataSync(), Number);

/** Per-channel mean and biased / unbiased variance of x [N, C, *] in double precision. */
function channelStats(x: torch.Tensor): { mean: number[]; biased: number[]; unbiased: number[] } {
  const [N, C] = x.shape;
  const inner = x.shape.slice(2).reduce((a, b) => a * b, 1);
  const d = values(x.contiguous());
  const mean: number[] = [], biased: number[] = [], unbiased: number[] = [];
  for (let c = 0; c < C; c++) {
    const xs: number[] = [];
    for (let n = 0; n < N; n++) for (let i = 0; i < inner; i++) xs.push(d[(n * C + c) * inner + i]);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const ss = xs.reduce((a, b) => a + (b - m) * (b - m), 0);
    mean.push(m);
    biased.push(ss / xs.length);
    unbiased.push(ss / (xs.length - 1));
  }
  return { mean, biased, unbiased };
}

function expectValues(actual: torch.Tensor, expected: number[], rtol = 1e-5, atol = 1e-6): void {
  const err = allclose(values(actual), expected, rtol, atol);
  if (err) throw new Error(err);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('batch_norm', () => {
  it('matches PyTorch: batch_norm/train_4x3 (outputs and gradients)', () => {
    checkFixture(fixture('batch_norm/train_4x3'), ([x, w, b]) => batch_norm(x, null, null, w, b, { training: true }));
  });

  it('matches PyTorch: batch_norm/train_2x3x4x4 (outputs and gradients)', () => {
    checkFixture(fixture('batch_norm/train_2x3x4x4'), ([x, w, b]) => batch_norm(x, null, null, w, b, true));
  });

  it('accepts the options-object form', () => {
    const c = fixture('batch_norm/train_4x3');
    const [x, w, b] = c.inputs.map((t) => toTensor(t));
    expectClose(batch_norm(x, { running_mean: null, running_var: null, weight: w, bias: b, training: true }), c.outputs[0]);
    expectClose(batch_norm(x, null, null, { weight: w, bias: b, training: true, eps: 1e-5 }), c.outputs[0]);
  });

  it('updates running stats in place with PyTorch formula (unbiased running_var)', () => {
    const x = sample([4, 3, 5], 11);
    const rm = torch.tensor([0.5, -1, 2]);
    const rv = torch.tensor([1, 2, 0.5]);
    const rm0 = values(rm), rv0 = values(rv);
    const momentum = 0.3;
    batch_norm(x, rm, rv, null, null, true, momentum);
    const s = channelStats(x);
    expectValues(rm, rm0.map((r, c) => (1 - momentum) * r + momentum * s.mean[c]));
    expectValues(rv, rv0.map((r, c) => (1 - momentum) * r + momentum * s.unbiased[c]));
    expect(rm.requires_grad).toBe(false);
  });

  it('normalizes with the biased batch variance in training', () => {
    const x = sample([5, 2, 3], 4);
    const s = channelStats(x);
    const y = batch_norm(x, null, null, null, null, true, 0.1, 1e-5);
    const d = values(x);
    const expected = d.map((v, i) => {
      const c = Math.floor(i / 3) % 2;
      return (v - s.mean[c]) / Math.sqrt(s.biased[c] + 1e-5);
    });
    expectValues(y, expected, 1e-4, 1e-5);
  });

  it('uses the running stats in eval mode and leaves them alone', () => {
    const x = sample([3, 2, 4], 5);
    const rm = torch.tensor([0.25, -0.5]), rv = torch.tensor([2, 0.5]);
    const w = torch.tensor([1.5, -2]), b = torch.tensor([0.1, 0.2]);
    const y = batch_norm(x, rm, rv, w, b, false, 0.1, 1e-3);
    const expected = values(x).map((v, i) => {
      const c = Math.floor(i / 4) % 2;
      return ((v - [0.25, -0.5][c]) / Math.sqrt([2, 0.5][c] + 1e-3)) * [1.5, -2][c] + [0.1, 0.2][c];
    });
    expectValues(y, expected, 1e-5, 1e-5);
    expect(values(rm)).toEqual([0.25, -0.5]);
    expect(values(rv)).toEqual([2, 0.5]);
  });

  it('gradcheck: training, 2-D and 3-D input with weight and bias', () => {
    const fn = (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => batch_norm(x, null, null, w, b, true);
    expect(gradcheck(fn, [sample([4, 3], 1), sample([3], 2), sample([3], 3)])).toBeNull();
    expect(gradcheck(fn, [sample([2, 3, 4], 4), sample([3], 5), sample([3], 6)])).toBeNull();
  });

  it('gradcheck: eval mode (running stats fixed)', () => {
    const rm = torch.tensor([0.1, -0.2, 0.3]), rv = torch.tensor([1.5, 0.7, 2]);
    const fn = (x: torch.Tensor, w: torch.Tensor, b: torch.Tensor) => batch_norm(x, rm, rv, w, b, false);
    expect(gradcheck(fn, [sample([2, 3, 2], 7), sample([3], 8), sample([3], 9)])).toBeNull();
  });

  it('error messages', () => {
    const x = torch.zeros([4, 3]);
    expect(() => batch_norm(torch.zeros([1, 3]), null, null, null, null, true))
      .toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3])');
    expect(() => batch_norm(torch.zeros([1, 3, 1]), null, null, { training: true }))
      .toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1])');
    expect(() => batch_norm(x, torch.zeros([4]), torch.ones([3]))).toThrow('running_mean should contain 3 elements not 4');
    expect(() => batch_norm(x, torch.zeros([3]), torch.ones([2]))).toThrow('running_var should contain 3 elements not 2');
    expect(() => batch_norm(x, null, null, torch.ones([2]), null, true)).toThrow('weight should contain 3 elements not 2');
    expect(() => batch_norm(x, null, null, null, torch.ones([5]), true)).toThrow('bias should contain 3 elements not 5');
    expect(() => batch_norm(x, null, null)).toThrow('running_mean must be defined in evaluation mode');
    expect(() => batch_norm(x, torch.zeros([3]), null)).toThrow('running_var must be defined in evaluation mode');
    expect(() => batch_norm(torch.zeros([3]), torch.zeros([3]), torch.ones([3])))
      .toThrow('Dimension out of range (expected to be in range of [-1, 0], but got 1)');
    expect(() => batch_norm(x, { train: true } as never)).toThrow("batch_norm() got an unexpected keyword argument 'train'");
  });
});

describe('BatchNorm modules', () => {
  it('state_dict keys, shapes and dtypes are PyTorch\'s', () => {
    const bn = new BatchNorm2d(10);
    const sd = bn.state_dict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(sd.weight.shape).toEqual([10]);
    expect(values(sd.weight)).toEqual(new Array(10).fill(1));
    expect(values(sd.bias)).toEqual(new Array(10).fill(0));
    expect(values(sd.running_mean)).toEqual(new Array(10).fill(0));
    expect(values(sd.running_var)).toEqual(new Array(10).fill(1));
    expect(sd.num_batches_tracked.shape).toEqual([]);
    expect(sd.num_batches_tracked.dtype).toBe('int64');
    expect(sd.num_batches_tracked.item()).toBe(0);
    expect(bn.parameters().length).toBe(2);
    expect(bn.buffers().length).toBe(3);
    const net = new torch.nn.Sequential(new torch.nn.Linear(4, 6), new BatchNorm1d(6));
    expect(Object.keys(net.state_dict())).toEqual(['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean',
      '1.running_var', '1.num_batches_tracked']);
    expect(Object.keys(new BatchNorm1d(3, { affine: false }).state_dict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
    expect(Object.keys(new BatchNorm1d(3, { track_running_stats: false }).state_dict())).toEqual(['weight', 'bias']);
  });

  it('a training step updates running stats and num_batches_tracked as PyTorch does', () => {
    const bn = new BatchNorm2d(3);
    const x1 = sample([2, 3, 4, 4], 21), x2 = sample([2, 3, 4, 4], 22, -1, 3);
    bn.forward(x1);
    bn.forward(x2);
    const s1 = channelStats(x1), s2 = channelStats(x2);
    const rm = [0, 1, 2].map((c) => 0.9 * (0.9 * 0 + 0.1 * s1.mean[c]) + 0.1 * s2.mean[c]);
    const rv = [0, 1, 2].map((c) => 0.9 * (0.9 * 1 + 0.1 * s1.unbiased[c]) + 0.1 * s2.unbiased[c]);
    expectValues(bn.running_mean!, rm);
    expectValues(bn.running_var!, rv);
    expect(bn.num_batches_tracked!.item()).toBe(2);
  });

  it('momentum null keeps a cumulative average', () => {
    const bn = new BatchNorm1d(2, { momentum: null });
    const xs = [sample([4, 2], 31), sample([4, 2], 32), sample([4, 2], 33)];
    for (const x of xs) bn.forward(x);
    const stats = xs.map(channelStats);
    expectValues(bn.running_mean!, [0, 1].map((c) => stats.reduce((a, s) => a + s.mean[c], 0) / 3));
    // factor 1/k at step k: r1 = u1, r2 = (r1 + u2) / 2, r3 = (2 r2 + u3) / 3, the initial 1 forgotten
    expectValues(bn.running_var!, [0, 1].map((c) => stats.reduce((a, s) => a + s.unbiased[c], 0) / 3));
    expect(bn.num_batches_tracked!.item()).toBe(3);
  });

  it('eval() normalizes with the running stats; train() with the batch', () => {
    const bn = new BatchNorm1d(3);
    const x = sample([6, 3], 41);
    bn.forward(x);
    bn.eval();
    const rm = values(bn.running_mean!), rv = values(bn.running_var!);
    const y = bn.forward(x);
    expectValues(y, values(x).map((v, i) => (v - rm[i % 3]) / Math.sqrt(rv[i % 3] + 1e-5)), 1e-5, 1e-5);
    expect(bn.num_batches_tracked!.item()).toBe(1);
    expect(values(bn.running_mean!)).toEqual(rm);
    bn.train();
    const s = channelStats(x);
    expectValues(bn.forward(x), values(x).map((v, i) => (v - s.mean[i % 3]) / Math.sqrt(s.biased[i % 3] + 1e-5)), 1e-4, 1e-5);
  });

  it('track_running_stats=false normalizes with batch stats in eval too', () => {
    const bn = new BatchNorm1d(2, { track_running_stats: false }).eval();
    const x = sample([5, 2], 42);
    const s = channelStats(x);
    expectValues(bn.forward(x), values(x).map((v, i) => (v - s.mean[i % 2]) / Math.sqrt(s.biased[i % 2] + 1e-5)), 1e-4, 1e-5);
    expect(bn.running_mean).toBeNull();
  });

  it('gradients reach the input, weight and bias; load_state_dict round-trips buffers', () => {
    const bn = new BatchNorm2d(2);
    const x = sample([2, 2, 3, 3], 43).requires_grad_();
    bn.forward(x).mul(sample([2, 2, 3, 3], 44)).sum().backward();
    expect(x.grad).not.toBeNull();
    expect(bn.weight!.grad).not.toBeNull();
    expect(bn.bias!.grad).not.toBeNull();
    const copy = new BatchNorm2d(2);
    copy.load_state_dict(bn.state_dict());
    expect(values(copy.running_mean!)).toEqual(values(bn.running_mean!));
    expect(values(copy.running_var!)).toEqual(values(bn.running_var!));
    expect(copy.num_batches_tracked!.item()).toBe(1);
  });

  it('positional constructor arguments and repr', () => {
    expect(String(new BatchNorm2d(10))).toBe('BatchNorm2d(10, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)');
    const bn = new BatchNorm1d(4, 1e-3, 0.2, false, false);
    expect(String(bn)).toBe('BatchNorm1d(4, eps=0.001, momentum=0.2, affine=False, bias=False, track_running_stats=False)');
    expect(String(new BatchNorm1d(4, { momentum: null }))).toBe(
      'BatchNorm1d(4, eps=1e-05, momentum=None, affine=True, bias=True, track_running_stats=True)');
    const net = new torch.nn.Sequential(new torch.nn.Linear(2, 3), new BatchNorm1d(3));
    expect(String(net)).toContain('(1): BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)');
    expect(pyFloat(1e-5)).toBe('1e-05');
    expect(pyFloat(0.0001)).toBe('0.0001');
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(1e-12)).toBe('1e-12');
    expect(pyFloat(2.5e20)).toBe('2.5e+20');
  });

  it('input dimension errors', () => {
    expect(() => new BatchNorm1d(3).forward(torch.zeros([2, 3, 4, 4]))).toThrow('expected 2D or 3D input (got 4D input)');
    expect(() => new BatchNorm1d(3).forward(torch.zeros([3]))).toThrow('expected 2D or 3D input (got 1D input)');
    expect(() => new BatchNorm2d(3).forward(torch.zeros([2, 3, 4]))).toThrow('expected 4D input (got 3D input)');
    expect(() => new BatchNorm3d(3).forward(torch.zeros([2, 3, 4, 4]))).toThrow('expected 5D input (got 4D input)');
    expect(() => new BatchNorm1d(3).forward(torch.zeros([1, 3])))
      .toThrow('Expected more than 1 value per channel when training, got input size torch.Size([1, 3])');
    expect(() => new BatchNorm1d(4).forward(torch.zeros([2, 3]))).toThrow('running_mean should contain 3 elements not 4');
  });
});

describe('layer_norm', () => {
  it('matches PyTorch: layer_norm/2x3x5 (outputs and gradients)', () => {
    const c = fixture('layer_norm/2x3x5');
    checkFixture(c, ([x, w, b]) => layer_norm(x, c.args[0] as number[], w, b));
  });

  it('normalizes over the last dims (biased variance); int shape and options form', () => {
    const x = sample([2, 3, 4], 51);
    const d = values(x);
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) {
      const xs = d.slice(r * 12, r * 12 + 12);
      const m = xs.reduce((a, b) => a + b, 0) / 12;
      const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / 12;
      for (const t of xs) expected.push((t - m) / Math.sqrt(v + 1e-3));
    }
    expectValues(layer_norm(x, [3, 4], null, null, 1e-3), expected, 1e-4, 1e-5);
    expectValues(layer_norm(x, [3, 4], { eps: 1e-3 }), expected, 1e-4, 1e-5);
    const rowNorm = layer_norm(x, 4);
    expect(rowNorm.shape).toEqual([2, 3, 4]);
    expectValues(rowNorm.mean(-1), new Array(6).fill(0), 0, 1e-6);
  });

  it('gradcheck with weight and bias, over one and two dims', () => {
    expect(gradcheck((x, w, b) => layer_norm(x, [5], w, b), [sample([2, 3, 5], 52), sample([5], 53), sample([5], 54)])).toBeNull();
    expect(gradcheck((x, w, b) => layer_norm(x, [2, 3], w, b), [sample([2, 2, 3], 55), sample([2, 3], 56), sample([2, 3], 57)])).toBeNull();
  });

  it('LayerNorm module: parameters, state_dict, forward, repr', () => {
    const ln = new LayerNorm(5);
    expect(Object.keys(ln.state_dict())).toEqual(['weight', 'bias']);
    const c = fixture('layer_norm/2x3x5');
    const [x, w, b] = c.inputs.map((t) => toTensor(t));
    torch.no_grad(() => {
      ln.weight!.copy_(w);
      ln.bias!.copy_(b);
    });
    expectClose(ln.forward(x), c.outputs[0]);
    expect(String(ln)).toBe('LayerNorm((5,), eps=1e-05, elementwise_affine=True, bias=True)');
    expect(String(new LayerNorm([3, 4], { eps: 1e-6, elementwise_affine: false }))).toBe('LayerNorm((3, 4), eps=1e-06, elementwise_affine=False, bias=False)');
    expect(new LayerNorm([3, 4], 1e-5, false).parameters().length).toBe(0);
    expect(Object.keys(new LayerNorm(4, { bias: false }).state_dict())).toEqual(['weight']);
  });

  it('error messages', () => {
    const x = torch.zeros([2, 3, 4]);
    expect(() => layer_norm(x, [5])).toThrow('Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[2, 3, 4]');
    expect(() => layer_norm(x, [2, 4])).toThrow('Given normalized_shape=[2, 4], expected input with shape [*, 2, 4], but got input of size[2, 3, 4]');
    expect(() => layer_norm(torch.zeros([4]), [3, 4])).toThrow('Given normalized_shape=[3, 4], expected input with shape [*, 3, 4], but got input of size[4]');
    expect(() => layer_norm(x, [4], torch.ones([5])))
      .toThrow('Expected weight to be of same shape as normalized_shape, but got weight of shape [5] and normalized_shape = [4]');
    expect(() => layer_norm(x, [4], null, torch.ones([2, 2])))
      .toThrow('Expected bias to be of same shape as normalized_shape, but got bias of shape [2, 2] and normalized_shape = [4]');
    expect(() => layer_norm(x, [])).toThrow(
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');
    expect(() => new LayerNorm(5).forward(x)).toThrow('Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[2, 3, 4]');
  });
});

describe('group_norm', () => {
  it('normalizes each group of channels per sample, then per-channel affine', () => {
    const x = sample([2, 4, 3], 61);
    const w = torch.tensor([1, 2, 3, 4]), b = torch.tensor([0.5, 0, -0.5, 1]);
    const d = values(x);
    const expected = new Array<number>(d.length);
    for (let n = 0; n < 2; n++) {
      for (let g = 0; g < 2; g++) {
        const start = n * 12 + g * 6;
        const xs = d.slice(start, start + 6);
        const m = xs.reduce((a, v) => a + v, 0) / 6;
        const v = xs.reduce((a, t) => a + (t - m) ** 2, 0) / 6;
        xs.forEach((t, i) => {
          const c = g * 2 + Math.floor(i / 3);
          expected[start + i] = ((t - m) / Math.sqrt(v + 1e-5)) * [1, 2, 3, 4][c] + [0.5, 0, -0.5, 1][c];
        });
      }
    }
    expectValues(group_norm(x, 2, w, b), expected, 1e-4, 1e-5);
    expectValues(group_norm(x, 2, { weight: w, bias: b }), expected, 1e-4, 1e-5);
  });

  it('equals layer_norm over [C, *] with one group and instance norm with C groups', () => {
    const x = sample([2, 3, 4], 62);
    expectValues(group_norm(x, 1), values(layer_norm(x, [3, 4])), 1e-5, 1e-5);
    expectValues(group_norm(x, 3), values(layer_norm(x, [4])), 1e-5, 1e-5);
  });

  it('gradcheck with weight and bias', () => {
    expect(gradcheck((x, w, b) => group_norm(x, 2, w, b), [sample([2, 4, 3], 63), sample([4], 64), sample([4], 65)])).toBeNull();
    expect(gradcheck((x) => group_norm(x, 3), [sample([2, 3, 2, 2], 66)])).toBeNull();
  });

  it('GroupNorm module: state_dict, forward, repr', () => {
    const gn = new GroupNorm(2, 4);
    expect(Object.keys(gn.state_dict())).toEqual(['weight', 'bias']);
    const x = sample([2, 4, 3], 67);
    expectValues(gn.forward(x), values(group_norm(x, 2)), 0, 0);
    expect(String(gn)).toBe('GroupNorm(2, 4, eps=1e-05, affine=True, bias=True)');
    expect(String(new GroupNorm(3, 6, { eps: 1e-3, affine: false }))).toBe('GroupNorm(3, 6, eps=0.001, affine=False, bias=False)');
    expect(new GroupNorm(3, 6, 1e-5, false).parameters().length).toBe(0);
  });

  it('error messages', () => {
    expect(() => group_norm(torch.zeros([2, 6, 4]), 4))
      .toThrow('Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 6, 4] and num_groups=4');
    expect(() => group_norm(torch.zeros([6]), 2)).toThrow('Expected at least 2 dimensions for input tensor but received 1');
    expect(() => group_norm(torch.zeros([1, 2]), 2)).toThrow('Expected more than 1 value per channel when training, got input size [1, 2]');
    expect(() => group_norm(torch.zeros([2, 4, 3]), 2, torch.ones([3])))
      .toThrow('Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [3] and input of shape [2, 4, 3]');
    expect(() => group_norm(torch.zeros([2, 4, 3]), 2, null, torch.ones([2, 2])))
      .toThrow('Expected bias to be a vector of size equal to the number of channels in input, but got bias of shape [2, 2] and input of shape [2, 4, 3]');
    expect(() => new GroupNorm(4, 6)).toThrow('num_channels (6) must be divisible by num_groups (4)');
  });
});

describe('dropout', () => {
  it('zeroes a fraction near p and scales the rest by 1/(1-p) (float32)', () => {
    torch.manual_seed(0);
    const n = 100000;
    for (const p of [0.2, 0.5, 0.9]) {
      const y = values(dropout(torch.ones([n]), p));
      const scale = Math.fround(1 / Math.fround(1 - p));
      const zeros = y.filter((v) => v === 0).length;
      expect(Math.abs(zeros / n - p)).toBeLessThan(0.01);
      expect(y.every((v) => v === 0 || v === scale)).toBe(true);
    }
    const x = sample([50, 40], 71);
    const y = values(dropout(x, { p: 0.3 }));
    values(x).forEach((v, i) => {
      if (y[i] !== 0) expect(y[i]).toBe(Math.fround(v * Math.fround(1 / Math.fround(0.7))));
    });
  });

  it('draws as PyTorch\'s CPU bernoulli_(1 - p): one 53-bit double per element, kept when u < 1 - p', () => {
    torch.manual_seed(123);
    const y = values(dropout(torch.ones([1000]), 0.4));
    const g = new torch.Generator().manual_seed(123);
    const scale = Math.fround(1 / Math.fround(0.6));
    expect(y).toEqual(Array.from({ length: 1000 }, () => (g.nextDouble() < 0.6 ? scale : 0)));
    // and the generator is left where PyTorch leaves it: the next torch.rand continues the stream
    expect(torch.rand(3).tolist()).toEqual([0, 1, 2].map(() => Math.fround(g.nextFloat())));
  });

  it('a transposed input is filled in memory order, as empty_like keeps its layout', () => {
    const base = torch.ones([3, 4]);
    torch.manual_seed(5);
    const a = dropout(base.t(), 0.5);
    torch.manual_seed(5);
    const b = dropout(base, 0.5);
    expect(a.tolist()).toEqual(b.t().tolist());
  });

  it('is reproducible under a seed, and differs without reseeding', () => {
    const x = torch.ones([200]);
    torch.manual_seed(42);
    const a = values(dropout(x));
    torch.manual_seed(42);
    const b = values(dropout(x));
    expect(a).toEqual(b);
    expect(values(dropout(x))).not.toEqual(a);
  });

  it('identity in eval mode or with p = 0; zeros with p = 1', () => {
    const x = sample([4, 5], 72);
    expect(dropout(x, 0.5, false)).toBe(x);
    expect(dropout(x, { p: 0.5, training: false })).toBe(x);
    expect(dropout(x, 0)).toBe(x);
    expect(values(dropout(x, 1)).every((v) => v === 0)).toBe(true); // x * 0: -0 where x < 0, as in PyTorch
    const m = new Dropout(0.5).eval();
    expect(m.forward(x)).toBe(x);
    expect(new Dropout(0.5).train().forward(x)).not.toBe(x);
  });

  it('gradient is the mask times 1/(1-p)', () => {
    torch.manual_seed(9);
    const x = sample([6, 7], 73).requires_grad_();
    const y = dropout(x, 0.25);
    y.sum().backward();
    const yv = values(y), xv = values(x), g = values(x.grad!);
    const scale = Math.fround(1 / 0.75);
    yv.forEach((v, i) => expect(g[i]).toBe(v === 0 && xv[i] !== 0 ? 0 : scale));
  });

  it('inplace writes into the input', () => {
    torch.manual_seed(3);
    const x = torch.ones([100]);
    const y = dropout(x, 0.5, true, true);
    expect(y).toBe(x);
    expect(values(x).some((v) => v === 0)).toBe(true);
  });

  it('Dropout module and repr', () => {
    torch.manual_seed(1);
    const a = values(new Dropout(0.3).forward(torch.ones([64])));
    torch.manual_seed(1);
    expect(values(dropout(torch.ones([64]), 0.3))).toEqual(a);
    expect(String(new Dropout())).toBe('Dropout(p=0.5, inplace=False)');
    expect(String(new Dropout(0.2, true))).toBe('Dropout(p=0.2, inplace=True)');
    expect(String(new Dropout2d({ p: 0.1 }))).toBe('Dropout2d(p=0.1, inplace=False)');
    expect(new Dropout().state_dict()).toEqual({});
  });

  it('dropout2d zeroes whole channels, one draw per (sample, channel)', () => {
    torch.manual_seed(17);
    const y = dropout2d(torch.ones([4, 8, 5, 5]), 0.5);
    const v = values(y);
    const scale = 2;
    let zeroed = 0;
    for (let ch = 0; ch < 32; ch++) {
      const block = v.slice(ch * 25, ch * 25 + 25);
      expect(block.every((t) => t === block[0])).toBe(true);
      expect(block[0] === 0 || block[0] === scale).toBe(true);
      if (block[0] === 0) zeroed++;
    }
    expect(zeroed).toBeGreaterThan(4);
    expect(zeroed).toBeLessThan(28);
    const g = new torch.Generator().manual_seed(17);
    const expected = Array.from({ length: 32 }, () => (g.nextDouble() < 0.5 ? scale : 0));
    expect(Array.from({ length: 32 }, (_, ch) => v[ch * 25])).toEqual(expected);
    // module form, eval identity
    const m = new Dropout2d(0.5);
    const x = torch.ones([2, 3, 2, 2]);
    expect(m.eval().forward(x)).toBe(x);
  });

  it('dropout2d on 3-D input drops (N, C) rows and warns as PyTorch does', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    torch.manual_seed(2);
    const v = values(dropout2d(torch.ones([3, 4, 6]), 0.5));
    for (let r = 0; r < 12; r++) {
      const row = v.slice(r * 6, r * 6 + 6);
      expect(row.every((t) => t === row[0])).toBe(true);
    }
    expect(warn).toHaveBeenCalled();
  });

  it('error messages', () => {
    const x = torch.ones([4]);
    expect(() => dropout(x, 1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => dropout(x, -0.1)).toThrow('dropout probability has to be between 0 and 1, but got -0.1');
    expect(() => dropout(x, { p: 2, training: false })).toThrow('dropout probability has to be between 0 and 1, but got 2');
    expect(() => dropout2d(torch.ones([2, 3, 4, 4]), 1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => new Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => new Dropout2d(-1)).toThrow('dropout probability has to be between 0 and 1, but got -1');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => dropout2d(torch.ones([5]), 0.5)).toThrow('Feature dropout requires at least 2 dimensions in the input');
  });
});

describe('Unflatten', () => {
  it('expands a dim into sizes; repr; errors', () => {
    const u = new Unflatten(1, [2, 5]);
    const x = torch.arange(30).reshape([3, 10]);
    const y = u.forward(x);
    expect(y.shape).toEqual([3, 2, 5]);
    expect(values(y)).toEqual(values(x));
    expect(new Unflatten(-1, [2, -1]).forward(x).shape).toEqual([3, 2, 5]);
    expect(String(u)).toBe('Unflatten(dim=1, unflattened_size=(2, 5))');
    expect(() => new Unflatten(1, [2, 1.5])).toThrow('unflattened_size must be tuple of ints, but found element of type float at pos 1');
    expect(() => new Unflatten(1, 5 as never)).toThrow('unflattened_size must be a tuple of ints, but found type int');
    expect(() => u.forward(torch.zeros([3, 9]))).toThrow();
  });
});

describe('public API', () => {
  it('torch.nn.functional and torch.nn expose the functions and modules', () => {
    const F = torch.nn.functional as unknown as Record<string, unknown>;
    const nn = torch.nn as unknown as Record<string, unknown>;
    expect(F.batch_norm).toBe(batch_norm);
    expect(F.layer_norm).toBe(layer_norm);
    expect(F.group_norm).toBe(group_norm);
    expect(F.dropout).toBe(dropout);
    expect(F.dropout2d).toBe(dropout2d);
    for (const [name, cls] of Object.entries({ BatchNorm1d, BatchNorm2d, BatchNorm3d, LayerNorm, GroupNorm, Dropout, Dropout2d, Unflatten })) {
      expect(nn[name], name).toBe(cls);
    }
  });
});
