import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

describe('smoke', () => {
  it('adds and backpropagates', () => {
    const a = torch.tensor([1, 2, 3], { requires_grad: true });
    const y = a.mul(a).sum();
    y.backward();
    expect(y.item()).toBe(14);
    expect(a.grad!.tolist()).toEqual([2, 4, 6]);
  });
});
