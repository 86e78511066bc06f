// Autograd behaviour through the public API, PyTorch's semantics and errors.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

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
    expect(y.grad_fn!.name).toBe('AddBackward0');
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
});
