// Ops that pick or place elements by position or value: nonzero/argwhere,
// masked_select, take, unique, bincount, and the scatter family. Positions are
// worked out in JS (they are data, not hot loops); the values move through
// index_put/index_select, so the gradients come with them.
import { op } from '../signature.js';
import { Tensor, numelOf } from '../tensor.js';
import { isIntegral, type DType } from '../dtype.js';
import { no_grad } from '../autograd/engine.js';
import { shapeStr, normalizeDim, broadcastShapes } from './core.js';
import { tensor, zeros } from './creation.js';
import { index_put, index_add, index_select, maskToIndices } from './indexing.js';
import { stack } from './shape.js';
import { getitem } from './subscript.js';

type NonzeroCall = (input: Tensor, options?: { as_tuple?: boolean }) => Tensor | Tensor[];
/** torch.nonzero(input, *, as_tuple=False): the positions of the nonzero elements, one row each (or one tensor a dim). */
export const nonzero = op<NonzeroCall>('nonzero(Tensor input, *, bool as_tuple=False) -> Tensor', (x: Tensor, asTuple: boolean) => {
  const mask = x.ne(0);
  if (x.dim() === 0) {
    const n = mask.item() ? 1 : 0;
    return asTuple ? [zeros([n], { dtype: 'int64' })] : zeros([n, 0], { dtype: 'int64' });
  }
  const cols = maskToIndices(mask);
  if (asTuple) return cols;
  return cols[0].numel() === 0 ? zeros([0, x.dim()], { dtype: 'int64' }) : stack(cols, 1);
});
/** torch.argwhere(input): nonzero's rows. */
export const argwhere = op<(input: Tensor) => Tensor>('argwhere(Tensor input) -> Tensor', (x: Tensor) => nonzero(x) as Tensor);

/** torch.masked_select(input, mask): the elements where the (broadcast) mask is True, as one dim. */
export const masked_select = op<(input: Tensor, mask: Tensor) => Tensor>('masked_select(Tensor input, Tensor mask) -> Tensor', (x: Tensor, mask: Tensor) => {
  if (mask.dtype !== 'bool') throw new Error('masked_select: expected BoolTensor for mask');
  const shape = broadcastShapes(x.shape, mask.shape);
  return getitem(x.expand(shape), [mask.expand(shape).contiguous()]);
});

/** torch.take(input, index): input's elements at flat positions, shaped as index. */
export const take = op<(input: Tensor, index: Tensor) => Tensor>('take(Tensor input, Tensor index) -> Tensor', (x: Tensor, index: Tensor) => {
  if (!isIntegral(index.dtype)) throw new Error('take(): Expected a long tensor for index, but got ' + index.dtype);
  const n = x.numel();
  const positions = Array.from(index.reshape(-1).dataSync(), (i) => {
    if (i < -n || i >= n) throw new RangeError(`out of range: tried to access index ${i} on a tensor of ${n} elements.`);
    return i < 0 ? i + n : i;
  });
  return index_select(x.reshape(-1), 0, tensor(Int32Array.from(positions), { dtype: 'int64' })).reshape(index.shape);
});

type UniqueCall = (input: Tensor, sorted?: boolean | { sorted?: boolean; return_inverse?: boolean; return_counts?: boolean; dim?: number | null },
  return_inverse?: boolean, return_counts?: boolean, dim?: number | null) => Tensor | Tensor[];
/** torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the distinct values, sorted. */
export const unique = op<UniqueCall>('unique(Tensor input, bool sorted=True, bool return_inverse=False, bool return_counts=False, int? dim=None) -> Tensor',
  (x: Tensor, _sorted: boolean, returnInverse: boolean, returnCounts: boolean, dim: number | null) => {
    if (dim !== null) return uniqueAlong(x, normalizeDim(dim, x.dim()), returnInverse, returnCounts);
    const values = Array.from(x.reshape(-1).dataSync());
    const distinct = [...new Set(values)].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
    const at = new Map(distinct.map((v, i) => [v, i]));
    const out = tensor(distinct, { dtype: x.dtype });
    const extra: Tensor[] = [];
    if (returnInverse) extra.push(tensor(Int32Array.from(values, (v) => at.get(v)!), { dtype: 'int64' }).reshape(x.shape));
    if (returnCounts) {
      const counts = new Int32Array(distinct.length);
      for (const v of values) counts[at.get(v)!]++;
      extra.push(tensor(counts, { dtype: 'int64' }));
    }
    return extra.length === 0 ? out : [out, ...extra];
  });
