// Every case of ../shared/fixtures/ops.json through the public API: outputs,
// and the input gradients of sum(outputs * grad_outputs).
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, toTensor, expectClose, type FixtureTensor } from './helpers/fixtures.js';

const F = torch.nn.functional as unknown as Record<string, (...a: unknown[]) => unknown>;
const T = torch as unknown as Record<string, (...a: unknown[]) => unknown>;

interface OpCase {
  name: string;
  op: string;
  inputs: FixtureTensor[];
  args: unknown[];
  kwargs: Record<string, unknown>;
  outputs: FixtureTensor[];
  grad_outputs?: FixtureTensor[];
  grads?: (FixtureTensor | null)[];
}

// Where PyTorch's positional order differs from "tensors, then the rest".
/** A recurrent module whose parameters are the fixture's input tensors (so their gradients land there). */
function recurrent(ctor: new (i: number, h: number, o: torch.nn.RNNOptions) => torch.nn.Module) {
  return ([x, ...params]: torch.Tensor[], _a: unknown[], kw: Record<string, unknown>) => {
    const m = new ctor(kw.input_size as number, kw.hidden_size as number, { batch_first: kw.batch_first as boolean });
    (kw.param_names as string[]).forEach((name, i) => ((m as unknown as Record<string, torch.Tensor>)[name] = params[i]));
    const [output, h] = m.forward(x) as [torch.Tensor, torch.Tensor | [torch.Tensor, torch.Tensor]];
    return [output, Array.isArray(h) ? h[0] : h]; // the fixture records (output, h_n)
  };
}

const callers: Record<string, (t: torch.Tensor[], args: unknown[], kw: Record<string, unknown>) => unknown> = {
  rnn: recurrent(torch.nn.RNN),
  gru: recurrent(torch.nn.GRU),
  lstm: recurrent(torch.nn.LSTM),
  index_select: ([x, idx], [dim]) => torch.index_select(x, dim as number, idx),
  gather: ([x, idx], [dim]) => torch.gather(x, dim as number, idx),
  cat: (ts, _a, kw) => torch.cat(ts, kw),
  stack: (ts, _a, kw) => torch.stack(ts, kw),
  // the fixture feeds nll_loss raw scores through log_softmax (its output is log_softmax + nll of the inputs)
  nll_loss: ([x, target], _a, kw) => torch.nn.functional.nll_loss(torch.log_softmax(x, 1), target, kw),
  // made by F.batch_norm(x, None, None, weight, bias, training=True) and F.layer_norm(x, [5], weight, bias)
  batch_norm: ([x, weight, bias], _a, kw) => F.batch_norm(x, null, null, weight, bias, kw),
  layer_norm: ([x, weight, bias], [shape]) => F.layer_norm(x, shape, weight, bias),
};

/** The public function for an op: torch.<op>, else torch.nn.functional.<op>. */
function lookup(c: OpCase): ((t: torch.Tensor[]) => unknown) | null {
  const custom = callers[c.op];
  if (custom) return (t) => custom(t, c.args, c.kwargs);
  const fn = T[c.op] ?? F[c.op];
  if (typeof fn !== 'function') return null;
  const kw = Object.keys(c.kwargs).length > 0 ? [c.kwargs] : [];
  return (t) => fn(...t, ...c.args, ...kw);
}

const cases = loadFixture<{ cases: OpCase[] }>('ops.json').cases;
// the ops of later issues: recurrent layers (issue 5)
const MISSING: string[] = [];
const runnable = cases.filter((c) => lookup(c) !== null);

describe('ops.json fixtures (PyTorch 2.13)', () => {
  it('covers the ops this version implements', () => {
    const missing = [...new Set(cases.filter((c) => lookup(c) === null).map((c) => c.op))].sort();
    expect(missing).toEqual(MISSING);
    expect(runnable.length).toBeGreaterThanOrEqual(160);
  });

  for (const c of runnable) {
    it(c.name, () => {
      const fn = lookup(c)!;
      const inputs = c.inputs.map((t) => toTensor(t, t.dtype === 'float32' && c.grads !== undefined));
      const result = fn(inputs);
      const outs = (result instanceof torch.Tensor ? [result] : Array.from(result as Iterable<torch.Tensor>));
      expect(outs.length).toBe(c.outputs.length);
      outs.forEach((o, i) => {
        expect(o.dtype).toBe(c.outputs[i].dtype === 'int64' ? 'int64' : c.outputs[i].dtype);
        expectClose(o, c.outputs[i]);
      });
      if (!c.grads || !c.grad_outputs) return;
      let total: torch.Tensor | null = null;
      outs.forEach((o, i) => {
        if (!o.requires_grad) return;
        const term = o.mul(toTensor(c.grad_outputs![i])).sum();
        total = total === null ? term : total.add(term);
      });
      total!.backward();
      c.grads.forEach((g, i) => {
        if (g === null) return;
        expect(inputs[i].grad, `grad of input ${i}`).not.toBeNull();
        expectClose(inputs[i].grad!, g);
      });
    });
  }
});
