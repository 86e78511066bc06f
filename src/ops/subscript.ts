// Python's subscript, x[...] and x[...] = v, spelled x.get(...) and x.set(..., v).
// A key is what Python's brackets hold: integers (negative too), slices, None
// (a new axis), '...', boolean masks and integer tensors or lists (advanced
// indexing), combined as PyTorch combines them. The basic keys are applied
// first, as views (so x.get(':', 0) shares x's storage and writes through it);
// the advanced ones then gather with index_select, so autograd needs nothing new.
import { Tensor, numelOf, fromArray } from '../tensor.js';
import { isIntegral, scalarTypeName } from '../dtype.js';
import { shapeStr, broadcastShapes, sameShape } from './core.js';
import { sliceDim, select, unsqueeze, permute, reshape } from './shape.js';
import { tensor } from './creation.js';
import { index_select, maskToIndices } from './indexing.js';
import { masked_fill } from './elementwise.js';
import { applyInPlace, copy_, fill_, index_put_ } from './inplace.js';

/** Python's slice(stop) / slice(start, stop[, step]): a key of x.get(...). */
export class Slice {
  constructor(readonly start: number | null, readonly stop: number | null, readonly step: number | null) {}
  toString(): string {
    const s = (v: number | null) => (v === null ? 'None' : String(v));
    return `slice(${s(this.start)}, ${s(this.stop)}, ${s(this.step)})`;
  }
}
/** slice(stop), slice(start, stop), slice(start, stop, step), with null for Python's None. */
export function slice(...args: (number | null | undefined)[]): Slice {
  if (args.length === 0 || args.length > 3) throw new TypeError(`slice expected at least 1 argument, got ${args.length}`);
  const [a, b, c] = args.map((v) => {
    if (v === undefined || v === null) return null;
    if (!Number.isInteger(v)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
    return v;
  });
  return args.length === 1 ? new Slice(null, a, null) : new Slice(a, b ?? null, c ?? null);
}

type NestedIndex = number | boolean | NestedIndex[];
/** One key of a subscript, as Python's brackets hold it. */
export type IndexKey = number | boolean | string | null | Slice | Tensor | NestedIndex[];

type Item =
  | { kind: 'int'; value: number; at: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'none' }
  | { kind: 'ellipsis' }
  | { kind: 'tensor'; t: Tensor };

const INVALID = 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices';

/** A key given as Python's text: '1:3', '::2', ':, -1', '..., None', '-blockSize:' written with a template string. */
function parseText(text: string, out: IndexKey[]): void {
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    if (part === '...' || part === 'Ellipsis') out.push('...');
    else if (part === 'None') out.push(null);
    else if (part === 'True' || part === 'False') out.push(part === 'True');
    else if (/^[+-]?\d+$/.test(part)) out.push(Number(part));
    else {
      const bounds = part.split(':');
      const number = (s: string): number | null => {
        const v = s.trim();
        if (v === '' || v === 'None') return null;
        if (!/^[+-]?\d+$/.test(v)) throw new TypeError(`wasmtorch: cannot read the index '${part}' (in '${text}'): ` +
          'a text key holds integers, slices (start:stop:step), None and ...; pass tensors and lists as keys of their own');
        return Number(v);
      };
      if (bounds.length < 2 || bounds.length > 3) number(part); // throws: not an integer, not a slice
      out.push(new Slice(number(bounds[0]), number(bounds[1]), bounds.length === 3 ? number(bounds[2]) : null));
    }
  }
}

/** The keys as items, each checked for its kind (PyTorch's IndexError/TypeError words). */
function readKeys(keys: IndexKey[]): Item[] {
  const flat: IndexKey[] = [];
  for (const k of keys) {
    if (typeof k === 'string' && k !== '...') parseText(k, flat);
    else flat.push(k);
  }
  return flat.map((k, at): Item => {
    if (k === null) return { kind: 'none' };
    if (k === '...') return { kind: 'ellipsis' };
    if (typeof k === 'number') {
      if (!Number.isInteger(k)) throw new RangeError(`${INVALID} (got float)`);
      return { kind: 'int', value: k, at };
    }
    if (typeof k === 'boolean') return { kind: 'tensor', t: tensor(k) };
    if (k instanceof Slice) return { kind: 'slice', start: k.start, stop: k.stop, step: k.step };
    if (Array.isArray(k)) return { kind: 'tensor', t: listIndex(k) };
    if (k instanceof Tensor) {
      const t = asIndexTensor(k);
      // a 0-dim integer tensor is an integer (PyTorch selects with it)
      return isIntegral(t.dtype) && t.dim() === 0 ? { kind: 'int', value: Number(t.item()), at } : { kind: 'tensor', t };
    }
    throw new RangeError(`${INVALID} (got ${k === undefined ? 'undefined' : typeof k === 'object' ? (k as object).constructor?.name ?? 'object' : typeof k})`);
  });
}

