// Tensor methods take PyTorch's signatures, and their messages are PyTorch's for the method form: self is not
// counted (x.narrow(0.5, 0, 1) says position 1 where torch.narrow(x, 0.5, 0, 1) says 2). The expected strings
// are PyTorch 2.13's, printed by running the same calls there.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const x = () => torch.ones(2, 3);
type Loose = (...a: unknown[]) => unknown;
const call = (t: torch.Tensor, name: string, ...args: unknown[]) => () => ((t as unknown as Record<string, Loose>)[name]).apply(t, args);

describe('method forms of ops count from after self', () => {
  it('in type messages, too-many counts and invalid combinations', () => {
    const t = x();
    expect(call(t, 'narrow', 0.5, 0, 1)).toThrow(new TypeError("narrow(): argument 'dim' (position 1) must be int, not float"));
    expect(() => (torch.narrow as Loose)(t, 0.5, 0, 1)).toThrow(new TypeError("narrow(): argument 'dim' (position 2) must be int, not float"));
    expect(call(t, 'transpose', 0, 1, 2)).toThrow(new TypeError('transpose() takes 2 positional arguments but 3 were given'));
    expect(() => (torch.transpose as Loose)(t, 0, 1, 2)).toThrow(new TypeError('transpose() takes 3 positional arguments but 4 were given'));
    expect(call(t, 'index_select', 0.5, t)).toThrow(new TypeError("index_select(): argument 'dim' (position 1) must be int, not float"));
    expect(call(t, 'gather', 0, 3)).toThrow(new TypeError("gather(): argument 'index' (position 2) must be Tensor, not int"));
    expect(call(t, 'select', 0, [0, 1])).toThrow(new TypeError("select(): argument 'index' (position 2) must be int, not list"));
    expect(call(t, 'max', 'a')).toThrow(/^max\(\) received an invalid combination of arguments - got \(str\), but expected one of:\n \* \(\)\n \* \(Tensor other\)/);
  });

  it("an op of one tensor is, as a method, one taking no arguments (CPython's words)", () => {
    const t = x();
    expect(call(t, 'neg', 1)).toThrow(new TypeError('TensorBase.neg() takes no arguments (1 given)'));
    expect(call(t, 't', 3)).toThrow(new TypeError('TensorBase.t() takes no arguments (1 given)'));
    expect(call(t, 'exp', { a: 1 })).toThrow(new TypeError('TensorBase.exp() takes no keyword arguments'));
    expect(() => (torch.exp as Loose)(t, 1)).toThrow(new TypeError('exp() takes 1 positional argument but 2 were given'));
  });

  it("missing arguments in PyTorch's parser's words (its plural as printed)", () => {
    const t = x();
    expect(call(t, 'transpose', 0)).toThrow(new TypeError('transpose() missing 1 required positional arguments: "dim1"'));
    expect(() => (torch.gather as Loose)(t, 0)).toThrow(new TypeError('gather() missing 1 required positional arguments: "index"'));
    expect(() => (torch.index_select as Loose)(t)).toThrow(new TypeError('index_select() missing 2 required positional argument: "dim", "index"'));
    expect(() => (torch.full as Loose)()).toThrow(new TypeError('full() missing 2 required positional argument: "size", "fill_value"'));
  });

  it('a number where a tensor is due never slips past the fast path', () => {
    const t = x();
    expect(() => (torch.matmul as Loose)(t, 3)).toThrow(new TypeError("matmul(): argument 'other' (position 2) must be Tensor, not int"));
    expect(() => (torch.maximum as Loose)(t, 3)).toThrow(new TypeError("maximum(): argument 'other' (position 2) must be Tensor, not int"));
    expect(call(t, 'masked_fill', 3, 1)).toThrow(/^masked_fill\(\): argument 'mask' \(position 1\) must be Tensor, not int/);
  });
});

