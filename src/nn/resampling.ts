// Padding, resizing and one-dimensional pooling: F.pad, F.interpolate
// (nn.Upsample), F.normalize, F.max_pool1d/avg_pool1d. Compositions of cat,
// index_select and the 2-d pooling kernels: no gradient code.
import { op } from '../signature.js';
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { shapeStr } from '../ops/core.js';
import { max_pool2d, avg_pool2d } from '../ops/conv.js';

const NON_CONSTANT = 'Supported combinations for non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n' +
  '  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)';

/** The source position along one dim of each padded position, for the non-constant modes. */
function sourceIndex(mode: string, n: number, before: number, after: number): Tensor {
  const idx = new Int32Array(n + before + after);
  for (let k = 0; k < idx.length; k++) {
    const i = k - before;
    idx[k] = mode === 'reflect' ? (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i)
      : mode === 'replicate' ? Math.min(Math.max(i, 0), n - 1)
        : ((i % n) + n) % n; // circular
  }
  return ops.tensor(idx, { dtype: 'int64' });
}

type PadCall = (input: Tensor, pad: number[] | { pad: number[]; mode?: string; value?: number | null }, mode?: string | { mode?: string; value?: number | null }, value?: number | null | { value?: number | null }) => Tensor;
/** F.pad(input, pad, mode='constant', value=None): pad = (left, right) of the last dim, then of the one before, ... */
export const pad = op<PadCall>("pad(Tensor input, int[] pad, str mode='constant', float? value=None) -> Tensor",
  (x: Tensor, padding: number[], mode: string, value: number | null) => {
    if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) throw new Error(`Unrecognised padding mode ${mode}`);
    if (padding.length % 2 !== 0) throw new Error('Padding length must be divisible by 2');
    if (padding.length / 2 > x.dim()) {
      throw new Error(`Padding length should be less than or equal to two times the input dimension but got padding length ${padding.length} and input of dimension ${x.dim()}`);
    }
    const pairs = padding.length / 2;
    if (mode !== 'constant') {
      if (value !== null && value !== 0) throw new Error(`Padding mode "${mode}" doesn't take in value argument`);
      if (pairs > 3 || !(x.dim() === pairs + 1 || x.dim() === pairs + 2)) {
        throw new Error(`Padding size ${padding.length} is not supported for ${x.dim()}D input tensor.\n${NON_CONSTANT}`);
      }
    }
    let y = x;
    for (let k = 0; k < pairs; k++) {
      const d = x.dim() - 1 - k, before = padding[2 * k], after = padding[2 * k + 1];
      const n = y.shape[d];
      if (mode === 'constant') {
        // negative padding crops
        if (before < 0) y = y.narrow(d, -before, y.shape[d] + before);
        if (after < 0) y = y.narrow(d, 0, y.shape[d] + after);
        const part = (len: number) => ops.full(y.shape.map((s, i) => (i === d ? len : s)), value ?? 0, { dtype: y.dtype });
        const pieces = [...(before > 0 ? [part(before)] : []), y, ...(after > 0 ? [part(after)] : [])];
        if (pieces.length > 1) y = ops.cat(pieces, d);
        continue;
      }
      if (mode === 'reflect' && (before >= n || after >= n)) {
        throw new Error(`Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (${before}, ${after}) at dimension ${d} of input ${shapeStr(x.shape)}`);
      }
      if (mode === 'circular' && (before > n || after > n)) throw new Error('Padding value causes wrapping around more than once.');
      if (before < 0 || after < 0) y = y.narrow(d, Math.max(0, -before), n - Math.max(0, -before) - Math.max(0, -after));
      y = ops.index_select(y, d, sourceIndex(mode, before < 0 || after < 0 ? y.shape[d] : n, Math.max(before, 0), Math.max(after, 0)));
    }
    return y === x ? x.clone() : y;
  });

