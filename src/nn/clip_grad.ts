// torch.nn.utils.clip_grad_norm_ / clip_grad_value_, and PyTorch 2.6's
// get_total_norm / clip_grads_with_norm_ that clip_grad_norm_ is made of.
// Gradients are read through p._grad: the .grad getter would mark them as seen
// by user code, and zero_grad could then no longer free them at once.
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { tidy } from '../tidy.js';
import { scalarTensor } from '../ops/creation.js';
import { stack } from '../ops/shape.js';
import { signature } from '../signature.js';
import { pyFloat } from '../pyrepr.js';
import { pyBind as bind } from '../pyfunction.js';

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

/** torch.linalg.vector_norm(t, ord) over all elements, from existing ops. */
function vectorNorm(t: Tensor, ord: number): Tensor {
  if (ord === Infinity) return t.abs().amax();
  if (ord === -Infinity) return t.abs().amin();
  if (ord === 0) return t.ne(0).float().sum();
  if (ord === 1) return t.abs().sum();
  if (ord === 2) return t.square().sum().sqrt();
  return t.abs().pow(ord).sum().pow(1 / ord);
}

const GET_TOTAL_NORM = signature('get_total_norm(Any tensors, float|str norm_type=2.0, bool error_if_nonfinite=False, bool? foreach=None) -> Tensor');
const CLIP_GRADS_WITH_NORM = signature('clip_grads_with_norm_(Any parameters, float max_norm, Tensor total_norm, bool? foreach=None)');
const CLIP_GRAD_NORM = signature('clip_grad_norm_(Any parameters, float max_norm, float|str norm_type=2.0, bool error_if_nonfinite=False, ' +
  'bool? foreach=None) -> Tensor');
const CLIP_GRAD_VALUE = signature('clip_grad_value_(Any parameters, float clip_value, bool? foreach=None)');

/** clip_grad_norm_'s common call, run once per training step: (params, max_norm[, norm_type[, error_if_nonfinite]]), plain values. */
function plainNormCall(args: unknown[]): boolean {
  return args.length >= 1 && args.length <= 3 && typeof args[0] === 'number' &&
    (args.length < 2 || typeof args[1] === 'number' || args[1] === 'inf' || args[1] === '-inf') &&
    (args.length < 3 || typeof args[2] === 'boolean');
}

/** norm_type as PyTorch's float(norm_type) reads it: a number, 'inf', '-inf' or a numeric string. */
function checkNormType(norm_type: unknown): NormType {
  if (typeof norm_type === 'string' && norm_type !== 'inf' && norm_type !== '-inf' && (norm_type.trim() === '' || Number.isNaN(Number(norm_type)))) {
    throw new Error(`could not convert string to float: '${norm_type}'`);
  }
  return norm_type as NormType;
}

type Kw<T> = T | Record<string, unknown>;

/** The norm of the tensors' norms: the norm of all their elements viewed as one vector. */
export function get_total_norm(tensors: TensorOrTensors, ...args: Kw<NormType | boolean | null | undefined>[]): Tensor {
  const [, norm_type, error_if_nonfinite] = bind(GET_TOTAL_NORM, [tensors, ...args]) as [unknown, NormType, boolean];
  return totalNorm(list(tensors), checkNormType(norm_type), error_if_nonfinite);
}

function totalNorm(ts: Tensor[], norm_type: NormType, error_if_nonfinite: boolean): Tensor {
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
export function clip_grads_with_norm_(parameters: TensorOrTensors, ...args: Kw<number | Tensor | boolean | null | undefined>[]): void {
  const [, max_norm, total_norm] = bind(CLIP_GRADS_WITH_NORM, [parameters, ...args]) as [unknown, number, Tensor];
  clipWithNorm(list(parameters), max_norm, total_norm);
}

function clipWithNorm(params: Tensor[], max_norm: number, total_norm: Tensor): void {
  const grads = gradsOf(params);
  if (grads.length === 0) return;
  tidy(() => no_grad(() => {
    // as PyTorch: max_norm / (total + 1e-6) in float32, always multiplied (no branch on the coefficient)
    const coef = total_norm.add(1e-6).reciprocal().mul(Number(max_norm)).clamp({ max: 1.0 });
    for (const g of grads) g.mul_(coef);
  }));
}

/**
 * Clips the gradients' total norm to max_norm in place; returns the total norm
 * (before clipping) as a 0-d tensor. PyTorch's parameters, by position or by name:
 * clip_grad_norm_(params, 1.0, 2.0), clip_grad_norm_(params, { max_norm: 1, norm_type: 'inf' }),
 * clip_grad_norm_(params, 1, { error_if_nonfinite: true }).
 */
export function clip_grad_norm_(parameters: TensorOrTensors, ...args: [max_norm: number, ...rest: Kw<NormType | boolean | null | undefined>[]] |
  [options: ClipGradNormOptions]): Tensor {
  let max_norm: number, norm_type: NormType = 2, error_if_nonfinite = false;
  // once per training step: clip_grad_norm_(params, 1.0) and other plain positional calls skip the parser
  if (plainNormCall(args)) [max_norm, norm_type = 2, error_if_nonfinite = false] = args as [number, NormType?, boolean?];
  else [, max_norm, norm_type, error_if_nonfinite] = bind(CLIP_GRAD_NORM, [parameters, ...args]) as [unknown, number, NormType, boolean];
  const params = list(parameters); // once: a generator would be exhausted by the first pass
  const total = totalNorm(gradsOf(params), checkNormType(norm_type), error_if_nonfinite);
  clipWithNorm(params, max_norm, total);
  return total;
}

/** Clamps every gradient to [-clip_value, clip_value] in place. */
export function clip_grad_value_(parameters: TensorOrTensors,
  ...args: [clip_value: number, foreach?: boolean | null] | [clip_value: number, options: { foreach?: boolean | null }] |
    [options: { clip_value: number; foreach?: boolean | null }]): void {
  const v = args.length === 1 && typeof args[0] === 'number' ? args[0]
    : (bind(CLIP_GRAD_VALUE, [parameters, ...args])[1] as number);
  const grads = gradsOf(list(parameters));
  tidy(() => no_grad(() => {
    for (const g of grads) g.copy_(g.clamp(-v, v));
  }));
}