/** unique slices along dim, ordered lexicographically. */
function uniqueAlong(x: Tensor, d: number, returnInverse: boolean, returnCounts: boolean): Tensor | Tensor[] {
  const slices = x.permute([d, ...x.shape.map((_, i) => i).filter((i) => i !== d)]).reshape([x.shape[d], -1]);
  const rows = (slices.tolist() as number[][]).map((r, i) => ({ r, i }));
  const cmp = (a: number[], b: number[]) => { for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k]; return 0; };
  rows.sort((a, b) => cmp(a.r, b.r) || a.i - b.i);
  const keep: number[] = [], inverse = new Int32Array(rows.length), counts: number[] = [];
  rows.forEach((row, k) => {
    if (k === 0 || cmp(row.r, rows[k - 1].r) !== 0) { keep.push(row.i); counts.push(0); }
    inverse[row.i] = keep.length - 1;
    counts[counts.length - 1]++;
  });
  const out = index_select(x, d, tensor(Int32Array.from(keep), { dtype: 'int64' }));
  const extra: Tensor[] = [];
  if (returnInverse) extra.push(tensor(inverse, { dtype: 'int64' }));
  if (returnCounts) extra.push(tensor(Int32Array.from(counts), { dtype: 'int64' }));
  return extra.length === 0 ? out : [out, ...extra];
}

/** torch.bincount(input, weights=None, minlength=0): how often each value of a 1-d non-negative integer tensor occurs (or its summed weights). */
export const bincount = op<(input: Tensor, weights?: Tensor | null | { weights?: Tensor | null; minlength?: number }, minlength?: number) => Tensor>(
  'bincount(Tensor input, Tensor? weights=None, int minlength=0) -> Tensor', (x: Tensor, weights: Tensor | null, minlength: number) => {
    if (!isIntegral(x.dtype)) throw new Error(`"bincount_cpu" not implemented for '${x.dtype === 'bool' ? 'Bool' : 'Float'}'`);
    if (minlength < 0) throw new Error('minlength should be >= 0');
    if (x.dim() !== 1) throw new Error('bincount only supports 1-d non-negative integral inputs.');
    const values = x.dataSync();
    let max = -1;
    for (const v of values) {
      if (v < 0) throw new Error('bincount only supports 1-d non-negative integral inputs.');
      if (v > max) max = v;
    }
    if (weights !== null && (weights.dim() !== 1 || weights.shape[0] !== x.shape[0])) throw new Error('weights should be 1-d and have the same length as input');
    const bins = Math.max(max + 1, minlength);
    const w = weights ?? tensor(new Int32Array(values.length).fill(1), { dtype: 'int64' });
    return index_add(zeros([bins], { dtype: weights === null ? 'int64' : 'float32' }), 0, x, weights === null ? w : w.float());
  });

// ---- scatter -------------------------------------------------------------------------

/** The flat positions in `x` that scatter along d writes for each element of index, checked as PyTorch checks them. */
function scatterPositions(name: string, x: Tensor, d: number, index: Tensor, src: Tensor | null): Tensor {
  if (!isIntegral(index.dtype)) throw new Error(`${name}(): Expected dtype int32/int64 for index`);
  if (index.dim() !== x.dim() && !(index.dim() <= 1 && x.dim() <= 1)) throw new Error('Index tensor must have the same number of dimensions as self tensor');
  const ishape = index.dim() === 0 ? [1] : index.shape, xshape = x.dim() === 0 ? [1] : x.shape;
  for (let i = 0; i < ishape.length; i++) {
    const overSelf = i !== d && ishape[i] > xshape[i];
    const overSrc = src !== null && ishape[i] > (src.dim() === 0 ? [1] : src.shape)[i];
    if (overSelf || overSrc) {
      throw new Error(`Expected index ${shapeStr(index.shape)} to be no larger than self ${shapeStr(x.shape)} apart from dimension ${d}` +
        (src !== null ? ` and to be no larger size than src ${shapeStr(src.shape)}` : ''));
    }
  }
  const values = index.reshape(-1).dataSync();
  const n = values.length, size = xshape[d];
  const strides = xshape.map((_, i) => numelOf(xshape.slice(i + 1)));
  const flat = new Float64Array(n);
  const counter = new Array<number>(ishape.length).fill(0);
  for (let k = 0; k < n; k++) {
    const v = values[k];
    if (v < 0 || v >= size) throw new Error(`index ${v} is out of bounds for dimension ${d} with size ${size}`);
    let p = 0;
    for (let i = 0; i < ishape.length; i++) p += (i === d ? v : counter[i]) * strides[i];
    flat[k] = p;
    for (let i = ishape.length - 1; i >= 0; i--) {
      if (++counter[i] < ishape[i]) break;
      counter[i] = 0;
    }
  }
  return tensor(Array.from(flat), { dtype: 'int64' });
}

/** src's elements in index's region (src may be larger), flattened in index's order. */
function srcRegion(src: Tensor, index: Tensor): Tensor {
  let t = src.dim() === 0 ? src.reshape(1) : src;
  const ishape = index.dim() === 0 ? [1] : index.shape;
  ishape.forEach((s, i) => { if (t.shape[i] !== s) t = t.narrow(i, 0, s); });
  return t.reshape(-1);
}

