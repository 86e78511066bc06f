// Convolution and pooling. conv is unfold (im2col, a kernel) followed by the
// packed GEMM; unfold and fold (col2im) are each other's adjoint and record
// each other as backward, so everything here differentiates twice. Pooling
// picks indices in a kernel and gathers through autograd.
import { Tensor } from '../tensor.js';
import { record } from '../autograd/engine.js';
import { K, tick, empty, ptr, dense, writeMeta, checkFloat, composite, shapeStr } from './core.js';
import { zeros, tensor } from './creation.js';
import { matmul } from './matmul.js';
import { gather } from './indexing.js';
import { stack } from './shape.js';
import { op, type CallArgs } from '../signature.js';
import { pyFunction, plainArgs } from '../pyfunction.js';

type Pair = number | [number, number];
const pair = (v: Pair | number[]): [number, number] => (Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v, v]);

/** Window geometry over [C, H, W] planes, as the kernels read it. */
interface Geometry {
  C: number; H: number; W: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number;
  oh: number; ow: number;
}
const geoPtr = (g: Geometry): number =>
  writeMeta([g.C, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]);

/**
 * x [N, C, H, W] -> columns [C*kh*kw, N*oh*ow]: the whole batch side by side,
 * so a convolution is one GEMM (and its weight gradient another).
 */
function im2col(x: Tensor, g: Geometry): Tensor {
  const N = x.shape[0], rows = g.C * g.kh * g.kw, L = g.oh * g.ow;
  const src = dense(x);
  tick();
  const out = empty([rows, N * L]);
  if (out.numel() > 0) K.unfold(ptr(src), ptr(out), geoPtr(g), N);
  return record(out, 'Im2ColBackward0', [x], (grad) => [col2im(grad, g, N)]);
}

/** columns [C*kh*kw, N*oh*ow] -> [N, C, H, W], overlapping windows summed (the adjoint of im2col). */
function col2im(cols: Tensor, g: Geometry, N: number): Tensor {
  const src = dense(cols);
  const out = zeros(N, g.C, g.H, g.W);
  tick();
  if (out.numel() > 0) K.fold(ptr(src), ptr(out), geoPtr(g), N);
  return record(out, 'Col2ImBackward0', [cols], (grad) => [im2col(grad, g)]);
}

