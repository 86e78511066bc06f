// Selection by integer index tensors. Indices are checked in the kernel
// (it returns the first bad position) and reported in PyTorch's words.
import { Tensor, numelOf } from '../tensor.js';
import { record } from '../autograd/engine.js';
import { K, tick, empty, ptr, dense, asFloat, fromFloat, normalizeDim, shapeStr } from './core.js';
import { zeros } from './creation.js';
import { isIntegral, scalarTypeName } from '../dtype.js';

function checkIndex(index: Tensor, op: string): void {
  if (!isIntegral(index.dtype)) {
    throw new Error(`${op}(): Expected dtype int32/int64 for index but got ${scalarTypeName(index.dtype)}`);
  }
}

function blocks(shape: number[], d: number): [number, number, number] {
  return [numelOf(shape.slice(0, d)), shape[d], numelOf(shape.slice(d + 1))];
}

function badIndex(idx: Tensor, at: number, size: number): never {
  const v = idx.dataSync()[at];
  throw new Error(`index ${v} is out of bounds for dimension with size ${size}`);
}

export function index_select(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, 'index_select');
  if (index.shape.length > 1) throw new Error('index_select(): Index is supposed to be a vector');
  const d = normalizeDim(dim, x.shape.length);
  const src = dense(asFloat(x)), idx = dense(index);
  const [outer, size, inner] = blocks(x.shape, d);
  const n = idx.numel();
  const shape = x.shape.slice();
  shape[d] = n;
  tick();
  const out = empty(shape, 'float32');
  if (out.numel() > 0) {
    const bad = K.index_select(ptr(src), ptr(idx), ptr(out), outer, size, inner, n);
    if (bad >= 0) {
      const v = idx.dataSync()[bad];
      throw new Error(`index out of range in self (index ${v}, size ${size} at dimension ${d})`);
    }
  }
  const y = fromFloat(out, x.dtype);
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

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex(index, 'gather');
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
  const src = dense(asFloat(narrowTo(x, region)));
  const idx = dense(index);
  const [outer, size, inner] = blocks(region, d);
  tick();
  const out = empty(index.shape.slice(), 'float32');
  if (out.numel() > 0) {
    const bad = K.gather(ptr(src), ptr(idx), ptr(out), outer, size, inner, index.shape[d]);
    if (bad >= 0) badIndex(idx, bad, size);
  }
  const y = fromFloat(out, x.dtype);
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

/** F.embedding(input, weight): rows of weight picked by integer input of any shape. */
export function embedding(input: Tensor, weight: Tensor): Tensor {
  checkIndex(input, 'embedding');
  if (weight.shape.length !== 2) throw new Error("'weight' must be 2-D");
  const rows = index_select(weight, 0, input.reshape([-1]));
  return rows.view([...input.shape, weight.shape[1]]);
}
