// Ops that rearrange or repeat elements: repeat, tile, repeat_interleave,
// roll, tril/triu, diag, diagonal, trace, meshgrid, ravel. Each is composed of
// views, cat, where and index_select, so autograd needs nothing new.
import { op } from '../signature.js';
import { Tensor } from '../tensor.js';
import { isIntegral } from '../dtype.js';
import { normalizeDim, shapeStr } from './core.js';
import { reshape, expand, cat, narrow, flatten } from './shape.js';
import { arange, tensor, zeros } from './creation.js';
import { index_select, index_put } from './indexing.js';
import { where } from './elementwise.js';
import { sum } from './reduce.js';

/** Tensor.repeat(*repeats): x tiled repeats[i] times along each dim (leading repeats add dims). */
export const repeat = op<(input: Tensor, ...repeats: (number | number[])[]) => Tensor>('repeat(Tensor input, int... repeats) -> Tensor', repeatImpl);
function repeatImpl(x: Tensor, repeats: number[]): Tensor {
  if (repeats.length < x.dim()) throw new Error('Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  const shape = [...new Array<number>(repeats.length - x.dim()).fill(1), ...x.shape];
  const target = shape.map((s, i) => s * repeats[i]);
  const bad = target.findIndex((s) => s < 0);
  if (bad >= 0) throw new Error(`Trying to create tensor with negative dimension ${target[bad]}: ${shapeStr(target)}`);
  // [1, s0, 1, s1, ...] expanded to [r0, s0, r1, s1, ...], then merged pairwise
  const interleaved = shape.flatMap((s) => [1, s]);
  const expanded = expand(reshape(x, interleaved), shape.flatMap((s, i) => [repeats[i], s]));
  return reshape(expanded, target);
}

/** torch.tile(input, dims): repeat, with dims padded by leading ones to input's rank. */
export const tile = op<(input: Tensor, dims: number[] | { dims: number[] }) => Tensor>('tile(Tensor input, int[] dims) -> Tensor', (x: Tensor, dims: number[]) =>
  repeatImpl(x, [...new Array<number>(Math.max(0, x.dim() - dims.length)).fill(1), ...dims]));

type RepeatInterleaveCall = (input: Tensor, repeats?: number | Tensor | { repeats?: number | Tensor; dim?: number | null; output_size?: number | null },
  dim?: number | null | { output_size?: number | null }, options?: { output_size?: number | null }) => Tensor;
/**
 * torch.repeat_interleave(input, repeats, dim=None, *, output_size=None): each element (or slice along dim)
 * repeated repeats times (an int, or a tensor of one count each); with no dim, over the flattened input.
 * repeat_interleave(repeats) alone gives the indices: repeat_interleave(arange(n), repeats).
 */
export const repeat_interleave = op<RepeatInterleaveCall>(
  'repeat_interleave(Tensor input, Tensor|int? repeats=None, int? dim=None, *, int? output_size=None) -> Tensor',
  (x: Tensor, repeats: number | Tensor | null, dim: number | null, outputSize: number | null) => {
    if (repeats === null) {
      if (!isIntegral(x.dtype) || x.dim() > 1) throw new Error('repeat_interleave only accept 1D vector as repeat');
      return repeatInterleave(arange(x.numel(), { dtype: 'int64' }), x.reshape(-1), 0, outputSize);
    }
    const input = dim === null ? x.reshape(-1) : x;
    return repeatInterleave(input, repeats, dim === null ? 0 : normalizeDim(dim, x.dim()), outputSize);
  });
function repeatInterleave(x: Tensor, repeats: number | Tensor, d: number, outputSize: number | null): Tensor {
  const size = x.dim() === 0 ? 1 : x.shape[d];
  let counts: number[];
  if (repeats instanceof Tensor) {
    if (repeats.dim() > 1) throw new Error('repeat_interleave only accept 1D vector as repeat');
    if (!isIntegral(repeats.dtype)) throw new Error('repeats has to be Long or Int tensor');
    counts = Array.from(repeats.reshape(-1).dataSync());
    if (counts.length === 1) counts = new Array<number>(size).fill(counts[0]);
    if (counts.length !== size) {
      throw new Error(`repeats must have the same size as input along dim, but got repeats.size(0) = ${counts.length} and input.size(${d}) = ${size}`);
    }
  } else counts = new Array<number>(size).fill(repeats);
  if (counts.some((c) => c < 0)) throw new Error('Repeats must be non-negative');
  const total = counts.reduce((a, b) => a + b, 0);
  if (outputSize !== null && outputSize !== total) throw new Error('allocated size does not match required size');
  const idx = new Int32Array(total);
  let k = 0;
  counts.forEach((c, i) => { idx.fill(i, k, k + c); k += c; });
  return index_select(x.dim() === 0 ? x.reshape(1) : x, d, tensor(idx, { dtype: 'int64' }));
}

type RollCall = (input: Tensor, shifts: number | number[] | { shifts: number | number[]; dims?: number | number[] }, dims?: number | number[]) => Tensor;
/** torch.roll(input, shifts, dims=None): elements shifted cyclically along dims (over the flattened input without dims). */
export const roll = op<RollCall>('roll(Tensor input, int|int[] shifts, int|int[] dims=[]) -> Tensor', (x: Tensor, shiftArg: number | number[], dimArg: number | number[]) => {
  const shifts = Array.isArray(shiftArg) ? shiftArg : [shiftArg], dims = Array.isArray(dimArg) ? dimArg : [dimArg];
  if (dims.length === 0) {
    if (shifts.length !== 1) throw new Error(`shifts and dimensions must align. shifts: ${shifts.length}, dims:0`);
    return reshape(rollDim(flatten(x), shifts[0], 0), x.shape);
  }
  if (shifts.length !== dims.length) throw new Error(`shifts and dimensions must align. shifts: ${shifts.length}, dims:${dims.length}`);
  let y = x;
  dims.forEach((dim, i) => { y = rollDim(y, shifts[i], normalizeDim(dim, x.dim())); });
  return y;
});
function rollDim(x: Tensor, shift: number, d: number): Tensor {
  const n = x.shape[d];
  const s = n === 0 ? 0 : ((shift % n) + n) % n;
  if (s === 0) return x.clone();
  return cat([narrow(x, d, n - s, s), narrow(x, d, 0, n - s)], d);
}

type TriCall = (input: Tensor, diagonal?: number | { diagonal?: number }) => Tensor;
/** tril/triu: the elements on and below (above) the k-th diagonal of the last two dims; the rest zero. */
function triangle(name: string, lower: boolean): TriCall {
  return op<TriCall>(`${name}(Tensor input, int diagonal=0) -> Tensor`, (x: Tensor, k: number) => {
    if (x.dim() < 2) throw new Error(`${name}: input tensor must have at least 2 dimensions`);
    const [r, c] = x.shape.slice(-2);
    const offset = arange(c, { dtype: 'int64' }).unsqueeze(0).sub(arange(r, { dtype: 'int64' }).unsqueeze(1)); // j - i
    const keep = lower ? offset.le(k) : offset.ge(k);
    return where(keep, x, tensor(0, { dtype: x.dtype }));
  });
}
export const tril = triangle('tril', true);
export const triu = triangle('triu', false);

/** torch.diagonal(input, offset=0, dim1=0, dim2=1): the offset-th diagonal of the (dim1, dim2) planes, as the last dim. */
export const diagonal = op<(input: Tensor, offset?: number | { offset?: number; dim1?: number; dim2?: number }, dim1?: number, dim2?: number) => Tensor>(
  'diagonal(Tensor input, int offset=0, int dim1=0, int dim2=1) -> Tensor', (x: Tensor, offset: number, dim1: number, dim2: number) => {
    const d1 = normalizeDim(dim1, x.dim()), d2 = normalizeDim(dim2, x.dim());
    if (d1 === d2) throw new Error(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
    const rest = x.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
    const moved = x.permute([...rest, d1, d2]);
    const [r, c] = [x.shape[d1], x.shape[d2]];
    const len = Math.max(0, offset >= 0 ? Math.min(r, c - offset) : Math.min(r + offset, c));
    const i0 = offset >= 0 ? 0 : -offset, j0 = offset >= 0 ? offset : 0;
    const flatIdx = tensor(Int32Array.from({ length: len }, (_, t) => (i0 + t) * c + (j0 + t)), { dtype: 'int64' });
    const planes = reshape(moved, [...rest.map((i) => x.shape[i]), r * c]);
    return index_select(planes, planes.dim() - 1, flatIdx);
  });

/** torch.diag(input, diagonal=0): a vector's diagonal matrix, or a matrix's diagonal vector. */
export const diag = op<(input: Tensor, diagonal?: number | { diagonal?: number }) => Tensor>('diag(Tensor input, int diagonal=0) -> Tensor', (x: Tensor, k: number) => {
  if (x.dim() === 2) return diagonal(x, k);
  if (x.dim() !== 1) throw new Error(`diag(): Supports 1D or 2D tensors. Got ${x.dim()}D`);
  const n = x.shape[0], m = n + Math.abs(k);
  const rows = arange(n, { dtype: 'int64' }).add(k < 0 ? -k : 0), cols = arange(n, { dtype: 'int64' }).add(k > 0 ? k : 0);
  return index_put(zeros([m, m], { dtype: x.dtype }), [rows, cols], x);
});

/** torch.trace(input): the sum of a matrix's diagonal. */
export const trace = op<(input: Tensor) => Tensor>('trace(Tensor input) -> Tensor', (x: Tensor) => {
  if (x.dim() !== 2) throw new Error(`trace: expected a matrix, but got tensor with dim ${x.dim()}`);
  return sum(diagonal(x, 0, 0, 1));
});

/** torch.meshgrid(*tensors, indexing='ij'): coordinate grids, one a tensor, each expanded over the others' lengths. */
export const meshgrid = op<(...args: (Tensor | Tensor[] | { indexing?: 'ij' | 'xy' | null })[]) => Tensor[]>(
  'meshgrid(Any... tensors, *, str? indexing=None) -> Tensor[]', (tensors: unknown[], indexing: string | null) =>
    meshgridImpl((tensors.length === 1 && Array.isArray(tensors[0]) ? tensors[0] : tensors) as Tensor[], indexing ?? 'ij'));
function meshgridImpl(tensors: Tensor[], indexing: string): Tensor[] {
  if (indexing !== 'ij' && indexing !== 'xy') throw new Error(`torch.meshgrid: indexing must be one of "xy" or "ij", but received: ${indexing}`);
  if (tensors.length === 0) throw new Error('meshgrid expects a non-empty TensorList');
  for (const t of tensors) {
    if (!(t instanceof Tensor)) throw new TypeError('meshgrid(): expected Tensor as element of the tensor list');
    if (t.dim() > 1) throw new Error(`torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: ${t.toString()}`);
  }
  const swap = indexing === 'xy' && tensors.length >= 2;
  const ordered = swap ? [tensors[1], tensors[0], ...tensors.slice(2)] : tensors;
  const shape = ordered.map((t) => t.numel());
  const grids = ordered.map((t, i) => expand(reshape(t, shape.map((s, j) => (i === j ? s : 1))), shape));
  return swap ? [grids[1], grids[0], ...grids.slice(2)] : grids;
}

/** torch.ravel(input): the elements as one contiguous dim (a view when input is contiguous). */
export const ravel = op<(input: Tensor) => Tensor>('ravel(Tensor input) -> Tensor', (x: Tensor) => reshape(x, [-1]));
