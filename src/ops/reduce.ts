// Reductions along dims. Every kernel call reduces the middle axis of a
// contiguous [outer, len, inner] block; several dims reduce one run at a time.
import { signature, bind, overloads, overloadedOp, hotOp, op } from '../signature.js';
import { Tensor, numelOf, type Shape } from '../tensor.js';
import { scalarTypeName, parseDType, isIntegral, type DType } from '../dtype.js';
import { record } from '../autograd/engine.js';
import { K, codes, tick, empty, ptr, dense, asFloat, fromFloat, toDtypeRaw, fillInteger, normalizeDim, dimArgs, checkFloat, shapeStr, composite, contiguousCopy } from './core.js';
import { reshape, expand, cat } from './shape.js';
import { cumprod, flip } from './scan.js';
import { eq, div, mul, sub, exp } from './elementwise.js';
import { zeros, full } from './creation.js';

type DimArg = number | number[] | { dim?: number | number[] | null; keepdim?: boolean; dtype?: DType } | null | undefined;
/** keepdim, or the keyword arguments after a positional dim */
type KeepArg = boolean | { keepdim?: boolean; dtype?: DType };

/** Sorted, unique, normalized dims (all dims for null). */
function reductionDims(dim: number | number[] | null, ndim: number): number[] {
  if (dim === null || (Array.isArray(dim) && dim.length === 0)) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const list = (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, ndim));
  for (let i = 0; i < list.length; i++) {
    if (list.indexOf(list[i]) !== i) throw new Error(`dim ${list[i]} appears multiple times in the list of dims`);
  }
  return list.sort((a, b) => a - b);
}

function keptShape(shape: Shape, dims: number[]): number[] {
  return shape.map((s, i) => (dims.includes(i) ? 1 : s));
}

/**
 * Reduces the given dims with a kernel op; the result keeps them as size 1. `exactInt`: an integer (or bool)
 * input is reduced in int64, exactly, and the result is int64; otherwise in float32.
 */
function reduceKeep(x: Tensor, dims: number[], op: number, exactInt = false): Tensor {
  const int = exactInt && x.dtype !== 'float32';
  let cur = int ? dense(toDtypeRaw(x, 'int64')) : dense(asFloat(x));
  let shape = cur.shape.slice();
  // walk runs of adjacent dims from the last one so earlier indices stay valid
  let i = dims.length - 1;
  while (i >= 0) {
    let j = i;
    while (j > 0 && dims[j - 1] === dims[j] - 1) j--;
    const lo = dims[j], hi = dims[i];
    const outer = numelOf(shape.slice(0, lo));
    const len = numelOf(shape.slice(lo, hi + 1));
    const inner = numelOf(shape.slice(hi + 1));
    const next = shape.slice();
    for (let k = lo; k <= hi; k++) next[k] = 1;
    tick();
    const out = empty(next, int ? 'int64' : 'float32');
    if (int && len === 0) fillInteger('int64', ptr(out), out.numel(), op === codes.R_PROD ? 1 : 0);
    else if (len === 0) K.fill(ptr(out), out.numel(), op === codes.R_SUM ? 0 : op === codes.R_PROD ? 1 : NaN);
    else if (out.numel() > 0) (int ? K.reduce_i64 : K.reduce)(op, ptr(cur), ptr(out), outer, len, inner);
    cur = out;
    shape = next;
    i = j - 1;
  }
  return cur === x ? contiguousCopy(x) : cur; // nothing to reduce (a 0-d tensor): still a new tensor
}

function finishShape(y: Tensor, x: Tensor, dims: number[], keepdim: boolean): Tensor {
  if (keepdim) return y;
  return y.detach().view(x.shape.filter((_, i) => !dims.includes(i)));
}

const SUM = signature('sum(Tensor input, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor');
const MEAN = signature('mean(Tensor input, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor');
const AMAX = signature('amax(Tensor input, int[] dim=[], bool keepdim=False) -> Tensor');
const AMIN = signature('amin(Tensor input, int[] dim=[], bool keepdim=False) -> Tensor');
const LOGSUMEXP = signature('logsumexp(Tensor input, int[] dim, bool keepdim=False) -> Tensor');

