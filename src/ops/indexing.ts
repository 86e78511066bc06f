// Selection by integer index tensors. Indices are checked in the kernel
// (it returns the first bad position) and reported in PyTorch's words.
import { op, hotOp } from '../signature.js';
import { Tensor, numelOf } from '../tensor.js';
import { record, no_grad } from '../autograd/engine.js';
import { where } from './elementwise.js';
import { index_copy_ } from './inplace.js';
import { K, tick, empty, ptr, dense, asFloat, asIndex, moved, toDtypeRaw, fromFloat, normalizeDim, shapeStr, contiguousCopy, broadcastShapes } from './core.js';
import { zeros, tensor } from './creation.js';
import { isIntegral, scalarTypeName } from '../dtype.js';

function checkIndex(index: Tensor, op: string): void {
  if (!isIntegral(index.dtype)) {
    throw new Error(`${op}(): Expected dtype int32/int64 for index but got ${scalarTypeName(index.dtype)}`);
  }
}

function blocks(shape: number[], d: number): [number, number, number] {
  return [numelOf(shape.slice(0, d)), shape[d], numelOf(shape.slice(d + 1))];
}

/** PyTorch's error for the index at `at` outside [0, size) along dim d (`op` prefixes it where PyTorch's does). */
function badIndex(idx: Tensor, at: number, size: number, d: number, op = ''): never {
  const v = idx.dataSync()[at];
  throw new Error(`${op}index ${v} is out of bounds for dimension ${d} with size ${size}`);
}

const plainIndex = (a: unknown[]): boolean => a.length === 3 && a[0] instanceof Tensor && Number.isInteger(a[1]) && a[2] instanceof Tensor;
export const index_select = hotOp<(input: Tensor, dim: number, index: Tensor) => Tensor>('index_select(Tensor input, int dim, Tensor index) -> Tensor', indexSelect, plainIndex);
function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, 'index_select');
  if (index.shape.length > 1) throw new Error('index_select(): Index is supposed to be a vector');
  // a 0-dim input is a vector of one along dim 0 or -1; the result keeps its 0-dim shape for one index
  if (x.dim() === 0) {
    normalizeDim(dim, 0);
    if (index.numel() !== 1) throw new Error('index_select(): Index to scalar can have only 1 value, got ' + index.numel() + ' value(s)');
    return index_select(x.reshape(1), 0, index.reshape(1)).reshape([]);
  }
  const d = normalizeDim(dim, x.shape.length);
  const m = moved(x), src = dense(m.data), idx = asIndex(index);
  const [outer, size, inner] = blocks(x.shape, d);
  const n = idx.numel();
  const shape = x.shape.slice();
  shape[d] = n;
  tick();
  const out = empty(shape, m.store);
  if (out.numel() > 0) {
    const bad = K.index_select(ptr(src), ptr(idx), ptr(out), outer, size, inner * m.words, n);
    if (bad >= 0) {
      const v = idx.dataSync()[bad];
      throw new Error(`index out of range in self (index ${v}, size ${size} at dimension ${d})`);
    }
  }
  const y = m.back(out);
  return record(y, 'IndexSelectBackward0', [x, null], (g) => [index_add_zeros(x.shape, d, idx, g)], [idx]);
}

/** zeros(shape).index_add_(dim, index, g): the adjoint of index_select. */
function index_add_zeros(shape: number[], d: number, idx: Tensor, g: Tensor): Tensor {
  const out = zeros(shape.slice());
  const [outer, size, inner] = blocks(shape, d);
  const src = dense(g);
  tick();
  if (src.numel() > 0) K.index_add(ptr(out), ptr(idx), ptr(src), outer, size, inner, idx.numel());
  return record(out, 'IndexAddBackward0', [g], (gg) => [index_select(gg, d, idx)], [idx]);
}

export const gather = hotOp<(input: Tensor, dim: number, index: Tensor, options?: { sparse_grad?: boolean }) => Tensor>(
  'gather(Tensor input, int dim, Tensor index, *, bool sparse_grad=False) -> Tensor', gatherImpl, plainIndex);
