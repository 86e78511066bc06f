// Central-difference gradient check of any function of float tensors.
import * as torch from '../../src/index.js';

/** Deterministic values in [lo, hi] with |x| >= gap (away from kinks at 0). */
export function sample(shape: number[], seed: number, lo = -2, hi = 2, gap = 0.1): torch.Tensor {
  let s = seed * 2654435761 % 4294967296 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) % 4294967296;
    let x = lo + (hi - lo) * (s / 4294967296);
    if (Math.abs(x) < gap) x = x < 0 ? -gap - Math.abs(x) : gap + x;
    v[i] = x;
  }
  return torch.tensor(v).reshape(shape);
}

function weightedSum(outs: torch.Tensor[], weights: Float64Array[]): number {
  let total = 0;
  outs.forEach((o, k) => {
    const d = o.dataSync();
    for (let i = 0; i < d.length; i++) total += d[i] * weights[k][i];
  });
  return total;
}

/**
 * Compares autograd's gradient of sum(f(inputs) * W) (W fixed, random) with
 * central differences; returns the worst mismatch description or null.
 */
export function gradcheck(fn: (...xs: torch.Tensor[]) => torch.Tensor | torch.Tensor[], inputs: torch.Tensor[],
  { eps = 1e-3, atol = 2e-3, rtol = 2e-2 } = {}): string | null {
  const run = (xs: torch.Tensor[]) => {
    const r = fn(...xs);
    return Array.isArray(r) ? r : [r];
  };
  const leaves = inputs.map((x) => x.detach().clone().requires_grad_(x.dtype === 'float32'));
  const outs = run(leaves).filter((o) => o.dtype === 'float32');
  const weights = outs.map((o, k) => {
    const w = new Float64Array(o.numel());
    for (let i = 0; i < w.length; i++) w[i] = Math.sin(1.3 * i + 0.7 * k + 0.5);
    return w;
  });
  let total: torch.Tensor | null = null;
  outs.forEach((o, k) => {
    if (!o.requires_grad) return;
    const term = o.mul(torch.tensor(new Float32Array(weights[k])).reshape(o.shape)).sum();
    total = total === null ? term : total.add(term);
  });
  if (total === null) return 'no output requires grad';
  (total as torch.Tensor).backward();
  for (let j = 0; j < inputs.length; j++) {
    if (inputs[j].dtype !== 'float32') continue;
    const base = Float32Array.from(inputs[j].dataSync() as Float32Array);
    const analytic = leaves[j].grad ? leaves[j].grad!.dataSync() : new Float32Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number) => {
        const v = base.slice();
        v[i] += delta;
        // inputs require grad here too, so functions that differentiate internally still work
        const xs = inputs.map((x, k) => (k === j ? torch.tensor(v).reshape(x.shape) : x.detach()).requires_grad_(x.dtype === 'float32'));
        return weightedSum(run(xs).filter((o) => o.dtype === 'float32'), weights);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      if (!(Math.abs(numeric - analytic[i]) <= atol + rtol * Math.abs(numeric))) {
        return `input ${j} element ${i}: autograd ${analytic[i]}, finite difference ${numeric}`;
      }
    }
  }
  return null;
}