export function sum(x: Tensor, dim?: DimArg, keepdim?: KeepArg, ...extra: unknown[]): Tensor {
  const a = dimArgs(SUM, x, dim, keepdim, extra);
  if (a.dtype !== null && a.dtype !== x.dtype) x = x.to(a.dtype);
  const dims = reductionDims(a.dim, x.shape.length);
  // integers (and bools) sum exactly into int64, as PyTorch's
  const y = finishShape(reduceKeep(x, dims, codes.R_SUM, true), x, dims, a.keepdim);
  return record(y, 'SumBackward1', [x], (g) => [expand(reshape(g, keptShape(x.shape, dims)), x.shape)]);
}

export function mean(x: Tensor, dim?: DimArg, keepdim?: KeepArg, ...extra: unknown[]): Tensor {
  const a = dimArgs(MEAN, x, dim, keepdim, extra);
  if (a.dtype !== null && a.dtype !== x.dtype) x = x.to(a.dtype);
  if (x.dtype !== 'float32') {
    throw new Error(`mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(x.dtype)}`);
  }
  const dims = reductionDims(a.dim, x.shape.length);
  const count = dims.reduce((n, d) => n * x.shape[d], 1);
  return composite(() => div(sum(x, dims, a.keepdim), count));
}

/** Gradient of amax/amin: spread evenly over the elements equal to the result. */
function extremumBackward(x: Tensor, y: Tensor, g: Tensor, dims: number[]): Tensor {
  const shape = keptShape(x.shape, dims);
  const mask = eq(x, reshape(y, shape));
  const count = sum(mask, dims, true);
  return div(mul(reshape(g, shape), mask), count);
}

function extremum(x: Tensor, dim: DimArg, keepdim: KeepArg | undefined, isMax: boolean, extra: unknown[]): Tensor {
  const a = dimArgs(isMax ? AMAX : AMIN, x, dim, keepdim, extra);
  const dims = reductionDims(a.dim, x.shape.length);
  for (const d of dims) {
    if (x.shape[d] === 0) {
      throw new Error(`${isMax ? 'amax' : 'amin'}(): Expected reduction dim ${d} to have non-zero size.`);
    }
  }
  const int = isIntegral(x.dtype); // integers exactly, in int64; bools as their 0/1 floats
  const y0 = reduceKeep(x, dims, isMax ? codes.R_MAX : codes.R_MIN, int);
  const y = int ? toDtypeRaw(finishShape(y0, x, dims, a.keepdim), x.dtype) : fromFloat(finishShape(y0, x, dims, a.keepdim), x.dtype);
  return record(y, isMax ? 'AmaxBackward0' : 'AminBackward0', [x], (g) => [extremumBackward(x, y, g, dims)], [x, y]);
}
export const amax = (x: Tensor, dim?: DimArg, keepdim?: KeepArg, ...extra: unknown[]): Tensor => extremum(x, dim, keepdim, true, extra);
export const amin = (x: Tensor, dim?: DimArg, keepdim?: KeepArg, ...extra: unknown[]): Tensor => extremum(x, dim, keepdim, false, extra);