function gatherImpl(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, 'gather');
  // 0-dim input and index: one element along dim 0 (PyTorch treats a scalar as a vector of one here)
  if (x.dim() === 0 || index.dim() === 0) {
    normalizeDim(dim, x.dim());
    if (x.dim() > 1 || index.dim() > 1) throw new Error('Index tensor must have the same number of dimensions as input tensor');
    return gather(x.reshape(-1), 0, index.reshape(-1)).reshape(index.shape);
  }
  const d = normalizeDim(dim, x.shape.length);
  if (index.shape.length !== x.shape.length) {
    throw new Error('Index tensor must have the same number of dimensions as input tensor');
  }
  for (let i = 0; i < x.shape.length; i++) {
    if (i !== d && index.shape[i] > x.shape[i]) {
      throw new Error(`Size does not match at dimension ${i} expected index ${shapeStr(index.shape)} to be smaller than self ${shapeStr(x.shape)} apart from dimension ${d}`);
    }
  }
  // read x through the index's extent in the other dims
  const region = x.shape.map((s, i) => (i === d ? s : index.shape[i]));
  const m = moved(narrowTo(x, region)), src = dense(m.data);
  const idx = asIndex(index);
  // int64 elements are moved as word pairs: each index stands for both words
  const wordIdx = m.words === 1 ? idx : dense(idx.unsqueeze(-1).expand([...idx.shape, 2]));
  const [outer, size, inner] = blocks(region, d);
  tick();
  const out = empty(index.shape.slice(), m.store);
  if (out.numel() > 0) {
    const bad = K.gather(ptr(src), ptr(wordIdx), ptr(out), outer, size, inner * m.words, index.shape[d]);
    if (bad >= 0) badIndex(wordIdx, bad, size, d);
  }
  const y = m.back(out);
  return record(y, 'GatherBackward0', [x, null], (g) => [scatter_add_zeros(x.shape, region, d, idx, g)], [idx]);
}

function narrowTo(x: Tensor, region: number[]): Tensor {
  let t = x.detach();
  region.forEach((s, i) => {
    if (s !== x.shape[i]) t = t.narrow(i, 0, s);
  });
  return t;
}

/** zeros(shape).scatter_add_(dim, index, g): the adjoint of gather. */
function scatter_add_zeros(shape: number[], region: number[], d: number, idx: Tensor, g: Tensor): Tensor {
  const part = zeros(region.slice());
  const [outer, size, inner] = blocks(region, d);
  const src = dense(g);
  tick();
  if (src.numel() > 0) K.scatter_add(ptr(part), ptr(idx), ptr(src), outer, size, inner, idx.shape[d]);
  let out = part;
  if (region.some((s, i) => s !== shape[i])) {
    out = zeros(shape.slice());
    let view = out.detach();
    region.forEach((s, i) => {
      if (s !== shape[i]) view = view.narrow(i, 0, s);
    });
    view.copy_(part);
  }
  return record(out, 'ScatterAddBackward0', [g], (gg) => [gather(gg, d, idx)], [idx]);
}

export interface EmbeddingOptions {
  padding_idx?: number | null;
  max_norm?: number | null;
  norm_type?: number;
}

/**
 * F.embedding(input, weight): rows of weight picked by integer input of any
 * shape. padding_idx's row gets no gradient; with max_norm, the rows looked up
 * are first renormalised in place to that norm at most, as PyTorch does.
 */
export const embedding = hotOp<(input: Tensor, weight: Tensor, padding_idx?: number | null | EmbeddingOptions, ...rest: unknown[]) => Tensor>(
  'embedding(Tensor input, Tensor weight, int? padding_idx=None, float? max_norm=None, float norm_type=2.0, bool scale_grad_by_freq=False, bool sparse=False) -> Tensor',
  embeddingImpl, (a) => a.length === 2 && a[0] instanceof Tensor && a[1] instanceof Tensor);
function embeddingImpl(input: Tensor, weight: Tensor, padding_idx: number | null = null, max_norm: number | null = null, norm_type = 2): Tensor {
  checkIndex(input, 'embedding');
  if (weight.shape.length !== 2) throw new Error("'weight' must be 2-D");
  const [num, dim] = weight.shape;
  let pad = padding_idx;
  if (pad !== null) {
    if (pad >= num || pad < -num) throw new Error('Padding_idx must be within num_embeddings');
    if (pad < 0) pad += num;
  }
  const idx = asIndex(input.reshape([-1]));
  if (max_norm !== null) renormRows(weight, idx, max_norm, norm_type);
  const out = no_grad(() => index_select(weight, 0, idx)).view([...input.shape, dim]);
  return record(out, 'EmbeddingBackward0', [weight], (g) => {
    let rowsGrad = g.reshape([-1, dim]);
    if (pad !== null) rowsGrad = rowsGrad.mul(idx.ne(pad).unsqueeze(1));
    return [index_add_zeros(weight.shape, 0, idx, rowsGrad)];
  }, [idx]);
}

