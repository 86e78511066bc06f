// wasmtorch: PyTorch's programming model, kernels in SIMD WebAssembly.
//   import * as torch from 'wasmtorch';
//   const { nn, optim } = torch; const F = torch.nn.functional;
import { Tensor } from './tensor.js';
import * as engine from './autograd/engine.js';
import { AutogradFunction, FunctionCtx } from './autograd/function.js';
import { memoryInfo, setMemoryBudget } from './backend/memory.js';

export { Tensor };
export type { Shape, NestedArray, TensorOrScalar } from './tensor.js';
export {
  type DType, float32, float, int64, long, int32, int, bool,
  float64, double, float16, half, bfloat16, int16, short, int8, uint8, complex64, complex128,
} from './dtype.js';
export { Generator, default_generator } from './random.js';
export {
  manual_seed, initial_seed, set_num_threads, get_num_threads, is_grad_enabled, set_grad_enabled, no_grad, enable_grad,
  use_deterministic_algorithms, are_deterministic_algorithms_enabled, is_tensor, numel, is_floating_point, promote_types,
  FloatTensor, LongTensor, from_numpy, save, load,
} from './torch_functions.js';
export * as backends from './backends.js';
export { device, cuda, get_default_device } from './device.js';
export { tidy, keep } from './tidy.js';
export * as nn from './nn/index.js';
export type { SaveOptions, LoadOptions, Loaded } from './io/serialization.js';
export * as safetensors from './io/safetensors.js';
export * as utils from './data/utils.js';
export * as optim from './optim/index.js';
export * as profiler from './profiler.js';

// creation
export {
  tensor, zeros, ones, full, arange, linspace, eye, rand, randn, randint, normal, randperm,
  zeros_like, ones_like, empty_like, full_like, rand_like, randn_like, empty_ as empty,
} from './ops/creation.js';
// elementwise
export {
  add, sub, rsub, mul, div, pow, maximum, minimum, neg, exp, log, sqrt, rsqrt, abs, sigmoid, tanh, relu, sin, cos,
  reciprocal, square, sign, erf, log1p, expm1, floor, ceil, round, clamp, clip, leaky_relu, gelu, softplus, silu,
  gt, lt, ge, le, eq, ne, logical_and, logical_or, logical_not, where, masked_fill,
} from './ops/elementwise.js';
// reductions
export { sum, mean, amax, amin, max, min, argmax, argmin, logsumexp, softmax, log_softmax, var_ as var, std } from './ops/reduce.js';
// linear algebra
export { matmul, mm, bmm, dot } from './ops/matmul.js';
// shape and indexing
export {
  view, reshape, transpose, t, permute, unsqueeze, squeeze, flatten, unflatten, expand, narrow, select, cat, stack,
  split, chunk, unbind, contiguous, clone, concat, concatenate,
} from './ops/shape.js';
export { index_select, gather, embedding, index_put, index_copy, index_add } from './ops/indexing.js';
export { index_put_ } from './ops/inplace.js';
export { slice, Slice, type IndexKey } from './ops/subscript.js';
export { sort, argsort, topk, multinomial } from './ops/sorting.js';
// beyond the course
export { tan, asin, acos, atan, atan2, log2, log10, lgamma, digamma } from './ops/elementwise.js';
export { cumsum, cumprod, flip } from './ops/scan.js';
export { prod, all, any, var_mean, std_mean } from './ops/reduce.js';
export {
  isnan, isinf, isfinite, isposinf, isneginf, isclose, allclose, equal, clamp_min, clamp_max, addcmul, addcdiv, lerp,
} from './ops/comparison.js';
export { repeat_interleave, roll, tril, triu, diag, diagonal, trace, meshgrid, ravel, tile } from './ops/rearrange.js';
export { outer, mv, einsum, norm, cdist } from './ops/linalg.js';
export { nonzero, argwhere, masked_select, take, unique, bincount, scatter, scatter_add, scatter_reduce } from './ops/selection.js';
export * as linalg from './linalg.js';

export const autograd = {
  grad: engine.grad,
  /** torch.autograd.Function: subclass with static forward(ctx, ...) and backward(ctx, ...); call Sub.apply(...). */
  Function: AutogradFunction,
  FunctionCtx,
  backward(tensors: Tensor | Tensor[], grad_tensors?: Tensor | Tensor[] | null, options: { retain_graph?: boolean; create_graph?: boolean } = {}): void {
    const ts = Array.isArray(tensors) ? tensors : [tensors];
    const gs = grad_tensors == null ? ts.map(() => null) : Array.isArray(grad_tensors) ? grad_tensors : [grad_tensors];
    engine.backward(ts, gs, options);
  },
};

/** Resident bytes and blocks in WebAssembly memory, host bytes, write-backs, the budget and working budget, linear memory size. */
export function memory() {
  return memoryInfo();
}
/**
 * The most bytes of tensor data kept in WebAssembly memory before least recently used data is written back. The
 * working budget restarts at 16 MiB (or `bytes`, if less) and grows up to `bytes` as the working set asks.
 */
export function set_memory_budget(bytes: number): void {
  setMemoryBudget(bytes);
}
export const __version__ = '0.1.0';
