// torch.nn.utils.clip_grad_norm_ / clip_grad_value_ against norms computed in plain JS.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import * as direct from '../src/nn/clip_grad.js';

// the public torch.nn.utils once it is exported, the module until then
const U = (torch.nn as unknown as { utils?: typeof direct }).utils ?? direct;

const G1 = [[0.5, -2, 1.5], [3, -0.25, 1]];
const G2 = [-4, 0.75];

/** Parameters whose gradients are G1 and G2, made by backward (so user code has not seen them). */
function params(): torch.Tensor[] {
  const a = torch.zeros([2, 3], { requires_grad: true });
  const b = torch.zeros([2], { requires_grad: true });
  const none = torch.zeros([3], { requires_grad: true }); // no gradient: skipped
  a.mul(torch.tensor(G1)).sum().add(b.mul(torch.tensor(G2)).sum()).backward();
  return [a, none, b];
}
const flat = [...G1.flat(), ...G2];
const jsNorm = (xs: number[], p: number) =>
  p === Infinity ? Math.max(...xs.map(Math.abs)) : xs.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p);
const grads = (ps: torch.Tensor[]) => ps.filter((p) => p._grad).flatMap((p) => Array.from(p._grad!.dataSync()));

function expectAllClose(actual: number[], expected: number[], rel = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(rel * Math.abs(expected[i]) + 1e-7));
}

describe('clip_grad_norm_', () => {
  for (const [normType, p] of [[2, 2], [Infinity, Infinity], ['inf', Infinity], [1, 1], [3, 3]] as const) {
    it(`scales by max_norm / (total + 1e-6) for norm_type ${String(normType)}, returning the total before clipping`, () => {
      const ps = params();
      const total = jsNorm(flat, p);
      const maxNorm = total / 4;
      const t = U.clip_grad_norm_(ps, maxNorm, normType);
      expect(t.shape).toEqual([]);
      expectAllClose([t.item()], [total]);
      expectAllClose(grads(ps), flat.map((g) => g * maxNorm / (total + 1e-6)));
      expectAllClose([jsNorm(grads(ps), p)], [maxNorm]);
    });
  }

  it('leaves gradients unchanged below max_norm (the coefficient is clamped to 1)', () => {
    const ps = params();
    const t = U.clip_grad_norm_(ps, 100);
    expectAllClose([t.item()], [jsNorm(flat, 2)]);
    expect(grads(ps)).toEqual(Array.from(new Float32Array(flat)));
  });

  it('keyword forms, a single tensor, a generator; gradients stay unexposed and out of the graph', () => {
    const ps = params();
    const total = jsNorm(flat, Infinity);
    U.clip_grad_norm_(ps, { max_norm: 1, norm_type: 'inf' });
    expectAllClose(grads(ps), flat.map((g) => g / (total + 1e-6)));
    for (const p of ps) {
      if (!p._grad) continue;
      expect(p._grad.storage.slot.exposed).toBe(false);
      expect(p._grad.requires_grad).toBe(false);
      expect(p._grad.grad_fn).toBeNull();
    }
    const [a] = params();
    const n1 = jsNorm(G1.flat(), 2);
    expectAllClose([U.clip_grad_norm_(a, 1, { norm_type: 2 }).item()], [n1]);
    expectAllClose(grads([a]), G1.flat().map((g) => g / (n1 + 1e-6)));
    const qs = params();
    function* gen() { yield* qs; }
    expectAllClose([U.clip_grad_norm_(gen(), 1).item()], [jsNorm(flat, 2)]);
    expectAllClose([jsNorm(grads(qs), 2)], [1]);
  });

  it('works inside no_grad and returns a zero tensor without gradients', () => {
    const ps = params();
    torch.no_grad(() => U.clip_grad_norm_(ps, 1));
    expectAllClose([jsNorm(grads(ps), 2)], [1]);
    const t = U.clip_grad_norm_([torch.zeros([2], { requires_grad: true })], 1);
    expect(t.shape).toEqual([]);
    expect(t.item()).toBe(0);
  });

  it("non-finite norms: PyTorch's error with error_if_nonfinite, else the norm is returned", () => {
    const p = torch.zeros([2], { requires_grad: true });
    p.mul(torch.tensor([Infinity, 1])).sum().backward();
    expect(() => U.clip_grad_norm_([p], 1, 2, true)).toThrow(
      'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. ' +
      'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`');
    expect(() => U.clip_grad_norm_([p], 1, { norm_type: 'inf', error_if_nonfinite: true })).toThrow('The total norm of order inf for');
    expect(U.clip_grad_norm_([p], 1).item()).toBe(Infinity);
  });
});

describe('clip_grad_value_', () => {
  it('clamps every gradient to [-clip_value, clip_value] in place', () => {
    const ps = params();
    expect(U.clip_grad_value_(ps, 1.2)).toBeUndefined();
    expectAllClose(grads(ps), flat.map((g) => Math.min(1.2, Math.max(-1.2, g))));
    expect(ps.every((p) => !p._grad || !p._grad.storage.slot.exposed)).toBe(true);
    const [a] = params();
    torch.no_grad(() => U.clip_grad_value_(a, { clip_value: 0.5 }));
    expectAllClose(grads([a]), G1.flat().map((g) => Math.min(0.5, Math.max(-0.5, g))));
  });
});
