// Views share storage (new shape/strides/offset, no copy); their backward
// maps the gradient back to the input's shape. cat/stack copy.
import { op, intArg } from '../signature.js';
import { Tensor, contiguousStrides, numelOf, type Shape } from '../tensor.js';
import { promoteTypes } from '../dtype.js';
import { record } from '../autograd/engine.js';
import { normalizeDim, shapeStr, contiguousCopy, copyInto, empty, sameShape } from './core.js';
import { zeros } from './creation.js';

function viewOf(t: Tensor, shape: number[], strides: number[], offset = t.offset): Tensor {
  const v = new Tensor(t.storage, shape, strides, offset, t.dtype);
  v._base = t._base ?? t;
  return v;
}

/** Flattens (...dims) or ([dims]) arguments. */
function dimsArg(args: (number | readonly number[])[]): number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]).slice() : (args as number[]).slice();
}

/** Resolves one -1 and checks the element count, with PyTorch's messages. */
export function inferSize(shape: number[], numel: number): number[] {
  let infer = -1, known = 1;
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === -1) {
      if (infer >= 0) throw new Error('only one dimension can be inferred');
      infer = i;
    } else if (shape[i] < 0 || !Number.isInteger(shape[i])) {
      throw new Error(`invalid shape dimension ${shape[i]}`);
    } else known *= shape[i];
  }
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) throw new Error(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new Error(`shape '${shapeStr(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/** Strides for viewing t as `shape` without a copy, or null (PyTorch's computeStride). */
function viewStrides(t: Tensor, shape: number[]): number[] | null {
  if (t.is_contiguous()) return contiguousStrides(shape);
  const oldShape = t.shape, oldStrides = t._strides;
  const newStrides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1];
  let tensorNumel = 1, viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d];
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

export function view(t: Tensor, ...args: (number | readonly number[])[]): Tensor {
  const shape = inferSize(dimsArg(args), t.numel());
  const strides = viewStrides(t, shape);
  if (strides === null) {
    throw new Error("view size is not compatible with input tensor's size and stride (at least one dimension spans across " +
      'two contiguous subspaces). Use .reshape(...) instead.');
  }
  const y = viewOf(t, shape, strides);
  return record(y, 'ViewBackward0', [t], (g) => [reshape(g, t.shape)]);
}

export function reshape(t: Tensor, ...args: (number | readonly number[])[]): Tensor {
  const shape = inferSize(dimsArg(args), t.numel());
  const strides = viewStrides(t, shape);
  if (strides !== null) return view(t, shape);
  return view(contiguous(t), shape);
}

/** Differentiable contiguous(): a copy only when the strides need one. */
export function contiguous(t: Tensor): Tensor {
  if (t.is_contiguous()) return t;
  const y = contiguousCopy(t);
  return record(y, 'CloneBackward0', [t], (g) => [g]);
}

export function clone(t: Tensor): Tensor {
  const y = contiguousCopy(t);
  return record(y, 'CloneBackward0', [t], (g) => [g]);
}

export function transpose(t: Tensor, dim0: number, dim1: number): Tensor {
  const n = t.shape.length;
  const a = normalizeDim(dim0, n), b = normalizeDim(dim1, n);
  if (n === 0) return t;
  const shape = t.shape.slice(), strides = t._strides.slice();
  [shape[a], shape[b]] = [shape[b], shape[a]];
  [strides[a], strides[b]] = [strides[b], strides[a]];
  const y = viewOf(t, shape, strides);
  return record(y, 'TransposeBackward0', [t], (g) => [transpose(g, a, b)]);
}

export function t(x: Tensor): Tensor {
  if (x.shape.length > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D`);
  return x.shape.length < 2 ? x : transpose(x, 0, 1);
}

