// Normalization and dropout, functional forms: F.batch_norm, F.layer_norm,
// F.group_norm, F.dropout, F.dropout2d. The normalizations are compositions
// of ops (mean, sub, mul, rsqrt), so autograd differentiates them without
// gradient code of their own. Dropout's masks come from the default generator
// as PyTorch's CPU bernoulli_ draws them (see bernoulliMask). Each public form
// is PyTorch's Python function, declared by its schema line; the modules call
// the implementations (batchNorm, ...) with their checked fields directly.
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { composite, shapeStr, normalizeDim, checkFloat } from '../ops/core.js';
import { no_grad } from '../autograd/engine.js';
import { default_generator } from '../random.js';
import { pyFunction, plainArgs } from '../pyfunction.js';
import { pyFloat, pyRepr } from '../pyrepr.js';
import type { CallArgs } from '../signature.js';

/** [1, C, 1, ...]: a per-channel vector shaped to broadcast against an [N, C, *] input. */
function channelShape(ndim: number, c: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === 1 ? c : 1));
}

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Python's list repr of sizes, e.g. [2, 3] (torch.Size prints as torch.Size([2, 3])). */
function sizeRepr(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** PyTorch's _verify_batch_size: normalizing over a single value per channel is an error in training. */
function verifyBatchSize(size: readonly number[], repr: string): void {
  let prod = size[0];
  for (let i = 2; i < size.length; i++) prod *= size[i];
  if (prod === 1) throw new Error(`Expected more than 1 value per channel when training, got input size ${repr}`);
}

// ---- batch_norm ----------------------------------------------------------------

export interface BatchNormOptions {
  input?: Tensor;
  running_mean?: Tensor | null;
  running_var?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * F.batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-05),
 * each by position or by name. input is [N, C] or [N, C, *]. In training the batch statistics normalize (biased
 * variance) and the running statistics, when given, are updated in place: running = (1 - momentum) * running +
 * momentum * stat, with the unbiased variance for running_var. In evaluation the running statistics normalize.
 */
export const batch_norm = pyFunction<(...args: CallArgs<[input: Tensor, running_mean: Tensor | null, running_var: Tensor | null,
  weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number], BatchNormOptions>) => Tensor>(
  'batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight=None, Tensor? bias=None, ' +
  'bool training=False, float momentum=0.1, float eps=1e-05) -> Tensor', batchNorm, plainArgs('Tttttbff', 3));

/** F.batch_norm of checked arguments (BatchNorm*d.forward calls it directly). */
export function batchNorm(input: Tensor, running_mean: Tensor | null, running_var: Tensor | null, weight: Tensor | null = null,
  bias: Tensor | null = null, training = false, momentum = 0.1, eps = 1e-5): Tensor {
  if (training) verifyBatchSize(input.shape, `torch.Size(${sizeRepr(input.shape)})`);
  // F.batch_norm's own checks (PyTorch's ValueErrors)
  if (training && eps <= 0) throw new Error(`batch_norm eps must be positive during training, but got ${pyFloat(eps)}`);
  if (eps < 0) throw new Error(`batch_norm eps must be non-negative, but got ${pyFloat(eps)}`);
  checkFloat(input, 'batch_norm');
  const C = input.shape[normalizeDim(1, input.dim())];
  const check = (t: Tensor | null, name: string) => {
    if (t !== null && t.numel() !== C) throw new Error(`${name} should contain ${C} elements not ${t.numel()}`);
  };
  check(running_mean, 'running_mean');
  if (running_mean === null && !training) throw new Error('running_mean must be defined in evaluation mode');
  check(running_var, 'running_var');
  if (running_var === null && !training) throw new Error('running_var must be defined in evaluation mode');
  check(weight, 'weight');
  check(bias, 'bias');

  const pshape = channelShape(input.dim(), C);
  const dims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  const n = input.numel() / Math.max(C, 1);
  return composite(() => {
    if (!training) {
      // y = x * scale + shift, scale = w / sqrt(rv + eps), shift = b - rm * scale
      let scale = running_var!.reshape(pshape).add(eps).rsqrt();
      if (weight) scale = scale.mul(weight.reshape(pshape));
      let shift = running_mean!.reshape(pshape).mul(scale).neg();
      if (bias) shift = shift.add(bias.reshape(pshape));
      return input.mul(scale).add(shift);
    }
    const mean = input.mean(dims, true);
    const centered = input.sub(mean);
    const biasedVar = centered.mul(centered).mean(dims, true);
    if (running_mean || running_var) {
      no_grad(() => {
        if (running_mean) {
          running_mean.copy_(mean.reshape(running_mean.shape).mul(momentum).add(running_mean.mul(1 - momentum)));
        }
        if (running_var) {
          const unbiased = biasedVar.reshape(running_var.shape).mul(n / (n - 1));
          running_var.copy_(unbiased.mul(momentum).add(running_var.mul(1 - momentum)));
        }
      });
    }
    let scale = biasedVar.add(eps).rsqrt();
    if (weight) scale = scale.mul(weight.reshape(pshape));
    const y = centered.mul(scale);
    return bias ? y.add(bias.reshape(pshape)) : y;
  });
}

// ---- layer_norm ----------------------------------------------------------------

export interface LayerNormOptions {
  input?: Tensor;
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * F.layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05): normalizes over the last
 * normalized_shape.length dims (biased variance), then elementwise weight and bias of shape normalized_shape.
 */
export const layer_norm = pyFunction<(...args: CallArgs<[input: Tensor, normalized_shape: number | number[], weight: Tensor | null,
  bias: Tensor | null, eps: number], LayerNormOptions & { normalized_shape?: number | number[] }>) => Tensor>(
  'layer_norm(Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float eps=1e-05) -> Tensor',
  layerNorm, plainArgs('TLttf', 2));

/** F.layer_norm of checked arguments (LayerNorm.forward calls it directly). */
export function layerNorm(input: Tensor, normalized_shape: number | number[], weight: Tensor | null = null, bias: Tensor | null = null,
  eps = 1e-5): Tensor {
  const shape = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape.slice();
  const k = shape.length;
  if (k < 1) {
    throw new Error('Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, ' +
      `but got normalized_shape = ${shapeStr(shape)}`);
  }
  if (weight && !ops.sameShape(weight.shape, shape)) {
    throw new Error(`Expected weight to be of same shape as normalized_shape, but got weight of shape ${shapeStr(weight.shape)} ` +
      `and normalized_shape = ${shapeStr(shape)}`);
  }
  if (bias && !ops.sameShape(bias.shape, shape)) {
    throw new Error(`Expected bias to be of same shape as normalized_shape, but got bias of shape ${shapeStr(bias.shape)} ` +
      `and normalized_shape = ${shapeStr(shape)}`);
  }
  const nd = input.dim();
  if (nd < k || !ops.sameShape(input.shape.slice(nd - k), shape)) {
    throw new Error(`Given normalized_shape=${shapeStr(shape)}, expected input with shape [*${shape.map((s) => `, ${s}`).join('')}], ` +
      `but got input of size${shapeStr(input.shape)}`);
  }
  checkFloat(input, 'layer_norm');
  const dims = Array.from({ length: k }, (_, i) => nd - k + i);
  return composite(() => {
    const centered = input.sub(input.mean(dims, true));
    const rstd = centered.mul(centered).mean(dims, true).add(eps).rsqrt();
    let y = centered.mul(rstd);
    if (weight) y = y.mul(weight);
    return bias ? y.add(bias) : y;
  });
}

// ---- group_norm ----------------------------------------------------------------

/**
 * F.group_norm(input, num_groups, weight=None, bias=None, eps=1e-05): input [N, C, *], each sample's channels split
 * into num_groups groups normalized on their own (biased variance), then per-channel weight and bias.
 */
export const group_norm = pyFunction<(...args: CallArgs<[input: Tensor, num_groups: number, weight: Tensor | null, bias: Tensor | null,
  eps: number], LayerNormOptions & { num_groups?: number }>) => Tensor>(
  'group_norm(Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05) -> Tensor',
  groupNorm, plainArgs('Tittf', 2));

/** F.group_norm of checked arguments (GroupNorm.forward calls it directly). */
export function groupNorm(input: Tensor, num_groups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (input.dim() < 2) throw new Error(`Expected at least 2 dimensions for input tensor but received ${input.dim()}`);
  const [N, C] = input.shape;
  const spatial = input.shape.slice(2);
  if (num_groups === 0) throw new Error('integer division or modulo by zero'); // Python's ZeroDivisionError, from N * C // num_groups
  verifyBatchSize([Math.floor((N * C) / num_groups), num_groups, ...spatial],
    sizeRepr([Math.floor((N * C) / num_groups), num_groups, ...spatial]));
  if (num_groups < 0) throw new Error(`Expected num groups to be greater than 0, got ${num_groups}`);
  if (C % num_groups !== 0) {
    throw new Error('Expected number of channels in input to be divisible by num_groups, but got input of shape ' +
      `${shapeStr(input.shape)} and num_groups=${num_groups}`);
  }
  const checkParam = (t: Tensor | null, name: string) => {
    if (t && !(t.dim() === 1 && t.numel() === C)) {
      throw new Error(`Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ` +
        `${shapeStr(t.shape)} and input of shape ${shapeStr(input.shape)}`);
    }
  };
  checkParam(weight, 'weight');
  checkParam(bias, 'bias');
  checkFloat(input, 'group_norm');
  const pshape = channelShape(input.dim(), C);
  return composite(() => {
    const x = input.reshape([N, num_groups, (C / num_groups) * product(spatial)]);
    const centered = x.sub(x.mean(2, true));
    const rstd = centered.mul(centered).mean(2, true).add(eps).rsqrt();
    let y = centered.mul(rstd).reshape(input.shape);
    if (weight) y = y.mul(weight.reshape(pshape));
    return bias ? y.add(bias.reshape(pshape)) : y;
  });
}

// ---- dropout ---------------------------------------------------------------------

export interface DropoutOptions {
  input?: Tensor;
  p?: number;
  training?: boolean;
  inplace?: boolean;
}
type DropoutCall = (...args: CallArgs<[input: Tensor, p: number, training: boolean, inplace: boolean], DropoutOptions>) => Tensor;

/** F.dropout's check of p (PyTorch's ValueError; NaN is refused too, by ATen's words and check). */
function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${pyRepr(p)}`);
}

/**
 * For each element of a tensor of `shape` and `strides`, 1/(1-p) with
 * probability 1 - p, else 0, drawn as PyTorch's CPU `bernoulli_(1 - p)` on a
 * float tensor draws them when it takes ATen's default path: one
 * at::bernoulli_distribution<double> per element in memory order, i.e. two
 * 32-bit MT19937 outputs made into a 53-bit double u, and 1 when u < 1 - p.
 * (PyTorch builds with MKL take another path on Intel CPUs only: an MKL
 * stream seeded by one draw; masks there differ, their statistics do not.)
 * The scale is 1.0f / float(1 - p), as noise.div_(1 - p) computes it.
 */
function bernoulliMask(shape: number[], strides: number[] | null, p: number): Tensor {
  const n = product(shape);
  const keep = 1 - p;
  const scale = Math.fround(1 / Math.fround(keep));
  const g = default_generator;
  const drawn = new Float32Array(n);
  for (let i = 0; i < n; i++) drawn[i] = g.nextDouble() < keep ? scale : 0;
  let values = drawn;
  if (strides !== null) {
    // drawn[k] belongs at memory offset k: gather it into logical (row-major) order
    values = new Float32Array(n);
    const idx = new Array<number>(shape.length).fill(0);
    let off = 0;
    for (let i = 0; i < n; i++) {
      values[i] = drawn[off];
      for (let d = shape.length - 1; d >= 0; d--) {
        idx[d]++;
        off += strides[d];
        if (idx[d] < shape[d]) break;
        off -= strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
  return ops.tensor(values).reshape(shape);
}

/**
 * x's strides when it is laid out densely in some dim order other than
 * row-major (a transposed or permuted tensor): empty_like keeps that layout,
 * and bernoulli_ fills it in memory order. null when row-major or not dense.
 */
function denseNonContiguousStrides(x: Tensor): number[] | null {
  if (x.is_contiguous()) return null;
  const dims = x.shape.map((_, i) => i).filter((i) => x.shape[i] !== 1);
  dims.sort((a, b) => x._strides[b] - x._strides[a]);
  let expected = 1;
  for (let j = dims.length - 1; j >= 0; j--) {
    if (x._strides[dims[j]] !== expected) return null;
    expected *= x.shape[dims[j]];
  }
  return x.shape.map((s, i) => (s === 1 ? 0 : x._strides[i]));
}

/** input * noise (the mask is made inside, so it is freed unless backward keeps it). */
function applyNoise(input: Tensor, noise: () => Tensor, inplace: boolean): Tensor {
  return composite(() => (inplace ? input.mul_(noise()) : input.mul(noise())));
}

/**
 * F.dropout(input, p=0.5, training=True, inplace=False): zeroes each element with probability p and scales the rest
 * by 1/(1-p); the identity when not training or p == 0.
 */
export const dropout = pyFunction<DropoutCall>('dropout(Tensor input, float p=0.5, bool training=True, bool inplace=False) -> Tensor',
  dropoutImpl, plainArgs('Tfbb', 1));

/** F.dropout of checked arguments (Dropout.forward and the recurrent layers call it directly). */
export function dropoutImpl(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  checkP(p);
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return applyNoise(input, () => ops.zeros([]), inplace);
  checkFloat(input, 'bernoulli_scalar_cpu_');
  return applyNoise(input, () => bernoulliMask(input.shape.slice(), denseNonContiguousStrides(input), p), inplace);
}

/**
 * F.dropout2d(input, p=0.5, training=True, inplace=False): zeroes whole channels: input [N, C, H, W] (or [N, C, L],
 * as PyTorch treats 3-D input), one draw per (sample, channel).
 */
export const dropout2d = pyFunction<DropoutCall>('dropout2d(Tensor input, float p=0.5, bool training=True, bool inplace=False) -> Tensor',
  dropout2dImpl, plainArgs('Tfbb', 1));

/** F.dropout2d of checked arguments (Dropout2d.forward calls it directly). */
export function dropout2dImpl(input: Tensor, p = 0.5, training = true, inplace = false): Tensor {
  checkP(p);
  const nd = input.dim();
  if (nd !== 3 && nd !== 4) {
    console.warn(`dropout2d: Received a ${nd}-D input to dropout2d, which is deprecated and will result in an error in a future release. ` +
      'To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise ' +
      'dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).');
  }
  if (nd === 3) {
    console.warn('dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is desired - input is ' +
      'interpreted as shape (N, C, L), where C is the channel dim. This behavior will change in a future release to interpret the ' +
      'input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch ' +
      'to using dropout1d instead.');
  }
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return applyNoise(input, () => ops.zeros([]), inplace);
  if (nd < 2) throw new Error('Feature dropout requires at least 2 dimensions in the input');
  checkFloat(input, 'bernoulli_scalar_cpu_');
  const noiseShape = input.shape.map((s, i) => (i < 2 ? s : 1));
  return applyNoise(input, () => bernoulliMask(noiseShape, null, p), inplace);
}