/** (values, indices), as PyTorch's torch.return_types.max: destructurable and named. */
export interface ValuesIndices {
  0: Tensor;
  1: Tensor;
  length: 2;
  values: Tensor;
  indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

function argExtremum(x: Tensor, dim: number, keepdim: boolean, isMax: boolean, wantValues: boolean): [Tensor | null, Tensor] {
  const d = normalizeDim(dim, x.shape.length);
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const size = shape[d];
  if (size === 0) {
    throw new Error(`${isMax ? 'max' : 'min'}(): Expected reduction dim ${d} to have non-zero size.`);
  }
  const outer = numelOf(shape.slice(0, d)), inner = numelOf(shape.slice(d + 1));
  const kept = keptShape(x.shape, [d]);
  const finalShape = keepdim ? kept : x.shape.filter((_, i) => i !== d);
  if (isIntegral(x.dtype)) {
    // integers exactly: the extremum in int64, then the first position that equals it
    const xr = x.reshape(shape);
    const best = reduceKeep(xr, [d], isMax ? codes.R_MAX : codes.R_MIN, true);
    const hits = dense(eq(xr, best));
    tick();
    const idx = empty(kept, 'int64');
    if (idx.numel() > 0) K.argreduce(1, ptr(hits), 0, ptr(idx), outer, size, inner);
    return [wantValues ? toDtypeRaw(best, x.dtype).view(finalShape) : null, idx.view(finalShape)];
  }
  const src = dense(asFloat(x));
  tick();
  const vals = wantValues ? empty(kept, 'float32') : null;
  const idx = empty(kept, 'int64');
  if (idx.numel() > 0) K.argreduce(isMax ? 1 : 0, ptr(src), vals ? ptr(vals) : 0, ptr(idx), outer, size, inner);
  return [vals ? fromFloat(vals.view(finalShape), x.dtype) : null, idx.view(finalShape)];
}

function maxmin(x: Tensor, dim: number | Tensor | { dim: number; keepdim?: boolean } | undefined, keepdim: boolean | undefined, isMax: boolean): Tensor | ValuesIndices {
  if (dim === undefined) {
    if (x.numel() === 0) {
      throw new Error(`${isMax ? 'max' : 'min'}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    }
    return extremum(x, null, false, isMax, []);
  }
  if (dim instanceof Tensor) return isMax ? x.maximum(dim) : x.minimum(dim);
  const a = typeof dim === 'number' ? { dim, keepdim: keepdim ?? false } : { dim: dim.dim, keepdim: dim.keepdim ?? false };
  const [v, idx] = argExtremum(x, a.dim, a.keepdim, isMax, true);
  const d = normalizeDim(a.dim, x.shape.length);
  const values = record(v!, isMax ? 'MaxBackward0' : 'MinBackward0', [x], (g) => [indexBackward(g, idx, x.shape, d, a.keepdim)], [idx]);
  const pair = [values, idx];
  return Object.assign(pair, { values, indices: idx }) as unknown as ValuesIndices;
}

/** Scatters g into zeros of `shape` at the positions idx picked along dim. */
function indexBackward(g: Tensor, idx: Tensor, shape: Shape, d: number, keepdim: boolean): Tensor {
  const kept = keptShape(shape, [d]);
  const gk = dense(keepdim ? g : reshape(g, kept));
  const ik = dense(keepdim ? idx : idx.view(kept));
  const out = zeros(shape.slice());
  const full = shape.length === 0 ? [1] : shape;
  tick();
  K.scatter_add(ptr(out), ptr(ik), ptr(gk), numelOf(full.slice(0, d)), full[d], numelOf(full.slice(d + 1)), 1);
  return out;
}

const MAX = ['max(Tensor input) -> Tensor', 'max(Tensor input, Tensor other) -> Tensor',
  'max(Tensor input, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)'].map(signature);
const MIN = ['min(Tensor input) -> Tensor', 'min(Tensor input, Tensor other) -> Tensor',
  'min(Tensor input, int dim, bool keepdim=False) -> (Tensor values, Tensor indices)'].map(signature);
/** max/min's three forms: plain calls go straight through, the rest are bound to PyTorch's overloads. */
function maxminCall(args: unknown[], isMax: boolean): Tensor | ValuesIndices {
  const [x, dim, keepdim] = args as [Tensor, unknown, unknown];
  const plain = x instanceof Tensor && (args.length === 1 || (args.length === 2 && (dim instanceof Tensor || Number.isInteger(dim))) ||
    (args.length === 3 && Number.isInteger(dim) && typeof keepdim === 'boolean'));
  if (plain) return maxmin(x, dim as number | Tensor | undefined, keepdim as boolean | undefined, isMax);
  const [form, v] = overloads(isMax ? MAX : MIN, args);
  return maxmin(v[0] as Tensor, form === 0 ? undefined : v[1] as number | Tensor, form === 2 ? v[2] as boolean : undefined, isMax);
}
export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices;
export function max(...args: unknown[]): Tensor | ValuesIndices {
  return maxminCall(args, true);
}
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ValuesIndices;
export function min(...args: unknown[]): Tensor | ValuesIndices {
  return maxminCall(args, false);
}

function argOf(x: Tensor, dim: number | null, keepdim: boolean, isMax: boolean): Tensor {
  if (dim === null) {
    const [, idx] = argExtremum(reshape(x.detach(), [-1]), 0, false, isMax, false);
    return keepdim ? idx.view(x.shape.map(() => 1)) : idx;
  }
  return argExtremum(x, dim, keepdim, isMax, false)[1];
}
type ArgCall = (input: Tensor, dim?: number | null | { dim?: number | null; keepdim?: boolean }, keepdim?: boolean) => Tensor;
const plainArg = (a: unknown[]): boolean => a[0] instanceof Tensor && (a.length === 1 || (a.length === 2 && Number.isInteger(a[1])));
export const argmax = hotOp<ArgCall>('argmax(Tensor input, int? dim=None, bool keepdim=False) -> Tensor',
  (x: Tensor, dim: number | null = null, keepdim = false) => argOf(x, dim, keepdim, true), plainArg);
export const argmin = hotOp<ArgCall>('argmin(Tensor input, int? dim=None, bool keepdim=False) -> Tensor',
  (x: Tensor, dim: number | null = null, keepdim = false) => argOf(x, dim, keepdim, false), plainArg);

/** softmax-family kernel along one dim: returns the kernel output (keepdim for logsumexp). */
function softmaxKernel(x: Tensor, d: number, mode: number): Tensor {
  const src = dense(x);
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const outer = numelOf(shape.slice(0, d)), len = shape[d], inner = numelOf(shape.slice(d + 1));
  tick();
  const out = empty(mode === codes.S_LOGSUMEXP ? keptShape(x.shape, [d]) : x.shape.slice(), 'float32');
  if (out.numel() > 0) K.softmax(mode, ptr(src), ptr(out), outer, len, inner);
  return out;
}

const SOFTMAX = signature('softmax(Tensor input, int dim, ScalarType? dtype=None) -> Tensor');
const LOG_SOFTMAX = signature('log_softmax(Tensor input, int dim, ScalarType? dtype=None) -> Tensor');
type SoftmaxDim = number | { dim: number; dtype?: DType };

/** softmax's dim (and the input cast to dtype, if given): a plain int fast, anything else through the parser. */
function softmaxDim(x: Tensor, dim: SoftmaxDim | undefined, extra: unknown[], sig: typeof SOFTMAX): [Tensor, number] {
  let raw = dim as number;
  if (!(x instanceof Tensor && Number.isInteger(dim) && extra.length === 0)) {
    const [, d, dtype] = bind(sig, [x, dim, ...extra]) as [Tensor, number, unknown];
    raw = d;
    if (dtype !== null && dtype !== undefined) {
      const t = parseDType(dtype);
      if (t !== null && t !== x.dtype) x = x.to(t);
    }
  }
  checkFloat(x, sig === SOFTMAX ? 'softmax_lastdim_kernel_impl' : 'log_softmax_lastdim_kernel_impl');
  return [x, normalizeDim(raw, x.shape.length)];
}

export function softmax(input: Tensor, dim: SoftmaxDim, ...extra: unknown[]): Tensor {
  const [x, d] = softmaxDim(input, dim, extra, SOFTMAX);
  const y = softmaxKernel(x, d, codes.S_SOFTMAX);
  return record(y, 'SoftmaxBackward0', [x], (g) => [mul(y, sub(g, sum(mul(g, y), d, true)))], [y]);
}

export function log_softmax(input: Tensor, dim: SoftmaxDim, ...extra: unknown[]): Tensor {
  const [x, d] = softmaxDim(input, dim, extra, LOG_SOFTMAX);
  const y = softmaxKernel(x, d, codes.S_LOG_SOFTMAX);
  return record(y, 'LogSoftmaxBackward0', [x], (g) => [sub(g, mul(exp(y), sum(g, d, true)))], [y]);
}

export function logsumexp(x: Tensor, dim: DimArg, keepdim?: KeepArg, ...extra: unknown[]): Tensor {
  const a = dimArgs(LOGSUMEXP, x, dim, keepdim, extra);
  checkFloat(x, 'logsumexp');
  const dims = reductionDims(a.dim, x.shape.length);
  if (dims.length !== 1) {
    // several dims: composed, with the max subtracted for stability
    return composite(() => {
      const m = amax(x, dims, true).detach();
      const y = sum(exp(sub(x, m)), dims, true).log().add(m);
      return a.keepdim ? y : reshape(y, x.shape.filter((_, i) => !dims.includes(i)));
    });
  }
  const d = dims[0];
  const yk = softmaxKernel(x, d, codes.S_LOGSUMEXP);
  const y = a.keepdim ? yk : yk.view(x.shape.filter((_, i) => i !== d));
  return record(y, 'LogsumexpBackward0', [x], (g) => [mul(reshape(g, keptShape(x.shape, [d])), exp(sub(x, yk)))], [x, y]);
}

export interface VarOptions {
  dim?: number | number[] | null;
  unbiased?: boolean;
  correction?: number;
  keepdim?: boolean;
}

// PyTorch's three forms of var and std: by correction (keyword), by unbiased after dim, and unbiased alone
const varForms = (name: string) => [
  `${name}(Tensor input, int[]? dim=None, *, float? correction=None, bool keepdim=False) -> Tensor`,
  `${name}(Tensor input, int[]? dim, bool unbiased=True, bool keepdim=False) -> Tensor`,
  `${name}(Tensor input, bool unbiased=True) -> Tensor`,
];
type VarCall = (input: Tensor, dim?: number | number[] | boolean | VarOptions | null, options?: VarOptions | boolean, keepdim?: boolean) => Tensor;
/** The dims, correction and keepdim of a var/std call's form. */
function varValues(form: number, v: unknown[]): [number[] | null, number, boolean] {
  if (form === 0) return [v[1] as number[] | null, (v[2] as number | null) ?? 1, v[3] as boolean];
  if (form === 1) return [v[1] as number[] | null, v[2] ? 1 : 0, v[3] as boolean];
  return [null, v[1] ? 1 : 0, false];
}

/** torch.var: composed from mean and sum, so it needs no gradient code. */
export const var_ = overloadedOp<VarCall>(varForms('var'), (form, v) => variance(v[0] as Tensor, ...varValues(form, v)));
export const std = overloadedOp<VarCall>(varForms('std'), (form, v) => {
  const x = v[0] as Tensor;
  return composite(() => variance(x, ...varValues(form, v)).sqrt());
});
function variance(x: Tensor, dim: number[] | null, correction: number, keepdim: boolean): Tensor {
  checkFloat(x, 'var');
  const dims = reductionDims(dim, x.shape.length);
  const n = dims.reduce((p, d) => p * x.shape[d], 1);
  return composite(() => {
    const centered = sub(x, mean(x, dims, true));
    return div(sum(mul(centered, centered), dims, keepdim), Math.max(0, n - correction));
  });
}

/** var_mean and std_mean: (var or std, mean) of one call's arguments, in var's forms. */
const pairOf = (a: Tensor, b: Tensor): [Tensor, Tensor] => [a, b];
export const var_mean = overloadedOp<(...args: Parameters<VarCall>) => [Tensor, Tensor]>(varForms('var_mean'), (form, v) => {
  const x = v[0] as Tensor;
  const [dim, correction, keepdim] = varValues(form, v);
  return pairOf(variance(x, dim, correction, keepdim), mean(x, dim ?? [], keepdim));
});
export const std_mean = overloadedOp<(...args: Parameters<VarCall>) => [Tensor, Tensor]>(varForms('std_mean'), (form, v) => {
  const x = v[0] as Tensor;
  const [dim, correction, keepdim] = varValues(form, v);
  return pairOf(composite(() => variance(x, dim, correction, keepdim).sqrt()), mean(x, dim ?? [], keepdim));
});

type OneDimCall = (input: Tensor, dim?: number | { dim?: number | null; keepdim?: boolean; dtype?: DType | null } | null, keepdim?: boolean, options?: { dtype?: DType | null }) => Tensor;
/**
 * torch.prod(input, dim=None, keepdim=False, *, dtype=None): integers and bools exactly, in int64. The gradient is
 * the product of the others: y / x where x != 0, and at a zero the product of the rest of its row.
 */
export const prod = op<OneDimCall>('prod(Tensor input, int? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
  (input: Tensor, dim: number | null, keepdim: boolean, dtype: DType | null) => {
    const x = dtype !== null && dtype !== input.dtype ? input.to(dtype) : input;
    const dims = dim === null ? reductionDims(null, x.dim()) : [normalizeDim(dim, x.dim())];
    const yk = reduceKeep(x, dims, codes.R_PROD, true);
    const y = finishShape(yk, x, dims, dim === null ? false : keepdim);
    return record(y, 'ProdBackward0', [x], (g) => {
      const gk = reshape(g, keptShape(x.shape, dims));
      const flat = dims.length === x.dim() && x.dim() > 1 ? reshape(x, [-1]) : x;
      const d = flat === x ? (dims.length === 1 ? dims[0] : 0) : 0;
      // the product of the others, by exclusive cumulative products from both ends (exact where zeros are)
      const others = productOfOthers(flat, d).reshape(x.shape);
      return [mul(gk, others)];
    }, [x]);
  });

/** For each element, the product of the other elements along d: exclusive cumprod from the front times from the back. */
function productOfOthers(x: Tensor, d: number): Tensor {
  if (x.dim() === 0) return x.mul(0).add(1);
  const n = x.shape[d];
  const ones = x.narrow(d, 0, Math.min(1, n)).mul(0).add(1);
  const front = cat([ones, cumprod(x.narrow(d, 0, Math.max(n - 1, 0)), d)], d).narrow(d, 0, n);
  const back = flip(cat([ones, cumprod(flip(x, [d]).narrow(d, 0, Math.max(n - 1, 0)), d)], d).narrow(d, 0, n), [d]);
  return front.mul(back);
}

type BoolReduceCall = (input: Tensor, dim?: number | number[] | { dim?: number | number[] | null; keepdim?: boolean } | null, keepdim?: boolean) => Tensor;
/** torch.all / torch.any: whether every (some) element along dims is nonzero; a bool result. */
function truthReduce(name: string, isAll: boolean): BoolReduceCall {
  return op<BoolReduceCall>(`${name}(Tensor input, int[]? dim=None, bool keepdim=False) -> Tensor`, (x: Tensor, dim: number[] | null, keepdim: boolean) => {
    const dims = reductionDims(dim, x.dim());
    const nonzero = x.ne(0);
    // all: no zero in the run (the minimum of 0/1 values); any: some one (the maximum); empty runs give True / False
    const v = dims.some((d) => x.shape[d] === 0) ? full(keptShape(x.shape, dims), isAll ? 1 : 0)
      : reduceKeep(nonzero, dims, isAll ? codes.R_MIN : codes.R_MAX);
    return finishShape(v.ne(0), x, dims, keepdim);
  });
}
export const all = truthReduce('all', true);
export const any = truthReduce('any', false);

/** Sums a broadcast gradient back to `shape` (the adjoint of broadcasting). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  const lead = g.shape.length - shape.length;
  if (lead < 0) throw new Error(`cannot sum gradient of shape ${shapeStr(g.shape)} to ${shapeStr(shape)}`);
  const dims: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  const s = dims.length > 0 ? sum(g, dims, true) : g;
  return reshape(s, shape.slice());
}
