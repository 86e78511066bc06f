// Views share storage (new shape/strides/offset, no copy); their backward
// maps the gradient back to the input's shape. cat/stack copy.
import { op, hotOp, signature, bind } from '../signature.js';
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

type Dims = (number | readonly number[])[];
const isIntList = (a: readonly unknown[]): a is number[] => {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number' || !Number.isInteger(a[i])) return false;
  return true;
};
/** The sizes of a plain `(...ints)` or `([ints])` call, or null when the call needs the signature's parser. */
function plainDims(args: Dims): number[] | null {
  if (args.length === 1 && Array.isArray(args[0])) return isIntList(args[0]) ? args[0].slice() : null;
  return isIntList(args) ? args.slice() : null;
}

/** A shape op taking `*sizes`: plain integer calls skip the parser (views are on every hot path). */
function sizedOp(schema: string, impl: (x: Tensor, sizes: number[]) => Tensor): (x: Tensor, ...sizes: Dims) => Tensor {
  const checked = op<(x: Tensor, ...sizes: unknown[]) => Tensor>(schema, impl);
  return function (x: Tensor, ...sizes: Dims): Tensor {
    const dims = x instanceof Tensor ? plainDims(sizes) : null;
    return dims !== null ? impl(x, dims) : checked(x, ...sizes);
  };
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

export const view = sizedOp('view(Tensor input, int... size) -> Tensor', viewImpl);
function viewImpl(t: Tensor, size: number[]): Tensor {
  const shape = inferSize(size, t.numel());
  const strides = viewStrides(t, shape);
  if (strides === null) {
    throw new Error("view size is not compatible with input tensor's size and stride (at least one dimension spans across " +
      'two contiguous subspaces). Use .reshape(...) instead.');
  }
  const y = viewOf(t, shape, strides);
  return record(y, 'ViewBackward0', [t], (g) => [reshapeImpl(g, t.shape)]);
}

export const reshape = sizedOp('reshape(Tensor input, int... shape) -> Tensor', reshapeImpl);
function reshapeImpl(t: Tensor, size: readonly number[]): Tensor {
  const shape = inferSize(size as number[], t.numel());
  const strides = viewStrides(t, shape);
  if (strides !== null) return viewImpl(t, shape);
  return viewImpl(contiguous(t), shape);
}

/** Differentiable contiguous(): a copy only when the strides need one. */
export const contiguous = hotOp<(input: Tensor, options?: { memory_format?: unknown }) => Tensor>(
  'contiguous(Tensor input, *, Any memory_format=None) -> Tensor', contiguousImpl, (a) => a.length === 1 && a[0] instanceof Tensor);
function contiguousImpl(t: Tensor): Tensor {
  if (t.is_contiguous()) return t;
  const y = contiguousCopy(t);
  return record(y, 'CloneBackward0', [t], (g) => [g]);
}

export const clone = hotOp<(input: Tensor, options?: { memory_format?: unknown }) => Tensor>(
  'clone(Tensor input, *, Any memory_format=None) -> Tensor', cloneImpl, (a) => a.length === 1 && a[0] instanceof Tensor);
function cloneImpl(t: Tensor): Tensor {
  const y = contiguousCopy(t);
  return record(y, 'CloneBackward0', [t], (g) => [g]);
}

const TRANSPOSE = signature('transpose(Tensor input, int dim0, int dim1) -> Tensor');
export function transpose(t: Tensor, dim0: number, dim1: number, ...rest: unknown[]): Tensor {
  if (!(t instanceof Tensor && Number.isInteger(dim0) && Number.isInteger(dim1)) || rest.length > 0) {
    [t, dim0, dim1] = bind(TRANSPOSE, [t, dim0, dim1, ...rest]) as [Tensor, number, number];
  }
  const n = t.shape.length;
  const a = normalizeDim(dim0, n), b = normalizeDim(dim1, n);
  if (n === 0) return t;
  const shape = t.shape.slice(), strides = t._strides.slice();
  [shape[a], shape[b]] = [shape[b], shape[a]];
  [strides[a], strides[b]] = [strides[b], strides[a]];
  const y = viewOf(t, shape, strides);
  return record(y, 'TransposeBackward0', [t], (g) => [transpose(g, a, b)]);
}

const T = signature('t(Tensor input) -> Tensor');
export function t(x: Tensor, ...rest: unknown[]): Tensor {
  if (!(x instanceof Tensor) || rest.length > 0) bind(T, [x, ...rest]);
  if (x.shape.length > 2) throw new Error(`t() expects a tensor with <= 2 dimensions, but self is ${x.shape.length}D`);
  return x.shape.length < 2 ? x : transpose(x, 0, 1);
}

export const permute = sizedOp('permute(Tensor input, int... dims) -> Tensor', permuteImpl);
function permuteImpl(x: Tensor, dims: number[]): Tensor {
  const n = x.shape.length;
  if (dims.length !== n) {
    throw new Error(`permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = ${n} is not equal to len(dims) = ${dims.length}`);
  }
  const norm = dims.map((d) => normalizeDim(d, n));
  if (new Set(norm).size !== n) throw new Error('permute(): duplicate dims are not allowed.');
  const y = viewOf(x, norm.map((d) => x.shape[d]), norm.map((d) => x._strides[d]));
  const inverse = new Array<number>(n);
  norm.forEach((d, i) => (inverse[d] = i));
  return record(y, 'PermuteBackward0', [x], (g) => [permuteImpl(g, inverse)]);
}

const UNSQUEEZE = signature('unsqueeze(Tensor input, int dim) -> Tensor');
export function unsqueeze(x: Tensor, dim: number, ...rest: unknown[]): Tensor {
  if (!(x instanceof Tensor && Number.isInteger(dim)) || rest.length > 0) [x, dim] = bind(UNSQUEEZE, [x, dim, ...rest]) as [Tensor, number];
  const d = normalizeDim(dim, x.shape.length + 1);
  const shape = x.shape.slice(), strides = x._strides.slice();
  shape.splice(d, 0, 1);
  strides.splice(d, 0, d < x.shape.length ? x._strides[d] * x.shape[d] : 1);
  const y = viewOf(x, shape, strides);
  return record(y, 'UnsqueezeBackward0', [x], (g) => [squeezeImpl(g, d)]);
}

const SQUEEZE = signature('squeeze(Tensor input, int[]? dim=None) -> Tensor');
export function squeeze(x: Tensor, dim?: number | number[] | { dim?: number | number[] | null } | null, ...rest: unknown[]): Tensor {
  if (x instanceof Tensor && rest.length === 0 && (dim === undefined || Number.isInteger(dim))) return squeezeImpl(x, dim as number | undefined);
  const [, d] = bind(SQUEEZE, [x, dim, ...rest]) as [Tensor, number[] | null];
  return squeezeImpl(x, d ?? undefined);
}
function squeezeImpl(x: Tensor, dim?: number | number[]): Tensor {
  const n = x.shape.length;
  const dims = dim === undefined ? x.shape.map((_, i) => i) : (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, n));
  const keep = x.shape.map((s, i) => !(s === 1 && dims.includes(i)));
  const y = viewOf(x, x.shape.filter((_, i) => keep[i]), x._strides.filter((_, i) => keep[i]));
  return record(y, 'SqueezeBackward0', [x], (g) => [reshapeImpl(g, x.shape)]);
}