function outSize(size: number, k: number, s: number, p: number, d: number, ceil = false): number {
  const span = size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
  let out = Math.floor(span / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--; // the last window must start inside the input or its left padding
  return out;
}

export interface ConvOptions {
  stride?: Pair | number[];
  padding?: Pair | number[] | 'valid' | 'same';
  dilation?: Pair | number[];
  groups?: number;
}

/** 2-d convolution of [N, C, H, W] (or [C, H, W]); `dims` is what the user called (1 for conv1d), for messages. */
function conv(x: Tensor, w: Tensor, b: Tensor | null | undefined, o: ConvOptions, name: string, dims: number): Tensor {
  checkFloat(x, name);
  if (x.dim() !== 3 && x.dim() !== 4) {
    throw new Error(`Expected ${dims + 1}D (unbatched) or ${dims + 2}D (batched) input to ${name}, but got input of size: ${shapeStr(x.shape)}`);
  }
  if (x.dim() === 3) return conv(x.unsqueeze(0), w, b, o, name, dims).squeeze(0);
  const groups = o.groups ?? 1;
  checkConvParams(o, groups);
  const [N, C, H, W] = x.shape;
  const [Cout, Cg, kh, kw] = w.shape;
  if (w.dim() !== 4) throw new Error(`weight should have 4 dimensions, got ${w.dim()}`);
  if (Cout % groups !== 0) {
    throw new Error(`Given groups=${groups}, expected weight to be divisible by ${groups} at dimension 0, but got weight of size ${shapeStr(w.shape)} instead`);
  }
  if (C !== Cg * groups) {
    throw new Error(`Given groups=${groups}, weight of size ${shapeStr(w.shape)}, expected input${shapeStr(x.shape)} to have ${Cg * groups} channels, but got ${C} channels instead`);
  }
  if (b && (b.dim() !== 1 || b.shape[0] !== Cout)) {
    throw new Error(`Given weight of size ${shapeStr(w.shape)}, expected bias to be 1-dimensional with ${Cout} elements, but got bias of size ${shapeStr(b.shape)} instead`);
  }
  const [sh, sw] = pair(o.stride ?? 1), [dh, dw] = pair(o.dilation ?? 1);
  let ph: number, pw: number, oh: number, ow: number;
  if (o.padding === 'same') {
    if (sh !== 1 || sw !== 1) throw new Error("padding='same' is not supported for strided convolutions");
    // PyTorch puts the odd extra padding on the right/bottom: reading past the end gives 0 anyway
    [ph, pw] = [Math.floor((dh * (kh - 1)) / 2), Math.floor((dw * (kw - 1)) / 2)];
    [oh, ow] = [H, W];
  } else {
    [ph, pw] = o.padding === 'valid' ? [0, 0] : pair(o.padding ?? 0);
    const [eh, ew] = [dh * (kh - 1) + 1, dw * (kw - 1) + 1];
    if (H + 2 * ph < eh || W + 2 * pw < ew) {
      const shown = dims === 1 ? `(${W + 2 * pw}). Kernel size: (${ew})` : `(${H + 2 * ph} x ${W + 2 * pw}). Kernel size: (${eh} x ${ew})`;
      throw new Error(`Calculated padded input size per channel: ${shown}. Kernel size can't be greater than actual input size`);
    }
    [oh, ow] = [outSize(H, kh, sh, ph, dh), outSize(W, kw, sw, pw, dw)];
  }
  return composite(() => {
    const cols = im2col(x, { C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow }); // [C*kh*kw, N*L]
    const Kg = Cg * kh * kw, L = oh * ow;
    let out = groups === 1 // [Cout, N*L]
      ? matmul(w.reshape(Cout, Kg), cols)
      : matmul(w.reshape(groups, Cout / groups, Kg), cols.reshape(groups, Kg, N * L)).reshape(Cout, N * L);
    if (b) out = out.add(b.reshape(Cout, 1));
    return out.reshape(Cout, N, oh, ow).transpose(0, 1).contiguous();
  });
}

/** PyTorch's checks of a convolution's parameters, in its order. */
function checkConvParams(o: ConvOptions, groups: number): void {
  const [sh, sw] = pair(o.stride ?? 1), [dh, dw] = pair(o.dilation ?? 1);
  if (typeof o.padding !== 'string' && pair(o.padding ?? 0).some((p) => p < 0)) throw new Error('negative padding is not supported');
  if (sh <= 0 || sw <= 0) throw new Error('non-positive stride is not supported');
  if (dh <= 0 || dw <= 0) throw new Error(`dilation should be greater than zero, but got [${dh}, ${dw}]`);
  if (groups <= 0) throw new Error('non-positive groups is not supported');
}

type IntArg = number | number[];
type ConvCall = (input: Tensor, weight: Tensor, bias?: Tensor | null | ConvOptions, stride?: IntArg | ConvOptions,
  padding?: IntArg | 'valid' | 'same' | ConvOptions, dilation?: IntArg | ConvOptions, groups?: number | ConvOptions, options?: ConvOptions) => Tensor;

/** F.conv2d(input [N, C, H, W], weight [Cout, C/groups, kh, kw], bias?, stride, padding, dilation, groups). */
export const conv2d = op<ConvCall>(
  'conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2]|str padding=0, int[2] dilation=1, int groups=1) -> Tensor',
  (input: Tensor, weight: Tensor, bias: Tensor | null, stride: [number, number], padding: [number, number] | 'valid' | 'same',
    dilation: [number, number], groups: number) => conv(input, weight, bias, { stride, padding, dilation, groups }, 'conv2d', 2));

/** F.conv1d(input [N, C, L], weight [Cout, C/groups, k], bias?, stride, padding, dilation, groups): conv2d over a height of 1. */
export const conv1d = op<ConvCall>(
  'conv1d(Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1]|str padding=0, int[1] dilation=1, int groups=1) -> Tensor',
  (input: Tensor, weight: Tensor, bias: Tensor | null, stride: number[], padding: number[] | 'valid' | 'same', dilation: number[], groups: number) => {
    if (input.dim() !== 2 && input.dim() !== 3) {
      throw new Error(`Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${shapeStr(input.shape)}`);
    }
    const o: ConvOptions = { groups, stride: [1, stride[0]], dilation: [1, dilation[0]], padding: typeof padding === 'string' ? padding : [0, padding[0]] };
    return composite(() => conv(input.unsqueeze(-2), weight.unsqueeze(2), bias, o, 'conv1d', 1).squeeze(-2));
  });

type UnfoldArg = number | number[];
/** F.unfold(input [N, C, H, W], kernel_size, dilation=1, padding=0, stride=1) -> [N, C*kh*kw, L]: im2col. */
export const unfold = pyFunction<(...args: CallArgs<[input: Tensor, kernel_size: UnfoldArg, dilation: UnfoldArg, padding: UnfoldArg, stride: UnfoldArg],
  { input?: Tensor; kernel_size?: UnfoldArg; dilation?: UnfoldArg; padding?: UnfoldArg; stride?: UnfoldArg }>) => Tensor>(
  'unfold(Tensor input, int[2] kernel_size, int[2] dilation=1, int[2] padding=0, int[2] stride=1) -> Tensor',
  (input: Tensor, kernel_size: UnfoldArg, dilation: UnfoldArg = 1, padding: UnfoldArg = 0, stride: UnfoldArg = 1) => {
    // im2col's checks, in its order and words
    const [kh, kw] = pair(kernel_size), [dh, dw] = pair(dilation), [ph, pw] = pair(padding), [sh, sw] = pair(stride);
    if (kh <= 0 || kw <= 0) throw new Error(`kernel size should be greater than zero, but got kernel_height: ${kh} kernel_width: ${kw}`);
    if (dh <= 0 || dw <= 0) throw new Error(`dilation should be greater than zero, but got dilation_height: ${dh} dilation_width: ${dw}`);
    if (ph < 0 || pw < 0) throw new Error(`padding should be non-negative, but got pad_height: ${ph} pad_width: ${pw}`);
    if (sh <= 0 || sw <= 0) throw new Error(`stride should be greater than zero, but got stride_height: ${sh} stride_width: ${sw}`);
    if (input.dim() !== 4) throw new Error(`Input Error: Only 4D input Tensors are supported (got ${input.dim()}D)`);
    const [N, C, H, W] = input.shape;
    // C++'s integer division, which truncates
    const oh = Math.trunc((H + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, ow = Math.trunc((W + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
    if (oh < 1 || ow < 1) {
      throw new Error(`Given input with spatial size (${H}, ${W}), kernel_size=(${kh}, ${kw}), dilation=(${dh}, ${dw}), ` +
        `padding=(${ph}, ${pw}), calculated shape of the array of sliding blocks as (${oh}, ${ow}), but its components must be at least one.`);
    }
    const cols = im2col(input, { C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow });
    return cols.reshape(C * kh * kw, N, oh * ow).transpose(0, 1); // PyTorch's [N, C*kh*kw, L]
  }, plainArgs('TPPPP', 2));

export interface PoolOptions {
  stride?: Pair | number[] | null;
  padding?: Pair | number[];
  dilation?: Pair | number[];
  ceil_mode?: boolean;
}

function poolGeometry(x: Tensor, kernel: Pair, o: PoolOptions, name: string): Geometry {
  if (x.dim() !== 4) throw new Error(`${name}: non-empty 3D or 4D (batch mode) tensor expected for input, got input of size: ${shapeStr(x.shape)}`);
  const [, C, H, W] = x.shape;
  const [kh, kw] = pair(kernel), [sh, sw] = pair(o.stride ?? kernel), [ph, pw] = pair(o.padding ?? 0), [dh, dw] = pair(o.dilation ?? 1);
  // PyTorch's checks, in its order
  if (sh === 0 || sw === 0) throw new Error('stride should not be zero');
  if (kh <= 0 || kw <= 0) throw new Error(`kernel size should be greater than zero, but got kH: ${kh} kW: ${kw}`);
  if (sh < 0 || sw < 0) throw new Error(`stride should be greater than zero, but got dH: ${sh} dW: ${sw}`);
  if (ph < 0 || pw < 0) throw new Error(`pad must be non-negative, but got pad: ${Math.min(ph, pw)}`);
  if (dh <= 0 || dw <= 0) throw new Error(`dilation should be greater than zero, but got dilationH: ${dh} dilationW: ${dw}`);
  if (ph > Math.floor((dh * (kh - 1) + 1) / 2) || pw > Math.floor((dw * (kw - 1) + 1) / 2)) {
    throw new Error(`pad should be at most half of effective kernel size, but got pad=${ph}, kernel_size=${kh} and dilation=${dh}`);
  }
  const oh = outSize(H, kh, sh, ph, dh, o.ceil_mode), ow = outSize(W, kw, sw, pw, dw, o.ceil_mode);
  if (oh <= 0 || ow <= 0) {
    throw new Error(`Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${oh}x${ow}). Output size is too small`);
  }
  return { C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

type PoolCall<O, R> = (input: Tensor, kernel_size: IntArg | O, ...rest: (IntArg | boolean | null | O)[]) => R;
/** The keyword arguments of the pooling functions, as users may write them. */
interface PoolKeywords { kernel_size?: IntArg; stride?: IntArg | null; padding?: IntArg; dilation?: IntArg; ceil_mode?: boolean }
type MaxPoolOptions = PoolKeywords & { return_indices?: boolean };

/** F.max_pool2d(input, kernel_size, stride=kernel_size, padding=0, dilation=1, ceil_mode=False, return_indices=False). */
export const max_pool2d = op<PoolCall<MaxPoolOptions, Tensor | [Tensor, Tensor]>>(
  'max_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, int[2] dilation=1, bool ceil_mode=False, bool return_indices=False) -> Tensor',
  (input: Tensor, kernel_size: [number, number], stride: [number, number] | null, padding: [number, number], dilation: [number, number],
    ceil_mode: boolean, return_indices: boolean) => maxPool2d(input, kernel_size, { stride, padding, dilation, ceil_mode }, return_indices));

/** Max pooling of checked arguments (the modules and adaptive_max_pool2d call it directly). */
export function maxPool2d(input: Tensor, kernel_size: Pair, options: PoolOptions, return_indices = false): Tensor | [Tensor, Tensor] {
  checkFloat(input, 'max_pool2d');
  if (input.dim() === 3) { // unbatched [C, H, W]
    const r = maxPool2d(input.unsqueeze(0), kernel_size, options, return_indices);
    return Array.isArray(r) ? [r[0].squeeze(0), r[1].squeeze(0)] : r.squeeze(0);
  }
  const g = poolGeometry(input, kernel_size, options, 'max_pool2d');
  const [N, C] = input.shape;
  const src = dense(input);
  tick();
  const idx = empty([N * C, g.oh * g.ow], 'int64');
  const out = empty([N, C, g.oh, g.ow]);
  if (idx.numel() > 0) K.max_pool2d(ptr(src), ptr(out), ptr(idx), N * C, geoPtr(g));
  // the gradient goes back to each window's argmax
  record(out, 'MaxPool2DWithIndicesBackward0', [input], (grad) => [scatterToArgmax(grad, idx, input.shape)], [idx]);
  return return_indices ? [out, idx.view(N, C, g.oh, g.ow)] : out;
}

/** zeros(shape) with grad [N, C, oh, ow] added at the flat per-plane positions idx [N*C, oh*ow]. */
function scatterToArgmax(grad: Tensor, idx: Tensor, shape: number[]): Tensor {
  const [N, C, H, W] = shape;
  const src = dense(grad);
  const out = zeros(N, C, H, W);
  tick();
  if (src.numel() > 0) K.scatter_add(ptr(out), ptr(idx), ptr(src), N * C, H * W, 1, idx.shape[1]);
  // its adjoint picks the same positions again (double backward)
  return record(out, 'MaxPool2DWithIndicesBackwardBackward0', [grad], (gg) =>
    [gather(gg.reshape(N * C, H * W), 1, idx).reshape(grad.shape)], [idx]);
}

type AvgPoolOptions = Omit<PoolKeywords, 'dilation'> & { count_include_pad?: boolean; divisor_override?: number | null };

export const avg_pool2d = op<PoolCall<AvgPoolOptions, Tensor>>(
  'avg_pool2d(Tensor input, int[2] kernel_size, int[2]? stride=None, int[2] padding=0, bool ceil_mode=False, bool count_include_pad=True, int? divisor_override=None) -> Tensor',
  (input: Tensor, kernel_size: [number, number], stride: [number, number] | null, padding: [number, number], ceil_mode: boolean,
    count_include_pad: boolean, divisor_override: number | null) =>
    avgPool2d(input, kernel_size, { stride, padding, ceil_mode, count_include_pad, divisor_override }));

/** Average pooling of checked arguments. */
export function avgPool2d(input: Tensor, kernel_size: Pair,
  options: PoolOptions & { count_include_pad?: boolean; divisor_override?: number | null } = {}): Tensor {
  checkFloat(input, 'avg_pool2d');
  if (options.divisor_override === 0) throw new Error('divisor must be not zero');
  if (input.dim() === 3) return avgPool2d(input.unsqueeze(0), kernel_size, options).squeeze(0); // unbatched [C, H, W]
  const g = poolGeometry(input, kernel_size, { ...options, dilation: 1 }, 'avg_pool2d');
  const [N, C] = input.shape;
  // PyTorch's divisor per window: the window clipped to the padded input, or to the input itself
  const divisor = new Float32Array(g.oh * g.ow);
  for (let i = 0; i < g.oh; i++) {
    for (let j = 0; j < g.ow; j++) {
      let y0 = i * g.sh - g.ph, x0 = j * g.sw - g.pw;
      let y1 = Math.min(y0 + g.kh, g.H + g.ph), x1 = Math.min(x0 + g.kw, g.W + g.pw);
      const padded = (y1 - y0) * (x1 - x0);
      y0 = Math.max(y0, 0); x0 = Math.max(x0, 0); y1 = Math.min(y1, g.H); x1 = Math.min(x1, g.W);
      divisor[i * g.ow + j] = options.divisor_override ?? ((options.count_include_pad ?? true) ? padded : (y1 - y0) * (x1 - x0));
    }
  }
  return composite(() => {
    const cols = im2col(input.reshape(N * C, 1, g.H, g.W), { ...g, C: 1 }); // [kh*kw, N*C*L]
    return cols.sum(0).reshape(N * C, g.oh * g.ow).div(tensor(divisor)).reshape(N, C, g.oh, g.ow);
  });
}

function adaptiveSize(input: Tensor, output_size: Pair | [number | null, number | null], name: string): [number, number] {
  if (input.dim() !== 4 && input.dim() !== 3) throw new Error(`${name}(): Expected 3D or 4D tensor, but got ${shapeStr(input.shape)}`);
  const [H, W] = input.shape.slice(-2);
  const [a, b] = Array.isArray(output_size) ? output_size : [output_size, output_size];
  return [a ?? H, b ?? W];
}

/** Adaptive average pooling with PyTorch's windows; linear, so its adjoint records it back. */
function adaptiveAvg(x: Tensor, oh: number, ow: number): Tensor {
  const [N, C, H, W] = x.shape;
  const src = dense(x);
  tick();
  const out = empty([N, C, oh, ow]);
  if (out.numel() > 0) K.adaptive_avg_pool2d(ptr(src), ptr(out), N * C, H, W, oh, ow, 0);
  return record(out, 'AdaptiveAvgPool2DBackward0', [x], (g) => [adaptiveAvgAdjoint(g, H, W)]);
}
function adaptiveAvgAdjoint(g: Tensor, H: number, W: number): Tensor {
  const [N, C, oh, ow] = g.shape;
  const src = dense(g);
  const out = zeros(N, C, H, W);
  tick();
  if (src.numel() > 0) K.adaptive_avg_pool2d(ptr(out), ptr(src), N * C, H, W, oh, ow, 1);
  return record(out, 'AdaptiveAvgPool2DBackwardBackward0', [g], (gg) => [adaptiveAvg(gg, oh, ow)]);
}

export const adaptive_avg_pool2d = op<(input: Tensor, output_size: IntArg | { output_size: IntArg }) => Tensor>(
  'adaptive_avg_pool2d(Tensor input, int[2] output_size) -> Tensor', adaptiveAvgPool2d);

function adaptiveAvgPool2d(input: Tensor, output_size: Pair | [number | null, number | null]): Tensor {
  checkFloat(input, 'adaptive_avg_pool2d');
  const [oh, ow] = adaptiveSize(input, output_size, 'adaptive_avg_pool2d');
  if (input.dim() === 3) return adaptiveAvgPool2d(input.unsqueeze(0), [oh, ow]).squeeze(0);
  return adaptiveAvg(input, oh, ow);
}

export const adaptive_max_pool2d = op<(input: Tensor, output_size: IntArg | { output_size?: IntArg; return_indices?: boolean },
  options?: { return_indices?: boolean }) => Tensor | [Tensor, Tensor]>(
  'adaptive_max_pool2d(Tensor input, int[2] output_size, bool return_indices=False) -> Tensor', adaptiveMaxPool2d);

function adaptiveMaxPool2d(input: Tensor, output_size: Pair, return_indices = false): Tensor | [Tensor, Tensor] {
  checkFloat(input, 'adaptive_max_pool2d');
  const [oh, ow] = adaptiveSize(input, output_size, 'adaptive_max_pool2d');
  if (input.dim() === 3) {
    const r = adaptiveMaxPool2d(input.unsqueeze(0), [oh, ow], return_indices);
    return Array.isArray(r) ? [r[0].squeeze(0), r[1].squeeze(0)] : r.squeeze(0);
  }
  const [H, W] = input.shape.slice(-2);
  if (H % oh === 0 && W % ow === 0) return maxPool2d(input, [H / oh, W / ow], {}, return_indices);
  const [N, C] = input.shape;
  // each window of PyTorch's adaptive grid: its max, and where in the plane (H*W) that max is
  const indices = new Int32Array(N * C * oh * ow);
  const values = composite(() => {
    const rows: Tensor[] = [];
    for (let i = 0; i < oh; i++) {
      const y0 = Math.floor((i * H) / oh), y1 = Math.ceil(((i + 1) * H) / oh);
      const cells: Tensor[] = [];
      for (let j = 0; j < ow; j++) {
        const x0 = Math.floor((j * W) / ow), x1 = Math.ceil(((j + 1) * W) / ow);
        const window = input.narrow(2, y0, y1 - y0).narrow(3, x0, x1 - x0);
        cells.push(window.amax([2, 3]));
        if (return_indices) {
          const at = window.reshape(N, C, -1).argmax(2).tolist() as number[][];
          const w = x1 - x0;
          at.forEach((row, n) => row.forEach((k, c) => {
            indices[((n * C + c) * oh + i) * ow + j] = (y0 + Math.floor(k / w)) * W + x0 + (k % w);
          }));
        }
      }
      rows.push(stack(cells, -1));
    }
    return stack(rows, -2);
  });
  return return_indices ? [values, tensor(indices, { dtype: 'int64' }).reshape(N, C, oh, ow)] : values;
}