describe('methods PyTorch has only as methods', () => {
  it('taking no arguments: CPython\'s words', () => {
    const t = x();
    for (const name of ['dim', 'numel', 'nelement', 'is_floating_point', 'item', 'tolist', 'detach', 'detach_', 'retain_grad', 'zero_']) {
      expect(call(t, name, 1), name).toThrow(new TypeError(`TensorBase.${name}() takes no arguments (1 given)`));
    }
    expect(call(t, 'dim', 1, 2)).toThrow(new TypeError('TensorBase.dim() takes no arguments (2 given)'));
    expect(call(t, 'dim', { a: 1 })).toThrow(new TypeError('TensorBase.dim() takes no keyword arguments'));
    for (const name of ['is_contiguous', 'float', 'cpu', 'numpy']) {
      expect(call(t, name, 1), name).toThrow(new TypeError(`${name}() takes 0 positional arguments but 1 was given`));
    }
    expect(call(t, 'is_contiguous', { a: 1 })).toThrow(new TypeError("is_contiguous() got an unexpected keyword argument 'a'"));
    expect(call(t, 'float', { a: 1 })).toThrow(new TypeError("float() got an unexpected keyword argument 'a'"));
  });

  it('with arguments: by position or by name, checked', () => {
    const t = x();
    expect(t.size({ dim: 0 })).toBe(2);
    expect(t.size(-1)).toBe(3);
    expect(call(t, 'size', 'a')).toThrow(new TypeError("size(): argument 'dim' (position 1) must be int, not str"));
    expect(call(t, 'size', 1.5)).toThrow(new TypeError("size(): argument 'dim' (position 1) must be int, not float"));
    expect(call(t, 'size', 0, 1)).toThrow(new TypeError('size() takes from 0 to 1 positional arguments but 2 were given'));
    expect(call(t, 'stride', 0.5)).toThrow(new TypeError("stride(): argument 'dim' (position 1) must be int, not float"));
    expect(call(t, 'requires_grad_', 1)).toThrow(new TypeError("requires_grad_(): argument 'requires_grad' (position 1) must be bool, not int"));
    expect(call(t, 'requires_grad_', { rg: 1 })).toThrow(new TypeError("requires_grad_() got an unexpected keyword argument 'rg'"));
    expect(call(t, 'view_as', 3)).toThrow(new TypeError("view_as(): argument 'other' (position 1) must be Tensor, not int"));
    expect(call(t, 'view_as', t, 1)).toThrow(new TypeError('view_as() takes 1 positional argument but 2 were given'));
    expect(call(t, 'expand_as', 3)).toThrow(new TypeError("expand_as(): argument 'other' (position 1) must be Tensor, not int"));
    expect(call(t, 'add_', 1, { alpha: 'a' })).toThrow(new TypeError("add_(): argument 'alpha' must be Number, not str"));
    expect(call(t, 'mul_', t, { alpha: 2 })).toThrow(new TypeError("mul_() got an unexpected keyword argument 'alpha'"));
    expect(call(t, 'uniform_', 0, 'a')).toThrow(new TypeError("uniform_(): argument 'to' (position 2) must be float, not str"));
    expect(call(t, 'normal_', 0, 1, { gen: null })).toThrow(new TypeError("normal_() got an unexpected keyword argument 'gen'"));
    expect(call(t, 'index_copy_', 0.5, null, null)).toThrow(new TypeError("index_copy_(): argument 'dim' (position 1) must be int, not float"));
    expect(call(t, 'index_add_', 0, torch.tensor([0]), torch.ones(1, 3), { alpha: 'a' }))
      .toThrow(new TypeError("index_add_(): argument 'alpha' must be Number, not str"));
    expect(call(t, 'numpy', { force: 1 })).toThrow(new TypeError("numpy(): argument 'force' must be bool, not int"));
    expect(call(t, 'backward', 1, 2, 3, 4, 5)).toThrow(new TypeError('Tensor.backward() takes from 1 to 5 positional arguments but 6 were given'));
    expect(call(t, 'backward', { foo: 1 })).toThrow(new TypeError("Tensor.backward() got an unexpected keyword argument 'foo'"));
  });

  it("uniform_ and normal_ check their range, std and generator as PyTorch does", () => {
    const t = x();
    expect(call(t, 'uniform_', 1, 0)).toThrow('uniform_ expects to return a [from, to) range, but found from=1 > to=0');
    expect(call(t, 'normal_', 0, -1)).toThrow('normal expects std >= 0.0, but found std -1');
    expect(call(t, 'uniform_', { generator: 3 })).toThrow(new TypeError("uniform_(): argument 'generator' must be torch.Generator, not int"));
    const g = new torch.Generator().manual_seed(0);
    const u = torch.zeros(1000).uniform_(-2, 3, { generator: g });
    expect(u.min().item()).toBeGreaterThanOrEqual(-2);
    expect(u.max().item()).toBeLessThan(3);
    expect(t.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it('fill_ takes a number or a 0-dim tensor', () => {
    const t = x();
    expect(call(t, 'fill_', torch.ones(2))).toThrow('fill_ only supports 0-dimension value tensor but got tensor with 1 dimensions.');
    expect(t.fill_(torch.tensor(3)).tolist()).toEqual([[3, 3, 3], [3, 3, 3]]);
    expect(t.fill_({ value: 2 }).tolist()).toEqual([[2, 2, 2], [2, 2, 2]]);
    // a 0-dim value with a gradient passes it on, as PyTorch's fill_ does
    const v = torch.tensor(2, { requires_grad: true });
    const y = torch.zeros(3);
    y.fill_(v);
    y.sum().backward();
    expect(v.grad!.item()).toBe(3);
  });

  it('div_ takes a rounding mode; the in-place binary methods take their operand by name', () => {
    const t = torch.tensor([7, -7]);
    expect(t.div_(2, { rounding_mode: 'floor' }).tolist()).toEqual([3, -4]);
    expect(torch.tensor([7, -7]).div_(2, { rounding_mode: 'trunc' }).tolist()).toEqual([3, -3]);
    expect(call(torch.ones(2), 'div_', 2, { rounding_mode: 'bad' })).toThrow("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'bad'");
    expect(torch.ones(2).add_({ other: torch.ones(2), alpha: 2 }).tolist()).toEqual([3, 3]);
    expect(torch.ones(2).sub_(1, { alpha: 3 }).tolist()).toEqual([-2, -2]);
    expect(torch.ones(2).mul_({ other: 4 }).tolist()).toEqual([4, 4]);
    expect(torch.zeros(2).copy_({ other: torch.ones(2) }).tolist()).toEqual([1, 1]);
  });

  it('to(): its three forms, this tensor when nothing changes unless copy', () => {
    const t = x();
    expect(t.to(torch.float32)).toBe(t);
    expect(t.to(torch.float32, { copy: true })).not.toBe(t);
    expect(t.to('cpu', torch.float32, false, true)).not.toBe(t);
    expect(t.to(t)).toBe(t);
    expect(t.to(torch.ones(1, { dtype: torch.int64 })).dtype).toBe('int64');
    expect(t.to({ device: 'cpu', dtype: torch.int32 }).dtype).toBe('int32');
    expect(t.to(torch.device('cpu'))).toBe(t);
    expect(call(t, 'to', torch.float64)).toThrow("dtype 'float64' is not supported (float32, int64, int32, bool)");
    expect(call(t, 'to', 'banana')).toThrow('Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, ' +
      'lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: banana');
    expect(call(t, 'to', { dtype: 'a' })).toThrow(/^to\(\) received an invalid combination of arguments - got \(dtype=str\)/);
  });

  it('torch.clip and torch.concat are their own names in messages', () => {
    expect(() => (torch.clip as Loose)(x(), 'a')).toThrow(new TypeError("clip(): argument 'min' (position 2) must be float, not str"));
    expect(() => (torch.concat as Loose)(x())).toThrow(new TypeError("concat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"));
    expect(torch.concatenate([torch.ones(1), torch.zeros(1)]).tolist()).toEqual([1, 0]);
    expect(x().clip(0, 0.5).tolist()).toEqual([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]);
  });
});
