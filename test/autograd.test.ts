// Autograd behaviour through the public API, PyTorch's semantics and errors.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';

describe('autograd', () => {
  it('accumulates into leaf .grad across backward calls', () => {
    const w = torch.tensor([2], { requires_grad: true });
    w.mul(3).sum().backward();
    w.mul(3).sum().backward();
    expect(w.grad!.item()).toBe(6);
  });

  it('sums gradients of a tensor used twice (diamond graph)', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(x).add(x.exp());
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([2 + Math.E, 4 + Math.exp(2)].map(Math.fround));
  });

  it('backward with an explicit gradient for non-scalar outputs', () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    x.mul(2).backward(torch.tensor([1, 0.5, -1]));
    expect(x.grad!.tolist()).toEqual([2, 1, -2]);
  });

  it('rejects implicit gradients for non-scalar outputs', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    expect(() => x.mul(2).backward()).toThrow('grad can be implicitly created only for scalar outputs');
  });

  it('rejects backward on a tensor that does not require grad', () => {
    expect(() => torch.tensor([1]).sum().backward()).toThrow(
      'element 0 of tensors does not require grad and does not have a grad_fn');
  });

  it('rejects a second backward through a freed graph, allows it with retain_graph', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(x).sum();
    y.backward(null, { retain_graph: true });
    y.backward();
    expect(x.grad!.tolist()).toEqual([4, 8]);
    expect(() => y.backward()).toThrow('Trying to backward through the graph a second time');
  });

  it('detects an in-place change of a saved tensor (version counter)', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(1);
    const z = y.mul(y);
    y.add_(1);
    expect(() => z.sum().backward()).toThrow(
      'one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.');
  });

  it('forbids in-place ops on leaves that require grad, allows them under no_grad', () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    expect(() => w.add_(1)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    torch.no_grad(() => w.add_(1));
    expect(w.tolist()).toEqual([2, 3]);
    expect(w._version).toBe(1);
  });

  it('no_grad records nothing; enable_grad inside it records again', () => {
    const x = torch.tensor([1], { requires_grad: true });
    const y = torch.no_grad(() => x.mul(2));
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    const z = torch.no_grad(() => torch.enable_grad(() => x.mul(2)));
    expect(z.requires_grad).toBe(true);
    expect(torch.is_grad_enabled()).toBe(true);
  });

  it('detach shares storage and cuts the graph', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const d = x.detach();
    expect(d.requires_grad).toBe(false);
    torch.no_grad(() => d.mul_(3));
    expect(x.tolist()).toEqual([3, 6]);
  });

  it('requires_grad_ only on leaves and floating point tensors', () => {
    const x = torch.tensor([1], { requires_grad: true });
    expect(() => x.mul(2).requires_grad_(false)).toThrow('you can only change requires_grad flags of leaf variables.');
    expect(() => torch.tensor([1], { dtype: torch.long }).requires_grad_()).toThrow(
      'only Tensors of floating point and complex dtype can require gradients');
  });

  it('retain_grad keeps a non-leaf gradient; others stay null', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(3);
    const z = y.mul(y);
    y.retain_grad();
    z.sum().backward();
    expect(y.grad!.tolist()).toEqual([6, 12]);
    expect(z.grad).toBeNull();
    expect(x.grad!.tolist()).toEqual([18, 36]);
  });

  it('autograd.grad returns gradients without touching .grad', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const w = torch.tensor([3, 4], { requires_grad: true });
    const [gx, gw] = torch.autograd.grad(x.mul(w).sum(), [x, w]);
    expect(gx.tolist()).toEqual([3, 4]);
    expect(gw.tolist()).toEqual([1, 2]);
    expect(x.grad).toBeNull();
  });

  it('autograd.grad reports unused inputs unless allow_unused', () => {
    const x = torch.tensor([1], { requires_grad: true });
    const u = torch.tensor([1], { requires_grad: true });
    expect(() => torch.autograd.grad(x.mul(2).sum(), [x, u])).toThrow(
      'One of the differentiated Tensors appears to not have been used in the graph.');
    const [, gu] = torch.autograd.grad(x.mul(2).sum(), [x, u], null, { allow_unused: true });
    expect(gu).toBeNull();
  });

  it('grad_fn names and is_leaf follow PyTorch', () => {
    const x = torch.tensor([1], { requires_grad: true });
    expect(x.is_leaf).toBe(true);
    const y = x.mul(2).add(1);
    expect(y.is_leaf).toBe(false);
    expect(y.grad_fn!.name()).toBe('AddBackward0');
    expect(String(y)).toBe('tensor([3.], grad_fn=<AddBackward0>)');
  });

  it('w.data assignment keeps the parameter identity (the seed\'s update)', () => {
    const w = torch.tensor([1], { requires_grad: true });
    const l = w.mul(2).sub(4).pow(2);
    l.backward();
    w.data = w.data.sub(w.grad!.data.mul(0.01));
    expect(w.requires_grad).toBe(true);
    expect(w.item()).toBeCloseTo(1 + 0.08, 6);
  });

  it('autograd.grad results stay valid when they share storage with other gradients', () => {
    const x = torch.tensor([1, 2, 3], { requires_grad: true });
    const y = x.mul(2);
    expect(torch.autograd.grad(y.mul(3).sum(), y)[0].tolist()).toEqual([3, 3, 3]);
    const a = torch.tensor([1, 2], { requires_grad: true }), w = torch.tensor([3, 4], { requires_grad: true });
    expect(torch.autograd.grad(a.add(w.mul(3)).mul(2).sum(), [a])[0].tolist()).toEqual([2, 2]);
  });

  it('zero_, fill_ and copy_ replace a non-leaf\'s history (its old value gets no gradient)', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    y.zero_();
    y.add(1).sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0]);
    const w = torch.tensor([1, 2], { requires_grad: true });
    const b = torch.zeros(2);
    b.copy_(w);
    expect(b.grad_fn!.name()).toBe('CopyBackwards');
    b.mul(3).sum().backward();
    expect(w.grad!.tolist()).toEqual([3, 3]);
    const c = torch.zeros(2, 3);
    c.copy_(torch.tensor([1, 2, 3]));
    expect(c.tolist()).toEqual([[1, 2, 3], [1, 2, 3]]);
    expect(() => torch.zeros(2).copy_(torch.zeros(3, 2))).toThrow("output with shape [2] doesn't match the broadcast shape [3, 2]");
  });

  it('in-place ops on views of leaves that require grad are refused with a clear message', () => {
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    expect(() => w.narrow(0, 0, 1).mul_(5)).toThrow('a view of a leaf Variable that requires grad is being used in an in-place operation.');
    torch.no_grad(() => w.narrow(0, 0, 1).mul_(5));
    expect(w.tolist()).toEqual([5, 2, 3]);
  });

  it('an in-place op on a view rewrites its base\'s history (CopySlices)', () => {
    const w = torch.tensor([1, 2, 3], { requires_grad: true });
    const y = w.mul(2);
    y.narrow(0, 1, 2).mul_(torch.tensor([5, 7]));
    expect(y.tolist()).toEqual([2, 20, 42]);
    expect(y.grad_fn!.name()).toBe('CopySlices');
    y.pow(2).sum().backward();
    // y = [2w0, 10w1, 14w2]: d/dw sum y^2 = 2 y * [2, 10, 14]
    expect(w.grad!.tolist()).toEqual([8, 400, 1176]);
  });

  it('writing gradient-carrying values into a zeros tensor element by element (lecture 14_2\'s attention scores)', () => {
    const fn = (h: torch.Tensor, enc: torch.Tensor) => {
      const scores = torch.zeros(enc.size(0));
      for (let i = 0; i < enc.size(0); i++) scores.select(0, i).copy_(torch.dot(h, enc.select(0, i)));
      expect(scores.requires_grad).toBe(true);
      return torch.softmax(scores, 0).mul(torch.tensor([1, -2, 3])).sum();
    };
    expect(gradcheck(fn, [sample([4], 30), sample([3, 4], 31)])).toBeNull();
  });

  it('the written view itself is a view of the new base; other writes keep both histories', () => {
    const a = torch.tensor([1, 2], { requires_grad: true });
    const b = torch.tensor([3, 4], { requires_grad: true });
    const buf = torch.zeros(2, 2);
    const row = buf.select(0, 1);
    row.copy_(a.mul(b));
    buf.select(0, 0).add_(b);
    expect(row.grad_fn!.name()).toBe('AsStridedBackward0');
    buf.sum().add(row.sum()).backward();
    expect(a.grad!.tolist()).toEqual([6, 8]); // row counted twice: 2 b
    expect(b.grad!.tolist()).toEqual([3, 5]); // 2 a + 1
  });

  it('a write into a view of a tensor a backward rule saved is caught', () => {
    const w = torch.tensor([1, 2], { requires_grad: true });
    const y = w.mul(1);
    const e = y.pow(2); // saves y
    y.narrow(0, 0, 1).fill_(0);
    expect(() => e.sum().backward()).toThrow('one of the variables needed for gradient computation has been modified by an inplace operation');
  });

  it('a recorded write into a view of a non-contiguous tensor is refused with a clear message', () => {
    const a = torch.zeros(2, 3);
    a.data = torch.zeros(3, 2).t();
    const x = torch.tensor([1, 2], { requires_grad: true });
    expect(() => a.select(1, 0).copy_(x)).toThrow('in-place operations that autograd records on a view of a non-contiguous tensor');
  });

  it('in-place ops save only what their gradient reads (PyTorch accepts these)', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const y = x.mul(2);
    y.mul_(3);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([6, 6]);
    const x2 = torch.tensor([0.5, 1], { requires_grad: true });
    const h = x2.mul(1);
    const e = h.exp();
    h.add_(1);
    e.sum().backward();
    expect(Array.from(x2.grad!.dataSync())).toEqual([Math.exp(0.5), Math.E].map(Math.fround));
    const a = torch.tensor([1, 2], { requires_grad: true });
    const p = a.pow(2);
    p.add_(1);
    p.sum().backward();
    expect(a.grad!.tolist()).toEqual([2, 4]);
  });

  it('in-place op with an operand that requires grad differentiates through both', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const z = torch.tensor([3, 4], { requires_grad: true });
    const y = x.mul(1);
    y.mul_(z);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 4]);
    expect(z.grad!.tolist()).toEqual([1, 2]);
  });

  it('torch.autograd.backward over several roots sharing a graph runs one pass', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const h = x.mul(x);
    torch.autograd.backward([h.sum(), h.mul(2).sum()]);
    expect(x.grad!.tolist()).toEqual([6, 12]);
  });

  it('backward(create_graph) leaves a .grad that can be differentiated again', () => {
    const x = torch.tensor([2], { requires_grad: true });
    x.pow(3).sum().backward(null, { create_graph: true });
    expect(x.grad!.requires_grad).toBe(true);
    const [g2] = torch.autograd.grad(x.grad!.sum(), x);
    expect(g2.item()).toBe(12);
  });
});