/** embedding_renorm_: each row of weight that idx names is scaled to norm max_norm if its norm exceeds it. */
function renormRows(weight: Tensor, idx: Tensor, maxNorm: number, p: number): void {
  no_grad(() => {
    const uniq = tensor([...new Set(idx.dataSync())], { dtype: 'int64' });
    const rowsOf = index_select(weight, 0, uniq);
    const norms = p === Infinity ? rowsOf.abs().amax(1) : rowsOf.abs().pow(p).sum(1).pow(1 / p);
    const scale = where(norms.gt(maxNorm), norms.add(1e-7).reciprocal().mul(maxNorm), 1);
    index_copy_(weight, 0, uniq, rowsOf.mul(scale.unsqueeze(1)));
  });
}

function checkIndexVector(x: Tensor, d: number, index: Tensor, source: Tensor, op: string): void {
  checkIndex(index, op);
  if (index.dim() > 1) throw new Error(`${op}(): Index should have dimension 1 or 0 (got ${index.dim()})`);
  const expected = x.shape.slice();
  if (x.dim() > 0) expected[d] = index.numel();
  if (source.dim() !== x.dim() && !(source.dim() === 0 && index.numel() === 1) || numelOf(expected) !== source.numel()) {
    throw new Error(`${op}(): Source/destination tensor must have same slice shapes. Destination slice shape: ` +
      `${shapeStr(expected)} at dimension ${d} and source slice shape: ${shapeStr(source.shape)} at dimension ${d}.`);
  }
}

/** The kernels' view of an index op along d: x as [outer, size, inner], index as int64 rows. */
function rows(x: Tensor, d: number, index: Tensor): { idx: Tensor; blocks: [number, number, number] } {
  return { idx: asIndex(index.reshape([-1])), blocks: x.dim() === 0 ? [1, 1, 1] : blocks(x.shape, d) };
}

/** torch.index_copy: x with the slices at index along dim replaced by source's (a repeated index keeps the last). */
const plainIndexSource = (a: unknown[]): boolean => a.length === 4 && plainIndex(a.slice(0, 3)) && a[3] instanceof Tensor;
export const index_copy = hotOp<(input: Tensor, dim: number, index: Tensor, source: Tensor) => Tensor>('index_copy(Tensor input, int dim, Tensor index, Tensor source) -> Tensor', indexCopy, plainIndexSource);
/** index_copy of checked arguments. */
export function indexCopy(x: Tensor, dim: number, index: Tensor, source: Tensor): Tensor {
  const d = normalizeDim(dim, x.dim());
  checkIndexVector(x, d, index, source, 'index_copy');
  const { idx, blocks: [outer, size, inner] } = rows(x, d, index);
  tick();
  const m = moved(x);
  const out = m.data === x ? contiguousCopy(x) : m.data; // a new tensor either way
  const src = dense(toDtypeRaw(source.detach(), m.store === 'int64' ? 'int64' : source.dtype === 'bool' ? 'bool' : 'float32'));
  if (src.numel() > 0) {
    const bad = K.index_copy(ptr(out), ptr(idx), ptr(src), outer, size, inner * m.words, idx.numel());
    if (bad >= 0) badIndex(idx, bad, size, d, 'index_copy_(): ');
  }
  const y = m.back(out);
  return record(y, 'IndexCopyBackward0', [x, source], (g, needs) => [
    needs[0] ? index_copy(g, d, idx, zeros(source.shape.slice())) : null,
    needs[1] ? index_select(g, d, idx).reshape(source.shape) : null,
  ], [idx]);
}

/** torch.index_add: x + alpha * source added into the slices at index along dim (repeats accumulate). */
export const index_add = hotOp<(input: Tensor, dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }) => Tensor>(
  'index_add(Tensor input, int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor', indexAdd, plainIndexSource);
