// torch.nn.utils.clip_grad_norm_ / clip_grad_value_, and PyTorch 2.6's
// get_total_norm / clip_grads_with_norm_ that clip_grad_norm_ is made of.
// Gradients are read through p._grad: the .grad getter would mark them as seen
// by user code, and zero_grad could then no longer free them at once.
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { tidy } from '../tidy.js';
import { scalarTensor } from '../ops/creation.js';
import { stack } from '../ops/shape.js';

export type TensorOrTensors = Tensor | Iterable<Tensor>;
export type NormType = number | 'inf' | '-inf';

export interface ClipGradNormOptions {
  max_norm?: number;
  norm_type?: NormType;
  error_if_nonfinite?: boolean;
  /** accepted for PyTorch's signature; there is one implementation */
  foreach?: boolean | null;
}

const list = (ts: TensorOrTensors): Tensor[] => (ts instanceof Tensor ? [ts] : Array.from(ts));
const gradsOf = (params: Tensor[]): Tensor[] => params.flatMap((p) => (p._grad === null ? [] : [p._grad]));

function parseNorm(norm_type: NormType): number {
  if (norm_type === 'inf') return Infinity;
  if (norm_type === '-inf') return -Infinity;
  return Number(norm_type);
}

/** Python's str(float): 2 -> '2.0', Infinity -> 'inf'. */
function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x);
}

/** torch.linalg.vector_norm(t, ord) over all elements, from existing ops. */
function vectorNorm(t: Tensor, ord: number): Tensor {
  if (ord === Infinity) return t.abs().amax();
  if (ord === -Infinity) return t.abs().amin();
  if (ord === 0) return t.ne(0).float().sum();
  if (ord === 1) return t.abs().sum();
  if (ord === 2) return t.square().sum().sqrt();
  return t.abs().pow(ord).sum().pow(1 / ord);
}

/** The norm of the tensors' norms: the norm of all their elements viewed as one vector. */
export function get_total_norm(tensors: TensorOrTensors, norm_type: NormType = 2, error_if_nonfinite = false,
  _foreach: boolean | null = null): Tensor {
  const ts = list(tensors);
  const ord = parseNorm(norm_type);
  if (ts.length === 0) return scalarTensor(0);
  const total = tidy(() => no_grad(() => vectorNorm(stack(ts.map((t) => vectorNorm(t, ord))), ord)));
  if (error_if_nonfinite && !Number.isFinite(total.item())) {
    throw new Error(`The total norm of order ${pyFloat(ord)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
      'To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`');
  }
  return total;
}

/** Scales the gradients in place by min(1, max_norm / (total_norm + 1e-6)). */
export function clip_grads_with_norm_(parameters: TensorOrTensors, max_norm: number, total_norm: Tensor,
  _foreach: boolean | null = null): void {
  const grads = gradsOf(list(parameters));
  if (grads.length === 0) return;
  tidy(() => no_grad(() => {
    // as PyTorch: max_norm / (total + 1e-6) in float32, always multiplied (no branch on the coefficient)
    const coef = total_norm.add(1e-6).reciprocal().mul(Number(max_norm)).clamp({ max: 1.0 });
    for (const g of grads) g.mul_(coef);
  }));
}

/**
 * Clips the gradients' total norm to max_norm in place; returns the total norm
 * (before clipping) as a 0-d tensor. Also clip_grad_norm_(params, { max_norm, norm_type, ... })
 * and clip_grad_norm_(params, max_norm, { norm_type, ... }).
 */
export function clip_grad_norm_(parameters: TensorOrTensors, max_norm: number | ClipGradNormOptions,
  norm_type: NormType | ClipGradNormOptions = 2, error_if_nonfinite = false, foreach: boolean | null = null): Tensor {
  let o: ClipGradNormOptions = { norm_type: 2, error_if_nonfinite, foreach };
  if (typeof max_norm === 'object') o = { ...o, ...max_norm };
  else if (typeof norm_type === 'object') o = { ...o, ...norm_type, max_norm };
  else o = { ...o, max_norm, norm_type };
  if (o.max_norm === undefined) throw new TypeError("clip_grad_norm_() missing 1 required positional argument: 'max_norm'");
  const params = list(parameters); // once: a generator would be exhausted by the first pass
  const total = get_total_norm(gradsOf(params), o.norm_type, o.error_if_nonfinite, o.foreach);
  clip_grads_with_norm_(params, o.max_norm, total, o.foreach);
  return total;
}

/** Clamps every gradient to [-clip_value, clip_value] in place. */
export function clip_grad_value_(parameters: TensorOrTensors, clip_value: number | { clip_value: number; foreach?: boolean | null },
  _foreach: boolean | null = null): void {
  const v = Number(typeof clip_value === 'object' ? clip_value.clip_value : clip_value);
  const grads = gradsOf(list(parameters));
  tidy(() => no_grad(() => {
    for (const g of grads) g.copy_(g.clamp(-v, v));
  }));
}
