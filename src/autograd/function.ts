// torch.autograd.Function: a user-written op with its own backward.
//
//   class LegendrePolynomial3 extends torch.autograd.Function {
//     static forward(ctx, input) { ctx.save_for_backward(input); return input.pow(3).mul(5).sub(input.mul(3)).mul(0.5); }
//     static backward(ctx, grad_output) { const [input] = ctx.saved_tensors; return grad_output.mul(input.pow(2).mul(5).sub(1).mul(1.5)); }
//   }
//   const P3 = LegendrePolynomial3.apply;
//
// forward runs without recording; each output then gets one graph node whose
// rule is the class's backward, called with the gradients of all outputs.
import { Tensor } from '../tensor.js';
import { record, no_grad, is_grad_enabled } from './engine.js';
import { broadcastShapes, shapeStr, sameShape } from '../ops/core.js';
import { zeros_like } from '../ops/creation.js';

/** The ctx a Function's forward and backward share (PyTorch's FunctionCtx); other attributes may be set on it freely. */
export class FunctionCtx {
  [attribute: string]: unknown;
  /** for each forward argument, whether it is a tensor that requires grad */
  needs_input_grad: boolean[] = [];
  private toSave: Tensor[] = [];
  private savedVersions: number[] = [];
  /** @internal the outputs marked non-differentiable */
  _nonDifferentiable = new Set<Tensor>();
  /** @internal whether absent output gradients are zeros (default) or null */
  _materialize = true;
  /** Saves tensors for backward (read back as ctx.saved_tensors). */
  save_for_backward(...tensors: (Tensor | null)[]): void {
    for (const t of tensors) {
      if (t !== null && !(t instanceof Tensor)) throw new TypeError('save_for_backward can only save variables, but argument 0 is of type ' + typeof t);
    }
    this.toSave = tensors.filter((t): t is Tensor => t !== null);
    this.savedVersions = this.toSave.map((t) => t.storage.version);
  }
  /** The tensors save_for_backward saved (checked against in-place changes since, as PyTorch's). */
  get saved_tensors(): Tensor[] {
    this.toSave.forEach((t, i) => {
      if (t.storage.version !== this.savedVersions[i]) {
        throw new Error(`one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor ${shapeStr(t.shape)}] ` +
          `is at version ${t.storage.version}; expected version ${this.savedVersions[i]} instead.`);
      }
    });
    return this.toSave.slice();
  }
  /** Outputs that get no gradient (integer indices, say): they do not require grad. */
  mark_non_differentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this._nonDifferentiable.add(t);
  }
  /** Whether backward receives zeros (true, the default) or null for outputs that got no gradient. */
  set_materialize_grads(value: boolean): void {
    this._materialize = value;
  }
  /** In-place forward outputs are not supported: the forward must return new tensors. */
  mark_dirty(...tensors: Tensor[]): void {
    void tensors;
    throw new Error('wasmtorch: autograd.Function with ctx.mark_dirty (an in-place forward) is not supported; return a new tensor from forward instead');
  }
  /** @internal what save_for_backward saved, for the graph node (which checks and frees them as its own) */
  _saved(): Tensor[] {
    return this.toSave;
  }
}

type Output = Tensor | (Tensor | unknown)[];
interface FunctionClass {
  name: string;
  forward(ctx: FunctionCtx, ...args: unknown[]): Output;
  backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): Tensor | null | (Tensor | null)[];
}

/** torch.autograd.Function: subclass it with static forward(ctx, ...args) and backward(ctx, ...grad_outputs), call Sub.apply(...args). */
export class AutogradFunction {
  static forward(ctx: FunctionCtx, ...args: unknown[]): Output {
    void ctx; void args;
    throw new Error('You must implement the forward function for custom autograd.Function.');
  }
  static backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): Tensor | null | (Tensor | null)[] {
    void ctx; void grads;
    throw new Error('You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.');
  }
  /** Sub.apply(...args): forward, with backward recorded; a bound function, so `const f = Sub.apply` works. */
  static get apply(): (...args: unknown[]) => Output {
    const cls = this as unknown as FunctionClass;
    return (...args: unknown[]) => applyFunction(cls, args);
  }
}

function applyFunction(cls: FunctionClass, args: unknown[]): Output {
  const ctx = new FunctionCtx();
  const tracking = is_grad_enabled();
  ctx.needs_input_grad = args.map((a) => tracking && a instanceof Tensor && a.requires_grad);
  const result = no_grad(() => cls.forward(ctx, ...args));
  const single = result instanceof Tensor;
  const outs = (single ? [result] : Array.isArray(result) ? result : [result]) as unknown[];
  // an input returned as it is comes out as a new tensor over the same data (PyTorch returns a view)
  const outputs = outs.map((o) => (o instanceof Tensor && args.includes(o) ? alias(o) : o));
  const tensors = outputs.filter((o): o is Tensor => o instanceof Tensor);
  const inputs = args.map((a) => (a instanceof Tensor ? a : null));
  if (!ctx.needs_input_grad.some((n) => n)) return single ? outputs[0] as Tensor : outputs;
  const differentiable = tensors.filter((t) => !ctx._nonDifferentiable.has(t) && t.dtype === 'float32');
  // backward is linear in the output gradients: each output's node calls it with that output's gradient and the
  // others' zeros (or null), and the engine adds the results up
  for (const out of differentiable) {
    record(out, `${cls.name}Backward`, inputs, (g) => {
      const grads = tensors.map((t) => (t === out ? g : ctx._nonDifferentiable.has(t) || !ctx._materialize ? null : zeros_like(t)));
      const r = cls.backward(ctx, ...grads);
      return checkedGradients(cls, args, Array.isArray(r) ? r : [r]);
    }, ctx._saved()); // the node checks the saved tensors' versions and frees them after backward, as its own
  }
  return single ? outputs[0] as Tensor : outputs;
}

function alias(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape.slice(), t._strides.slice(), t.offset, t.dtype);
}

/** backward's results, one per forward argument, each broadcastable to its input (PyTorch's checks). */
function checkedGradients(cls: FunctionClass, args: unknown[], grads: unknown[]): (Tensor | null)[] {
  // trailing Nones for non-tensor arguments may be left out
  if (grads.length !== args.length) {
    throw new Error(`function ${cls.name}Backward returned an incorrect number of gradients (expected ${args.length}, got ${grads.length})`);
  }
  return grads.map((g, i) => {
    const input = args[i];
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor)) throw new TypeError(`expected Tensor or None (got ${typeof g === 'number' ? (Number.isInteger(g) ? 'int' : 'float') : typeof g})`);
    if (!(input instanceof Tensor)) {
      throw new Error(`function ${cls.name}Backward returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
    }
    let fits = false;
    try {
      fits = sameShape(broadcastShapes(input.shape, g.shape), g.shape); // the input expands to it: the engine sums it back
    } catch { /* not broadcastable */ }
    if (!fits) {
      throw new Error(`Function ${cls.name}Backward returned an invalid gradient at index ${i} - got ${shapeStr(g.shape)} but expected shape compatible with ${shapeStr(input.shape)}`);
    }
    return g;
  });
}
