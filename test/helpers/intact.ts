// The check that follows every failed call in the exception-safety suites: a failed call leaves no trace.
import { expect } from 'vitest';
import * as torch from '../../src/index.js';

/** Known results: values, a view, autograd, an int64 gather and a 4096-element sum, each exact. */
export function expectIntact(): void {
  const a = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  expect(a.sum().item()).toBe(21);
  expect(a.tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
  expect(a.t().contiguous().tolist()).toEqual([[1, 4], [2, 5], [3, 6]]);
  const w = torch.tensor([2, 3], { requires_grad: true });
  w.mul(w).sum().backward();
  expect(w.grad!.tolist()).toEqual([4, 6]);
  const g = torch.gather(torch.tensor([[10, 20], [30, 40]]), 1, torch.tensor([[1], [0]], { dtype: torch.long }));
  expect(g.tolist()).toEqual([[20], [30]]);
  expect(torch.ones(4096).sum().item()).toBe(4096);
  const fresh = torch.zeros(5);
  expect(fresh.tolist()).toEqual([0, 0, 0, 0, 0]);
}