/** A Python list as an index: integers make an int64 tensor, booleans a mask (JS numbers cannot say 1 from 1.0). */
function listIndex(list: NestedIndex[]): Tensor {
  const flat = (list as unknown[]).flat(Infinity);
  const bools = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
  if (!bools && !flat.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw new RangeError('tensors used as indices must be long, int, byte or bool tensors');
  }
  return tensor(list as number[], { dtype: bools ? 'bool' : 'int64' });
}

function asIndexTensor(t: Tensor): Tensor {
  if (t.dtype !== 'bool' && !isIntegral(t.dtype)) throw new RangeError('tensors used as indices must be long, int, byte or bool tensors');
  return t;
}

/** What the basic keys make of x (a view), and the advanced keys left for it: index tensors at view dims. */
interface Applied {
  view: Tensor;
  advanced: { dim: number; index: Tensor }[];
}

function applyBasic(x: Tensor, items: Item[]): Applied {
  const consumed = items.reduce((n, i) => n + (i.kind === 'int' || i.kind === 'slice' ? 1 : i.kind === 'tensor' ? (i.t.dtype === 'bool' ? i.t.dim() : 1) : 0), 0);
  if (x.dim() === 0 && items.some((i) => i.kind === 'int')) {
    throw new RangeError('invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number');
  }
  if (consumed > x.dim()) throw new RangeError(`too many indices for tensor of dimension ${x.dim()}`);
  let view = x, dim = 0;
  const advanced: Applied['advanced'] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'int': {
        const size = view.shape[dim] ?? 0; // (past the last dim after a second '...', as PyTorch, which expands each)
        if (item.value < -size || item.value >= size) throw new RangeError(`index ${item.value} is out of bounds for dimension ${item.at} with size ${size}`);
        view = select(view, dim, item.value);
        break;
      }
      case 'slice':
        view = sliceDim(view, dim, item.start, item.stop, item.step);
        dim++;
        break;
      case 'none':
        view = unsqueeze(view, dim);
        dim++;
        break;
      case 'ellipsis':
        dim += x.dim() - consumed;
        break;
      case 'tensor': {
        const t = item.t;
        if (t.dtype !== 'bool') {
          advanced.push({ dim, index: t });
          dim++;
        } else if (t.dim() === 0) {
          // x[True] is x[None] with that axis kept; x[False] the same axis emptied
          view = unsqueeze(view, dim);
          advanced.push({ dim, index: tensor(t.item() ? [0] : [], { dtype: 'int64' }) });
          dim++;
        } else {
          for (let j = 0; j < t.dim(); j++) {
            if (t.shape[j] !== view.shape[dim + j]) {
              throw new RangeError(`The shape of the mask ${shapeStr(t.shape)} at index ${j} does not match the shape of the indexed tensor ${shapeStr(view.shape)} at index ${dim + j}`);
            }
          }
          for (const index of maskToIndices(t)) advanced.push({ dim: dim++, index });
        }
        break;
      }
    }
  }
  return { view, advanced };
}

/**
 * The advanced part: the index tensors broadcast together, wrapped and checked against their dims, as one flat
 * index into the indexed dims (row-major over them). The result's index dims go where the first indexed dim was
 * when the indexed dims are adjacent, else in front (`at`).
 */
interface Advanced {
  flat: Tensor;         // int64, the flat positions
  indexShape: number[]; // the broadcast shape of the index tensors
  dims: number[];       // the indexed dims of the view
  others: number[];     // its other dims
  at: number;           // where the index dims land in the result
}

