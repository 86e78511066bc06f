// torch.autograd.Function: "Learning PyTorch with Examples"' LegendrePolynomial3 as written there, ctx's
// features, gradcheck of custom functions, and PyTorch's errors for a backward that returns the wrong thing.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';
import { expectIntact } from './helpers/intact.js';

type Ctx = InstanceType<typeof torch.autograd.FunctionCtx>;

class LegendrePolynomial3 extends torch.autograd.Function {
  static forward(ctx: Ctx, input: torch.Tensor): torch.Tensor {
    ctx.save_for_backward(input);
    return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5);
  }
  static backward(ctx: Ctx, grad_output: torch.Tensor): torch.Tensor {
    const [input] = ctx.saved_tensors;
    return grad_output.mul(input.pow(2).mul(5).sub(1).mul(1.5));
  }
}

describe('torch.autograd.Function', () => {
  it('runs the tutorial\'s LegendrePolynomial3 fit: y = a + b P3(c + d x), loss falling', () => {
    torch.manual_seed(0);
    const x = torch.linspace(-Math.PI, Math.PI, 2000);
    const y = torch.sin(x);
    const opts = { requires_grad: true };
    const a = torch.full([], 0.0, opts), b = torch.full([], -1.0, opts), c = torch.full([], 0.0, opts), d = torch.full([], 0.3, opts);
    const lr = 5e-6;
    const P3 = LegendrePolynomial3.apply;
    const losses: number[] = [];
    for (let t = 0; t < 2000; t++) {
      const y_pred = a.add(b.mul(P3(c.add(d.mul(x))) as torch.Tensor));
      const loss = y_pred.sub(y).pow(2).sum();
      if (t % 100 === 99) losses.push(loss.item() as number);
      loss.backward();
      torch.no_grad(() => {
        for (const p of [a, b, c, d]) {
          p.sub_(p.grad!.mul(lr));
          p.grad = null;
        }
      });
    }
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    expect(losses[losses.length - 1]).toBeLessThan(50);
  });

  it('its gradient matches central differences, and P3 equals the formula', () => {
    const x = sample([6], 1);
    expect(gradcheck((t) => LegendrePolynomial3.apply(t) as torch.Tensor, [x])).toBeNull();
    const want = x.pow(3).mul(5).sub(x.mul(3)).mul(0.5).tolist();
    expect((LegendrePolynomial3.apply(x) as torch.Tensor).tolist()).toEqual(want);
  });

  it('two outputs, a non-tensor argument, needs_input_grad, mark_non_differentiable, ctx attributes', () => {
    class ScaleAndArgmax extends torch.autograd.Function {
      static forward(ctx: Ctx, x: torch.Tensor, k: number, w: torch.Tensor): [torch.Tensor, torch.Tensor, torch.Tensor] {
        ctx.k = k;
        ctx.seen = [...ctx.needs_input_grad];
        ctx.save_for_backward(x, w);
        const idx = x.argmax();
        ctx.mark_non_differentiable(idx);
        return [x.mul(k).mul(w), x.exp(), idx];
      }
      static backward(ctx: Ctx, g1: torch.Tensor, g2: torch.Tensor, gIdx: torch.Tensor | null): (torch.Tensor | null)[] {
        const [x, w] = ctx.saved_tensors;
        expect(gIdx).toBeNull();
        const k = ctx.k as number;
        return [g1.mul(k).mul(w).add(g2.mul(x.exp())), null, g1.mul(k).mul(x)];
      }
    }
    const x = sample([4], 2), w = sample([4], 3);
    expect(gradcheck((a, b) => (ScaleAndArgmax.apply(a, 2.5, b) as torch.Tensor[]).slice(0, 2), [x, w])).toBeNull();
    const xs = x.clone().requires_grad_(), [, , idx] = ScaleAndArgmax.apply(xs, 1, torch.ones(4)) as torch.Tensor[];
    expect(idx.requires_grad).toBe(false);
    expect(idx.dtype).toBe('int64');
  });

  it('set_materialize_grads(false) gives null for an output that got no gradient', () => {
    let seen: unknown = 'unset';
    class Two extends torch.autograd.Function {
      static forward(ctx: Ctx, x: torch.Tensor): torch.Tensor[] {
        ctx.set_materialize_grads(false);
        return [x.mul(2), x.mul(3)];
      }
      static backward(_ctx: Ctx, g1: torch.Tensor | null, g2: torch.Tensor | null): torch.Tensor {
        seen = g2;
        return g1!.mul(2);
      }
    }
    const x = torch.ones(2, { requires_grad: true });
    const [y] = Two.apply(x) as torch.Tensor[];
    y.sum().backward();
    expect(seen).toBeNull();
    expect(x.grad!.tolist()).toEqual([2, 2]);
  });

  it('in-place changes to a saved tensor are caught; a second backward needs retain_graph', () => {
    const x = torch.tensor([1, 2], { requires_grad: true });
    const h = x.mul(1);
    const y = LegendrePolynomial3.apply(h) as torch.Tensor;
    h.add_(1);
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
    const z = LegendrePolynomial3.apply(x.mul(1)) as torch.Tensor;
    z.sum().backward();
    expect(() => z.sum().backward()).toThrow(/Trying to backward through the graph a second time/);
    expectIntact();
  });

  it('a backward returning the wrong number or shape of gradients is refused in PyTorch\'s words', () => {
    class TooMany extends torch.autograd.Function {
      static forward(_ctx: Ctx, x: torch.Tensor): torch.Tensor { return x.mul(2); }
      static backward(_ctx: Ctx, g: torch.Tensor): torch.Tensor[] { return [g, g]; }
    }
    class BadShape extends torch.autograd.Function {
      static forward(_ctx: Ctx, x: torch.Tensor): torch.Tensor { return x.mul(2); }
      static backward(): torch.Tensor { return torch.ones(3); }
    }
    class NoForward extends torch.autograd.Function {}
    const x = torch.ones(2, { requires_grad: true });
    expect(() => (TooMany.apply(x) as torch.Tensor).sum().backward()).toThrow('function TooManyBackward returned an incorrect number of gradients (expected 1, got 2)');
    expect(() => (BadShape.apply(x) as torch.Tensor).sum().backward()).toThrow('Function BadShapeBackward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]');
    expect(() => NoForward.apply(x)).toThrow('You must implement the forward function for custom autograd.Function.');
    expectIntact();
  });

  it('without inputs that require grad, nothing is recorded', () => {
    const y = LegendrePolynomial3.apply(torch.ones(2)) as torch.Tensor;
    expect(y.requires_grad).toBe(false);
    expect(y.grad_fn).toBeNull();
    const z = LegendrePolynomial3.apply(torch.ones(2, { requires_grad: true })) as torch.Tensor;
    expect(z.grad_fn!.name()).toBe('LegendrePolynomial3Backward');
  });
});