export const flatten = op<(input: Tensor, start_dim?: number | { start_dim?: number; end_dim?: number }, end_dim?: number) => Tensor>(
  'flatten(Tensor input, int start_dim=0, int end_dim=-1) -> Tensor', flattenImpl);

function flattenImpl(x: Tensor, start_dim: number, end_dim: number): Tensor {
  if (x.shape.length === 0) return reshapeImpl(x, [1]);
  const s = normalizeDim(start_dim, x.shape.length), e = normalizeDim(end_dim, x.shape.length);
  if (s > e) throw new Error('flatten() has invalid args: start_dim cannot come after end_dim');
  const shape = [...x.shape.slice(0, s), numelOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshapeImpl(x, shape);
}

export const unflatten = op<(input: Tensor, dim: number, sizes: number[] | { sizes: number[] }) => Tensor>(
  'unflatten(Tensor input, int dim, int[] sizes) -> Tensor', (x: Tensor, dim: number, sizes: number[]) => {
    const d = normalizeDim(dim, x.shape.length);
    const inner = inferSize(sizes, x.shape[d]);
    return viewImpl(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
  });

export const expand = sizedOp('expand(Tensor input, int... size, *, bool implicit=False) -> Tensor', expandImpl);
function expandImpl(x: Tensor, sizes: number[]): Tensor {
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

const NARROW = signature('narrow(Tensor input, int dim, int start, int length) -> Tensor');
export function narrow(x: Tensor, dim: number, startArg: number | Tensor, length: number, ...rest: unknown[]): Tensor {
  let start = startArg as number;
  if (!(x instanceof Tensor && Number.isInteger(dim) && Number.isInteger(start) && Number.isInteger(length)) || rest.length > 0) {
    [x, dim, start, length] = bind(NARROW, [x, dim, start, length, ...rest]) as [Tensor, number, number, number];
  }
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

/** The adjoint of narrow and slice: g placed at start, start+step, ... of zeros of `shape` along dim. */
function padNarrow(g: Tensor, shape: Shape, dim: number, start: number, step = 1): Tensor {
  const out = zeros(shape.slice());
  const strides = out._strides.slice();
  strides[dim] *= step;
  const region = viewOf(out, g.shape.slice(), strides, start * out._strides[dim]);
  if (g.numel() > 0) copyInto(region, g);
  return record(out, 'NarrowBackwardBackward', [g], (gg) => [sliceDim(gg, dim, start, start + (g.shape[dim] - 1) * step + 1, step)]);
}

/**
 * x[start:stop:step] along dim (aten::slice): a view, start and stop clipped as Python clips them (negative ones count
 * from the end; null is the whole extent). The step must be positive, in PyTorch's words when not.
 */
export function sliceDim(x: Tensor, dim: number, start: number | null, stop: number | null, step: number | null = 1): Tensor {
  const d = normalizeDim(dim, x.shape.length);
  const st = step ?? 1;
  if (st === 0) throw new Error('slice step cannot be zero');
  if (st < 0) throw new Error('step must be greater than zero');
  const size = x.shape[d];
  const clip = (v: number | null, dflt: number): number => (v === null ? dflt : v < 0 ? Math.max(v + size, 0) : Math.min(v, size));
  const from = clip(start, 0), to = clip(stop, size);
  const length = to > from ? Math.ceil((to - from) / st) : 0;
  const shape = x.shape.slice(), strides = x._strides.slice();
  shape[d] = length;
  strides[d] *= st;
  const y = viewOf(x, shape, strides, x.offset + (length > 0 ? from * x._strides[d] : 0));
  return record(y, 'SliceBackward0', [x], (g) => [padNarrow(g, x.shape, d, from, st)]);
}

const SELECT = signature('select(Tensor input, int dim, int index) -> Tensor');
export function select(x: Tensor, dim: number, indexArg: number | Tensor, ...rest: unknown[]): Tensor {
  let index = indexArg as number;
  if (!(x instanceof Tensor && Number.isInteger(dim) && Number.isInteger(index)) || rest.length > 0) {
    [x, dim, index] = bind(SELECT, [x, dim, index, ...rest]) as [Tensor, number, number];
  }
  const d = normalizeDim(dim, x.shape.length);
  const size = x.shape[d];
  if (index < -size || index >= size) {
    throw new Error(`select(): index ${index} out of range for tensor of size ${shapeStr(x.shape)} at dimension ${d}`);
  }
  return squeezeImpl(narrow(x, d, index < 0 ? index + size : index, 1), d);
}

export const cat = op<(tensors: Tensor[], dim?: number | { dim?: number }) => Tensor>('cat(Tensor[] tensors, int dim=0) -> Tensor', catImpl);
// cat's aliases, under their own names in messages
export const concat = op<typeof cat>('concat(Tensor[] tensors, int dim=0) -> Tensor', catImpl);
export const concatenate = op<typeof cat>('concatenate(Tensor[] tensors, int dim=0) -> Tensor', catImpl);
function catImpl(tensors: Tensor[], dimArg: number): Tensor {
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

export const stack = op<(tensors: Tensor[], dim?: number | { dim?: number }) => Tensor>('stack(Tensor[] tensors, int dim=0) -> Tensor', (tensors: Tensor[], dimArg: number) => {
  if (tensors.length === 0) throw new Error('stack expects a non-empty TensorList');
  for (let i = 1; i < tensors.length; i++) {
    if (!sameShape(tensors[i].shape, tensors[0].shape)) {
      throw new Error(`stack expects each tensor to be equal size, but got ${shapeStr(tensors[0].shape)} at entry 0 and ${shapeStr(tensors[i].shape)} at entry ${i}`);
    }
  }
  const d = normalizeDim(dimArg, tensors[0].shape.length + 1);
  return catImpl(tensors.map((x) => unsqueeze(x, d)), d);
});

export const split = op<(tensor: Tensor, split_size_or_sections: number | number[], dim?: number | { dim?: number }) => Tensor[]>(
  'split(Tensor tensor, int|int[] split_size_or_sections, int dim=0) -> Tensor[]', splitImpl);
function splitImpl(x: Tensor, split_size: number | number[], dim: number): Tensor[] {
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

export const chunk = op<(input: Tensor, chunks: number, dim?: number | { dim?: number }) => Tensor[]>(
  'chunk(Tensor input, int chunks, int dim=0) -> Tensor[]', (x: Tensor, chunks: number, dim: number) => {
  if (!(chunks > 0)) throw new Error(`chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = normalizeDim(dim, x.shape.length);
  return splitImpl(x, Math.ceil(x.shape[d] / chunks), d);
});

export const unbind = op<(input: Tensor, dim?: number | { dim?: number }) => Tensor[]>('unbind(Tensor input, int dim=0) -> Tensor[]', (x: Tensor, dim: number) => {
  const d = normalizeDim(dim, x.shape.length);
  return Array.from({ length: x.shape[d] }, (_, i) => select(x, d, i));
});
