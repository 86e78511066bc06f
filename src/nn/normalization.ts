// Normalization and dropout, functional forms: F.batch_norm, F.layer_norm,
// F.group_norm, F.dropout, F.dropout2d. The normalizations are compositions
// of ops (mean, sub, mul, rsqrt), so autograd differentiates them without
// gradient code of their own. Dropout's masks come from the default generator
// as PyTorch's CPU bernoulli_ draws them (see bernoulliMask).
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { composite, shapeStr, normalizeDim, checkFloat } from '../ops/core.js';
import { no_grad } from '../autograd/engine.js';
import { default_generator } from '../random.js';

type Options = Record<string, unknown>;

function isOptions(a: unknown): a is Options {
  return typeof a === 'object' && a !== null && !(a instanceof Tensor) && !Array.isArray(a) && !ArrayBuffer.isView(a);
}

/**
 * PyTorch's calling conventions at once: positional arguments in PyTorch's
 * order, and keyword arguments as an options object (last, or in place of the
 * remaining positionals). Returns the arguments by name.
 */
function parseArgs(args: unknown[], names: string[], fn: string): Options {
  const out: Options = {};
  let i = 0;
  for (const a of args) {
    if (isOptions(a)) {
      for (const [k, v] of Object.entries(a)) {
        if (!names.includes(k)) throw new Error(`${fn}() got an unexpected keyword argument '${k}'`);
        if (k in out) throw new Error(`${fn}() got multiple values for argument '${k}'`);
        out[k] = v;
      }
      continue;
    }
    if (i >= names.length) throw new Error(`${fn}() takes at most ${names.length + 1} positional arguments`);
    if (a !== undefined) out[names[i]] = a;
    i++;
  }
  return out;
}

const tensorOrNull = (v: unknown, name: string, fn: string): Tensor | null => {
  if (v === undefined || v === null) return null;
  if (!(v instanceof Tensor)) throw new Error(`${fn}(): argument '${name}' must be Tensor, not ${typeof v}`);
  return v;
};

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
  running_mean?: Tensor | null;
  running_var?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number | null;
  eps?: number;
}

const BATCH_NORM_ARGS = ['running_mean', 'running_var', 'weight', 'bias', 'training', 'momentum', 'eps'];

/**
 * F.batch_norm(input, running_mean, running_var, weight?, bias?, training=false,
 * momentum=0.1, eps=1e-5), or with keyword arguments in an options object.
 * input is [N, C] or [N, C, *]. In training the batch statistics normalize
 * (biased variance) and the running statistics, when given, are updated in
 * place: running = (1 - momentum) * running + momentum * stat, with the
 * unbiased variance for running_var. In evaluation the running statistics
 * normalize.
 */
export function batch_norm(input: Tensor, ...rest: (Tensor | null | boolean | number | BatchNormOptions | undefined)[]): Tensor {
  const a = parseArgs(rest, BATCH_NORM_ARGS, 'batch_norm');
  const running_mean = tensorOrNull(a.running_mean, 'running_mean', 'batch_norm');
  const running_var = tensorOrNull(a.running_var, 'running_var', 'batch_norm');
  const weight = tensorOrNull(a.weight, 'weight', 'batch_norm');
  const bias = tensorOrNull(a.bias, 'bias', 'batch_norm');
  const training = Boolean(a.training ?? false);
  const momentum = (a.momentum ?? 0.1) as number;
  const eps = (a.eps ?? 1e-5) as number;

  if (training) verifyBatchSize(input.shape, `torch.Size(${sizeRepr(input.shape)})`);
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
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * F.layer_norm(input, normalized_shape, weight?, bias?, eps=1e-5): normalizes
 * over the last normalized_shape.length dims (biased variance), then
 * elementwise weight and bias of shape normalized_shape.
 */
export function layer_norm(input: Tensor, normalized_shape: number | number[],
  ...rest: (Tensor | null | number | LayerNormOptions | undefined)[]): Tensor {
  const a = parseArgs(rest, ['weight', 'bias', 'eps'], 'layer_norm');
  const weight = tensorOrNull(a.weight, 'weight', 'layer_norm');
  const bias = tensorOrNull(a.bias, 'bias', 'layer_norm');
  const eps = (a.eps ?? 1e-5) as number;
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
 * F.group_norm(input, num_groups, weight?, bias?, eps=1e-5): input [N, C, *],
 * each sample's channels split into num_groups groups normalized on their own
 * (biased variance), then per-channel weight and bias.
 */
export function group_norm(input: Tensor, num_groups: number,
  ...rest: (Tensor | null | number | LayerNormOptions | undefined)[]): Tensor {
  const a = parseArgs(rest, ['weight', 'bias', 'eps'], 'group_norm');
  const weight = tensorOrNull(a.weight, 'weight', 'group_norm');
  const bias = tensorOrNull(a.bias, 'bias', 'group_norm');
  const eps = (a.eps ?? 1e-5) as number;
  if (input.dim() < 2) throw new Error(`Expected at least 2 dimensions for input tensor but received ${input.dim()}`);
  const [N, C] = input.shape;
  const spatial = input.shape.slice(2);
  verifyBatchSize([Math.floor((N * C) / num_groups), num_groups, ...spatial],
    sizeRepr([Math.floor((N * C) / num_groups), num_groups, ...spatial]));
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
  p?: number;
  training?: boolean;
  inplace?: boolean;
}

function dropoutArgs(rest: unknown[], fn: string): { p: number; training: boolean; inplace: boolean } {
  const a = parseArgs(rest, ['p', 'training', 'inplace'], fn);
  const p = (a.p ?? 0.5) as number;
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${p}`);
  return { p, training: Boolean(a.training ?? true), inplace: Boolean(a.inplace ?? false) };
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
 * F.dropout(input, p=0.5, training=true, inplace=false): zeroes each element
 * with probability p and scales the rest by 1/(1-p); the identity when not
 * training or p == 0.
 */
export function dropout(input: Tensor, ...rest: (number | boolean | DropoutOptions | undefined)[]): Tensor {
  const { p, training, inplace } = dropoutArgs(rest, 'dropout');
  if (p === 0 || !training || input.numel() === 0) return input;
  if (p === 1) return applyNoise(input, () => ops.zeros([]), inplace);
  checkFloat(input, 'bernoulli_scalar_cpu_');
  return applyNoise(input, () => bernoulliMask(input.shape.slice(), denseNonContiguousStrides(input), p), inplace);
}

/**
 * F.dropout2d(input, p=0.5, training=true, inplace=false): zeroes whole
 * channels: input [N, C, H, W] (or [N, C, L], as PyTorch treats 3-D input),
 * one draw per (sample, channel).
 */
export function dropout2d(input: Tensor, ...rest: (number | boolean | DropoutOptions | undefined)[]): Tensor {
  const { p, training, inplace } = dropoutArgs(rest, 'dropout2d');
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