export function permute(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  const dims = dimsArg(args);
  const n = x.shape.length;
  if (dims.length !== n) {
    throw new Error(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${dims.length}`);
  }
  const norm = dims.map((d) => normalizeDim(d, n));
  if (new Set(norm).size !== n) throw new Error('permute(): duplicate dims are not allowed.');
  const y = viewOf(x, norm.map((d) => x.shape[d]), norm.map((d) => x._strides[d]));
  const inverse = new Array<number>(n);
  norm.forEach((d, i) => (inverse[d] = i));
  return record(y, 'PermuteBackward0', [x], (g) => [permute(g, inverse)]);
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.shape.length + 1);
  const shape = x.shape.slice(), strides = x._strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.shape.length ? x._strides[d] * x.shape[d] : 1);
  const y = viewOf(x, shape, strides);
  return record(y, 'UnsqueezeBackward0', [x], (g) => [squeeze(g, d)]);
}

export function squeeze(x: Tensor, dim?: number | number[]): Tensor {
  const n = x.shape.length;
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, n));
  const keep = x.shape.map((s, i) => !(s === 1 && dims.includes(i)));
  const y = viewOf(x, x.shape.filter((_, i) => keep[i]), x._strides.filter((_, i) => keep[i]));
  return record(y, 'SqueezeBackward0', [x], (g) => [reshape(g, x.shape)]);
}

export const flatten = op<(input: Tensor, start_dim?: number | { start_dim?: number; end_dim?: number }, end_dim?: number) => Tensor>(
  'flatten(Tensor input, int start_dim=0, int end_dim=-1) -> Tensor', flattenImpl);

function flattenImpl(x: Tensor, start_dim: number, end_dim: number): Tensor {
  if (x.shape.length === 0) return reshape(x, [1]);
  const s = normalizeDim(start_dim, x.shape.length), e = normalizeDim(end_dim, x.shape.length);
  if (s > e) throw new Error('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshape(x, shape);
}

export function unflatten(x: Tensor, dim: number, sizes: number[]): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  const inner = inferSize(sizes, x.shape[d]);
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function expand(x: Tensor, ...args: (number | readonly number[])[]): Tensor {
  const sizes = dimsArg(args);
  const n = sizes.length;
  if (n < x.shape.length) {
    throw new Error(`expand(torch.FloatTensor{${shapeStr(x.shape)}}, size=${shapeStr(sizes)}): the number of sizes provided (${n}) must be greater or equal to the number of dimensions in the tensor (${x.shape.length})`);
  }
  const shape = new Array<number>(n), strides = new Array<number>(n);
  const off = n - x.shape.length;
  for (let i = n - 1; i >= 0; i--) {
    const j = i - off;
    const size = j >= 0 ? x.shape[j] : 1;
    const target = sizes[i] === -1 ? size : sizes[i];
    if (j < 0 && sizes[i] === -1) throw new Error(`The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ${i}`);
    if (size !== target && size !== 1) {
      throw new Error(`The expanded size of the tensor (${target}) must match the existing size (${size}) at non-singleton dimension ${i}.  Target sizes: ${shapeStr(sizes)}.  Tensor sizes: ${shapeStr(x.shape)}`);
    }
    shape[i] = target;
    strides[i] = j >= 0 && size === target ? x._strides[j] : 0;
  }
  const y = viewOf(x, shape, strides);
  return record(y, 'ExpandBackward0', [x], (g) => [g]); // the engine sums g back to x's shape
}

export function narrow(x: Tensor, dim: number, start: number | Tensor, length: number): Tensor {
  dim = intArg('narrow', 'dim', dim);
  start = intArg('narrow', 'start', start);
  length = intArg('narrow', 'length', length);
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  if (start < 0) start += size;
  if (start < 0 || start > size || length < 0 || start + length > size) {
    throw new Error(`start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  const shape = x.shape.slice();
  shape[d] = length;
  const y = viewOf(x, shape, x._strides.slice(), x.offset + start * x._strides[d]);
  return record(y, 'NarrowBackward0', [x], (g) => [padNarrow(g, x.shape, d, start)]);
}

/** The adjoint of narrow: g placed at [start, start+len) of zeros of `shape` along dim. */
function padNarrow(g: Tensor, shape: Shape, dim: number, start: number): Tensor {
  const out = zeros(shape.slice());
  const region = viewOf(out, g.shape.slice(), out._strides.slice(), start * out._strides[dim]);
  if (g.numel() > 0) copyInto(region, g);
  return record(out, 'NarrowBackwardBackward', [g], (gg) => [narrow(gg, dim, start, g.shape[dim])]);
}

export function select(x: Tensor, dim: number, index: number | Tensor): Tensor {
  dim = intArg('select', 'dim', dim);
  index = intArg('select', 'index', index);
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  if (index < -size || index >= size) {
    throw new Error(`select(): index ${index} out of range for tensor of size ${shapeStr(x.shape)} at dimension ${d}`);
  }
  return squeeze(narrow(x, d, index < 0 ? index + size : index, 1), d);
}

export function cat(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  const dimArg = typeof dim === 'number' ? dim : dim.dim ?? 0;
  if (tensors.length === 0) throw new Error('torch.cat(): expected a non-empty list of Tensors');
  const parts = tensors.filter((p) => !(p.shape.length === 1 && p.shape[0] === 0)); // legacy empty tensors are skipped
  const ref = parts[0] ?? tensors[0];
  const d = normalizeDim(dimArg, ref.shape.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.shape.length !== ref.shape.length) {
      throw new Error(`Tensors must have same number of dimensions: got ${ref.shape.length} and ${p.shape.length}`);
    }
    for (let k = 0; k < ref.shape.length; k++) {
      if (k !== d && p.shape[k] !== ref.shape[k]) {
        throw new Error(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref.shape[k]} but got size ${p.shape[k]} for tensor number ${i} in the list.`);
      }
    }
  }
  const shape = ref.shape.slice();
  shape[d] = parts.reduce((s, p) => s + p.shape[d], 0);
  const dtype = parts.reduce((t, p) => promoteTypes(t, p.dtype), ref.dtype);
  const out = empty(shape, dtype);
  let off = 0;
  for (const p of parts) {
    const region = viewOf(out, p.shape.slice(), out._strides.slice(), off * out._strides[d]);
    if (p.numel() > 0) copyInto(region, p.dtype === dtype ? p : p.to(dtype));
    off += p.shape[d];
  }
  const starts: number[] = [];
  off = 0;
  for (const p of parts) {
    starts.push(off);
    off += p.shape[d];
  }
  return record(out, 'CatBackward0', parts, (g, needs) => parts.map((p, i) => (needs[i] ? narrow(g, d, starts[i], p.shape[d]) : null)));
}

export function stack(tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor {
  const dimArg = typeof dim === 'number' ? dim : dim.dim ?? 0;
  if (tensors.length === 0) throw new Error('stack expects a non-empty TensorList');
  for (let i = 1; i < tensors.length; i++) {
    if (!sameShape(tensors[i].shape, tensors[0].shape)) {
      throw new Error(`stack expects each tensor to be equal size, but got ${shapeStr(tensors[0].shape)} at entry 0 and ${shapeStr(tensors[i].shape)} at entry ${i}`);
    }
  }
  const d = normalizeDim(dimArg, tensors[0].shape.length + 1);
  return cat(tensors.map((x) => unsqueeze(x, d)), d);
}

export function split(x: Tensor, split_size: number | number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  const sizes: number[] = [];
  if (Array.isArray(split_size)) {
    if (split_size.reduce((a, b) => a + b, 0) !== size) {
      throw new Error(`split_with_sizes expects split_sizes to sum exactly to ${size} (input tensor's size at dimension ${d}), but got split_sizes=${shapeStr(split_size)}`);
    }
    sizes.push(...split_size);
  } else {
    if (!(split_size > 0) && size > 0) {
      throw new Error(`split_size can only be 0 if dimension size is 0, but got dimension size of ${size}`);
    }
    for (let s = 0; s < size; s += split_size) sizes.push(Math.min(split_size, size - s));
  }
  const out: Tensor[] = [];
  let start = 0;
  for (const s of sizes) {
    out.push(narrow(x, d, start, s));
    start += s;
  }
  return out;
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!(chunks > 0)) throw new Error(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dim, x.shape.length);
  return split(x, Math.ceil(x.shape[d] / chunks), d);
}

export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.shape.length);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
}