const MODES = ['nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'];
type InterpolateOptions = { size?: number | number[] | null; scale_factor?: number | number[] | null; mode?: string; align_corners?: boolean | null; recompute_scale_factor?: boolean | null; antialias?: boolean };
type InterpolateCall = (input: Tensor, size?: number | number[] | null | InterpolateOptions, scale_factor?: number | number[] | null, mode?: string, align_corners?: boolean | null) => Tensor;
/**
 * F.interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None): nearest, nearest-exact,
 * linear (3-d), bilinear (4-d) and trilinear (5-d), computed one spatial dim at a time with PyTorch's source
 * positions; area as adaptive average pooling.
 */
export const interpolate = op<InterpolateCall>(
  "interpolate(Tensor input, int|int[]? size=None, float|float[]? scale_factor=None, str mode='nearest', bool? align_corners=None, bool? recompute_scale_factor=None, bool antialias=False) -> Tensor",
  (x: Tensor, size: number | number[] | null, scale: number | number[] | null, mode: string, alignCorners: boolean | null, recompute: boolean | null, antialias: boolean) => {
    const spatial = x.dim() - 2;
    if (!MODES.includes(mode) || spatial < 1 || spatial > 3) {
      throw new Error(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${x.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got ${mode})`);
    }
    const linear = mode === 'linear' || mode === 'bilinear' || mode === 'trilinear';
    if (alignCorners !== null && !linear && mode !== 'bicubic') {
      throw new Error('align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear');
    }
    const needs = { linear: 1, bilinear: 2, trilinear: 3 }[mode as 'linear'];
    if (needs !== undefined && needs !== spatial) throw new Error(`Got ${x.dim()}D input, but ${mode} mode needs ${needs + 2}D input`);
    if (mode === 'bicubic' || antialias) throw new Error(`wasmtorch: interpolate with mode='${mode}'${antialias ? ' and antialias' : ''} is not implemented`);
    if (size === null && scale === null) throw new Error('either size or scale_factor should be defined');
    if (size !== null && scale !== null) throw new Error('only one of size or scale_factor should be defined');
    const inSizes = x.shape.slice(2);
    const list = <T>(v: T | T[], what: string): T[] => {
      const l = Array.isArray(v) ? v : new Array<T>(spatial).fill(v);
      if (l.length !== spatial) {
        throw new Error(`Input and ${what} must have the same number of spatial dimensions, but got input with spatial dimensions of ${shapeStr(inSizes)} and output ${what} of ${shapeStr(l as number[])}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output ${what} in (o1, o2, ...,oK) format.`);
      }
      return l;
    };
    const scales = scale !== null ? list(scale, 'scale_factor') : null;
    const outSizes = size !== null ? list(size, 'size') : inSizes.map((s, i) => Math.floor(s * scales![i]));
    if (mode === 'area') return areaResize(x, outSizes);
    let y = x;
    outSizes.forEach((out, i) => {
      const d = 2 + i, n = inSizes[i];
      // PyTorch's source scale: in/out, or 1/scale_factor when it was given (and not recomputed)
      const ratio = scales !== null && !recompute ? 1 / scales[i] : n / out;
      y = linear ? linearAlong(y, d, n, out, alignCorners ?? false, ratio) : nearestAlong(y, d, n, out, ratio, mode === 'nearest-exact');
    });
    return y;
  });

function nearestAlong(x: Tensor, d: number, n: number, out: number, ratio: number, exact: boolean): Tensor {
  const idx = new Int32Array(out);
  const r = Math.fround(ratio); // PyTorch computes the source position in float32
  for (let k = 0; k < out; k++) idx[k] = Math.min(Math.floor(Math.fround((exact ? k + 0.5 : k) * r)), n - 1);
  return ops.index_select(x, d, ops.tensor(idx, { dtype: 'int64' }));
}

function linearAlong(x: Tensor, d: number, n: number, out: number, alignCorners: boolean, ratio: number): Tensor {
  const i0 = new Int32Array(out), i1 = new Int32Array(out), w = new Float32Array(out);
  const f = Math.fround; // in float32, as PyTorch's CPU kernel
  const scale = f(alignCorners ? (out > 1 ? (n - 1) / (out - 1) : 0) : ratio);
  for (let k = 0; k < out; k++) {
    const src = alignCorners ? f(k * scale) : Math.max(f(f(f(k + 0.5) * scale) - 0.5), 0);
    const lo = Math.min(Math.floor(src), n - 1);
    i0[k] = lo;
    i1[k] = Math.min(lo + 1, n - 1);
    w[k] = src - lo;
  }
  const shape = x.shape.map((_, i) => (i === d ? out : 1));
  const lam = ops.tensor(w).reshape(shape);
  const a = ops.index_select(x, d, ops.tensor(i0, { dtype: 'int64' })), b = ops.index_select(x, d, ops.tensor(i1, { dtype: 'int64' }));
  return a.mul(ops.rsub(lam, 1)).add(b.mul(lam));
}

function areaResize(x: Tensor, outSizes: number[]): Tensor {
  if (outSizes.length === 2) return ops.adaptive_avg_pool2d(x, outSizes);
  if (outSizes.length === 1) return ops.adaptive_avg_pool2d(x.unsqueeze(2), [1, outSizes[0]]).squeeze(2);
  throw new Error("wasmtorch: interpolate with mode='area' on 5-d input is not implemented");
}

/** F.normalize(input, p=2.0, dim=1, eps=1e-12): input / max(||input||_p along dim, eps). */
export const normalize = op<(input: Tensor, p?: number | { p?: number; dim?: number; eps?: number; out?: null }, dim?: number, eps?: number) => Tensor>(
  'normalize(Tensor input, float p=2.0, int dim=1, float eps=1e-12, Tensor? out=None) -> Tensor', (x: Tensor, p: number, dim: number, eps: number) => {
    const d = ops.normalizeDim(dim, x.dim());
    const n = ops.vector_norm(x, p, [d], true);
    return x.div(n.clamp(eps).expand_as(x));
  });

type Pool1dCall = (input: Tensor, kernel_size: number | number[] | Record<string, unknown>, ...rest: unknown[]) => Tensor | [Tensor, Tensor];
function checkPool1d(x: Tensor, name: string): void {
  if (x.dim() !== 2 && x.dim() !== 3) {
    throw new Error(`${name}: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:${shapeStr(x.shape)}`);
  }
}
/** F.max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False): max_pool2d over a height of 1. */
export const max_pool1d = op<Pool1dCall>(
  'max_pool1d(Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, int[1] dilation=1, bool ceil_mode=False, bool return_indices=False) -> Tensor',
  (x: Tensor, k: number[], stride: number[] | null, padding: number[], dilation: number[], ceilMode: boolean, returnIndices: boolean) => {
    checkPool1d(x, 'max_pool1d');
    const r = max_pool2d(x.unsqueeze(-2), [1, k[0]], [1, (stride ?? k)[0]], [0, padding[0]], [1, dilation[0]], ceilMode, returnIndices);
    return Array.isArray(r) ? [r[0].squeeze(-2), r[1].squeeze(-2)] as [Tensor, Tensor] : (r as Tensor).squeeze(-2);
  });
/** F.avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True). */
export const avg_pool1d = op<Pool1dCall>(
  'avg_pool1d(Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True) -> Tensor',
  (x: Tensor, k: number[], stride: number[] | null, padding: number[], ceilMode: boolean, countIncludePad: boolean) => {
    checkPool1d(x, 'avg_pool1d');
    return (avg_pool2d(x.unsqueeze(-2), [1, k[0]], [1, (stride ?? k)[0]], [0, padding[0]], ceilMode, countIncludePad) as Tensor).squeeze(-2);
  });