/** index_add of checked arguments. */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, alpha = 1): Tensor {
  const d = normalizeDim(dim, x.dim());
  checkIndexVector(x, d, index, source, 'index_add');
  const { idx, blocks: [, size] } = rows(x, d, index);
  // PyTorch refuses an index outside [0, size), negative ones too (the kernel would skip it)
  const values = idx.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= size) {
      if (d === 0) throw new Error('index out of range in self');
      badIndex(idx, i, size, d);
    }
  }
  const scaled = alpha === 1 ? source : source.mul(alpha);
  // a 0-dim x is added into as a 1-element vector
  const shape = x.dim() === 0 ? [1] : x.shape, dd = x.dim() === 0 ? 0 : d;
  const rowsShape = shape.map((s, i) => (i === dd ? idx.numel() : s));
  if (isIntegral(x.dtype) && scaled.dtype !== 'float32') return integerIndexAdd(x, shape, dd, idx, scaled.reshape(rowsShape));
  return x.add(index_add_zeros(shape, dd, idx, scaled.reshape(rowsShape)).reshape(x.shape));
}

/** index_add of integers into an integer tensor: exactly, in int64, keeping x's dtype (no gradient: integers). */
function integerIndexAdd(x: Tensor, shape: number[], d: number, idx: Tensor, rowsOf: Tensor): Tensor {
  const widened = toDtypeRaw(x, 'int64');
  const out = widened === x ? contiguousCopy(x) : widened; // a new tensor either way, copied once
  const src = dense(toDtypeRaw(rowsOf, 'int64'));
  const [outer, size, inner] = blocks(shape, d);
  tick();
  if (src.numel() > 0) K.index_add_i64(ptr(out), ptr(idx), ptr(src), outer, size, inner, idx.numel());
  return toDtypeRaw(out, x.dtype);
}

/**
 * torch.index_put: x with x[indices] = values (or += with accumulate), the
 * indices being integer (or boolean mask) tensors for x's leading dims,
 * broadcast together, as PyTorch's advanced indexing.
 */
type IndexPutCall = (input: Tensor, indices: Tensor[], values: Tensor | number, accumulate?: boolean | { accumulate?: boolean }) => Tensor;
export const index_put = op<IndexPutCall>('index_put(Tensor input, Tensor[] indices, Tensor|float values, bool accumulate=False) -> Tensor', indexPut);

/** index_put of checked arguments (index_put_ binds its own and calls this). */
export function indexPut(x: Tensor, indices: Tensor[], values: Tensor | number, accumulate = false): Tensor {
  const ints = indices.flatMap((t) => (t.dtype === 'bool' ? maskToIndices(t) : [t]));
  if (ints.length > x.dim()) throw new Error(`too many indices for tensor of dimension ${x.dim()} (got ${ints.length})`);
  for (const t of ints) checkIndex(t, 'index_put');
  const k = ints.length, lead = x.shape.slice(0, k), rest = x.shape.slice(k);
  const iShape = ints.reduce<number[]>((s, t) => broadcastShapes(s, t.shape), []);
  // the flat position of each indexed row among x's leading dims, checked and wrapped in plain JS
  const n = numelOf(iShape);
  const lin = new Int32Array(n);
  ints.forEach((t, dimIdx) => {
    const v = t.expand(iShape).contiguous().dataSync();
    const size = lead[dimIdx], stride = numelOf(lead.slice(dimIdx + 1));
    for (let j = 0; j < n; j++) {
      let i = v[j];
      if (i < -size || i >= size) throw new Error(`index ${i} is out of bounds for dimension ${dimIdx} with size ${size}`);
      if (i < 0) i += size;
      lin[j] += i * stride;
    }
  });
  const idx = tensor(lin, { dtype: 'int64' });
  const flat = x.reshape([numelOf(lead), ...rest]);
  const v = (values instanceof Tensor ? values : tensor(values)).expand([...iShape, ...rest]).reshape([n, ...rest]);
  const out = accumulate ? index_add(flat, 0, idx, v) : index_copy(flat, 0, idx, v);
  return out.reshape(x.shape);
}

export function maskToIndices(mask: Tensor): Tensor[] {
  const m = mask.contiguous().dataSync(), shape = mask.shape;
  const hits: number[][] = shape.map(() => []);
  for (let flatPos = 0; flatPos < m.length; flatPos++) {
    if (!m[flatPos]) continue;
    let r = flatPos;
    for (let dd = shape.length - 1; dd >= 0; dd--) {
      hits[dd].push(r % shape[dd]);
      r = Math.floor(r / shape[dd]);
    }
  }
  return hits.map((h) => tensor(Int32Array.from(h), { dtype: 'int64' }));
}