function advancedIndex(view: Tensor, advanced: Applied['advanced']): Advanced {
  let indexShape: number[] = [];
  try {
    indexShape = advanced.reduce<number[]>((s, a) => broadcastShapes(s, a.index.shape), []);
  } catch {
    throw new RangeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${advanced.map((a) => shapeStr(a.index.shape)).join(', ')}`);
  }
  const dims = advanced.map((a) => a.dim);
  const sizes = dims.map((d) => view.shape[d]);
  const n = numelOf(indexShape);
  const flat = new Float64Array(n);
  advanced.forEach((a, k) => {
    const values = a.index.expand(indexShape).contiguous().dataSync();
    const size = sizes[k], stride = numelOf(sizes.slice(k + 1));
    for (let j = 0; j < n; j++) {
      let i = values[j];
      if (i < -size || i >= size) throw new RangeError(`index ${i} is out of bounds for dimension ${k} with size ${size}`);
      if (i < 0) i += size;
      flat[j] += i * stride;
    }
  });
  const others = view.shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const adjacent = dims.every((d, k) => k === 0 || d === dims[k - 1] + 1);
  return { flat: fromArray(flat, [n], 'int64'), indexShape, dims, others, at: adjacent ? dims[0] : 0 };
}

/** The view with the indexed dims first (a permuted view when they are not already). */
function indexedFirst(view: Tensor, a: Advanced): Tensor {
  const order = [...a.dims, ...a.others];
  return order.every((d, k) => d === k) ? view : permute(view, order);
}

/** Moves the leading `k` dims of t (the index dims) to position `at`. */
function placeIndexDims(t: Tensor, k: number, at: number): Tensor {
  if (at === 0) return t;
  const order = t.shape.map((_, d) => d);
  const lead = order.splice(0, k);
  order.splice(at, 0, ...lead);
  return permute(t, order);
}

/** x[keys]: Python's __getitem__. */
export function getitem(x: Tensor, keys: IndexKey[]): Tensor {
  const { view, advanced } = applyBasic(x, readKeys(keys));
  if (advanced.length === 0) return view;
  const a = advancedIndex(view, advanced);
  const rest = a.others.map((d) => view.shape[d]);
  // one index tensor: index_select along its dim, no transposition
  if (advanced.length === 1) {
    const d = a.dims[0];
    return reshape(index_select(view, d, a.flat), [...rest.slice(0, d), ...a.indexShape, ...rest.slice(d)]);
  }
  const merged = reshape(indexedFirst(view, a), [numelOf(a.dims.map((d) => view.shape[d])), ...rest]);
  const picked = reshape(index_select(merged, 0, a.flat), [...a.indexShape, ...rest]);
  return placeIndexDims(picked, a.indexShape.length, a.at);
}

type Value = Tensor | number | boolean;

/** x[keys] = value: Python's __setitem__, in place (through autograd as CopySlices when x's history is recorded). */
export function setitem(x: Tensor, keys: IndexKey[], value: Value): void {
  if (!(value instanceof Tensor) && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`can't assign a ${value === null ? 'NoneType' : typeof value === 'string' ? 'str' : typeof value} to a ${`torch.${scalarTypeName(x.dtype)}Tensor`}`);
  }
  const items = readKeys(keys);
  // x[mask] = v over all of x's dims: a masked fill
  if (items.length === 1 && items[0].kind === 'tensor' && items[0].t.dtype === 'bool' && sameShape(items[0].t.shape, x.shape) &&
    (!(value instanceof Tensor) || value.numel() === 1)) {
    const mask = items[0].t, v = value instanceof Tensor ? value.reshape([]) : Number(value);
    applyInPlace(x, (old) => masked_fill(old, mask, v));
    return;
  }
  const { view, advanced } = applyBasic(x, items);
  if (advanced.length === 0) {
    if (value instanceof Tensor) copy_(view, stripLeadingOnes(value).expand(view.shape));
    else fill_(view, Number(value));
    return;
  }
  const a = advancedIndex(view, advanced);
  const rest = a.others.map((d) => view.shape[d]);
  const resultShape = [...rest];
  resultShape.splice(a.at, 0, ...a.indexShape);
  const n = value instanceof Tensor ? 0 : Number(value);
  let v = value instanceof Tensor ? stripLeadingOnes(value) : tensor(n, { dtype: x.dtype === 'float32' || !Number.isInteger(n) ? 'float32' : x.dtype });
  try {
    v = v.expand(resultShape);
  } catch {
    throw new Error(`shape mismatch: value tensor of shape ${shapeStr(value instanceof Tensor ? value.shape : [])} cannot be broadcast to indexing result of shape ${shapeStr(resultShape)}`);
  }
  // the values with the index dims first, as the target's
  const k = a.indexShape.length;
  if (a.at > 0) {
    const order = resultShape.map((_, d) => d);
    const idx = order.splice(a.at, k);
    v = permute(v, [...idx, ...order]);
  }
  const target = indexedFirst(view, a);
  // index_put_ on the permuted view, whose leading dims are the indexed ones (the indices were checked above)
  index_put_(target, advanced.map((e) => e.index), v);
}

/** PyTorch drops a value's leading size-1 dims before broadcasting it into x[...] (slicePrefix1sSize). */
function stripLeadingOnes(v: Tensor): Tensor {
  let k = 0;
  while (k < v.dim() && v.shape[k] === 1) k++;
  return k === 0 ? v : v.reshape(v.shape.slice(k));
}