type ScatterCall = (input: Tensor, dim: number, index: Tensor, src: Tensor | number | { src?: Tensor; value?: number; reduce?: string }, options?: { reduce?: string }) => Tensor;
/** torch.scatter(input, dim, index, src|value, *, reduce=None): input with input[..index[i][j]..] = src[i][j] along dim. */
export const scatter = op<ScatterCall>("scatter(Tensor input, int dim, Tensor index, Tensor|float src, *, str? reduce=None) -> Tensor",
  (x: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: string | null) => {
    const d = normalizeDim(dim, x.dim());
    const values = src instanceof Tensor ? src : null;
    const flat = scatterPositions('scatter', x, d, index, values);
    const v = values === null ? tensor(src as number, { dtype: x.dtype === 'float32' ? 'float32' : x.dtype }).expand([flat.numel()]) : srcRegion(values, index);
    if (reduce !== null && reduce !== 'add' && reduce !== 'multiply') throw new Error('reduce argument must be either add or multiply.');
    if (reduce === 'multiply') return scatterMultiply(x, flat, v);
    return index_put(x.reshape(-1), [flat], v, reduce === 'add').reshape(x.shape);
  });

function scatterMultiply(x: Tensor, flat: Tensor, v: Tensor): Tensor {
  if (x.requires_grad || v.requires_grad) throw new Error('wasmtorch: the gradient of scatter with reduce=\'multiply\' is not implemented');
  return no_grad(() => {
    const out = Float64Array.from(x.reshape(-1).dataSync()), pos = flat.dataSync(), vals = v.dataSync();
    for (let k = 0; k < pos.length; k++) out[pos[k]] *= vals[k];
    return tensor(Array.from(out), { dtype: x.dtype }).reshape(x.shape);
  });
}

/** torch.scatter_add(input, dim, index, src): input with src added in at index along dim (repeats accumulate). */
export const scatter_add = op<(input: Tensor, dim: number, index: Tensor, src: Tensor) => Tensor>('scatter_add(Tensor input, int dim, Tensor index, Tensor src) -> Tensor',
  (x: Tensor, dim: number, index: Tensor, src: Tensor) => {
    const d = normalizeDim(dim, x.dim());
    return index_put(x.reshape(-1), [scatterPositions('scatter_add', x, d, index, src)], srcRegion(src, index), true).reshape(x.shape);
  });

/**
 * torch.scatter_reduce(input, dim, index, src, reduce, *, include_self=True): reduce in 'sum', 'mean' (with
 * gradients), 'prod', 'amax', 'amin' (values only).
 */
export const scatter_reduce = op<(input: Tensor, dim: number, index: Tensor, src: Tensor, reduce: string, options?: { include_self?: boolean }) => Tensor>(
  'scatter_reduce(Tensor input, int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True) -> Tensor',
  (x: Tensor, dim: number, index: Tensor, src: Tensor, reduce: string, includeSelf: boolean) => {
    if (!['sum', 'prod', 'mean', 'amax', 'amin'].includes(reduce)) throw new Error(`reduce argument must be either sum, prod, mean, amax or amin, got ${reduce}`);
    const d = normalizeDim(dim, x.dim());
    const flat = scatterPositions('scatter_reduce', x, d, index, src);
    const v = srcRegion(src, index);
    const base = x.reshape(-1);
    const hit = index_put(zeros([base.numel()]), [flat], tensor(1).expand([flat.numel()]), true); // writes per position
    const touched = hit.gt(0);
    const start = includeSelf ? base : base.mul(touched.logical_not());
    if (reduce === 'sum' || reduce === 'mean') {
      const total = index_put(start, [flat], v, true);
      if (reduce === 'sum') return total.reshape(x.shape);
      const count = hit.add(includeSelf ? 1 : 0).clamp(1);
      const mean = total.div(count);
      return (isIntegral(x.dtype) ? mean.floor().to(x.dtype) : mean).reshape(x.shape);
    }
    if (x.requires_grad || src.requires_grad) throw new Error(`wasmtorch: the gradient of scatter_reduce with reduce='${reduce}' is not implemented`);
    return no_grad(() => {
      const out = Float64Array.from(base.dataSync()), pos = flat.dataSync(), vals = v.dataSync(), seen = new Uint8Array(out.length);
      for (let k = 0; k < pos.length; k++) {
        const p = pos[k];
        if (!includeSelf && !seen[p]) { out[p] = vals[k]; seen[p] = 1; continue; }
        out[p] = reduce === 'prod' ? out[p] * vals[k] : reduce === 'amax' ? Math.max(out[p], vals[k]) : Math.min(out[p], vals[k]);
      }
      return tensor(Array.from(out), { dtype: x.dtype as DType }).reshape(x.shape);
    });
  });
