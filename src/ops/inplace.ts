// In-place ops write into the tensor's own storage and bump its version, so
// autograd can tell when a saved tensor was changed. They are allowed on
// leaves that require grad only under no_grad (as optimizer updates are).
import { op } from '../signature.js';
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { type DType, isIntegral } from '../dtype.js';
import { is_grad_enabled, no_grad, record } from '../autograd/engine.js';
import { K, codes, tick, ptr, copyInto, contiguousCopy, sameShape, broadcastShapes, shapeStr, toDtypeRaw, fillInteger, empty, composite } from './core.js';
import { add, sub, mul, div, binaryInPlace } from './elementwise.js';
import { clone } from './shape.js';
import { zeros, full } from './creation.js';
import { indexPut, index_copy, index_add } from './indexing.js';

/** PyTorch's rules for writing into a tensor autograd may need. */
function checkInPlace(t: Tensor): void {
  if (!is_grad_enabled()) return;
  if (t.requires_grad && t.is_leaf) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = t._base;
  if (base !== null && base.requires_grad && base.is_leaf) {
    throw new Error('a view of a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

function checkBroadcastInto(t: Tensor, other: Tensor): void {
  const shape = broadcastShapes(t.shape, other.shape);
  if (!sameShape(shape, t.shape)) {
    throw new Error(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  }
}

/** t's new value computed out of place, untracked, then written into t (temporaries freed at once). */
function writeUntracked(t: Tensor, compute: (old: Tensor) => Tensor): void {
  composite(() => write(t, no_grad(() => compute(t))));
}

/** A tensor object with t's current graph identity (used before t is overwritten). */
function snapshot(t: Tensor): Tensor {
  const s = new Tensor(t.storage, t.shape, t._strides, t.offset, t.dtype);
  s.requires_grad = t.requires_grad;
  s.grad_fn = t.grad_fn;
  return s;
}

/** Writes src's values (broadcast, converted to t's dtype) into t's storage. */
function write(t: Tensor, src: Tensor): void {
  const s = isIntegral(t.dtype) === isIntegral(src.dtype) ? src : src.to(t.dtype);
  if (t.numel() > 0) copyInto(t, s.detach());
  t.storage.version++;
}

/**
 * Runs an in-place op on t: `compute(old)` gives t's new value (a graph from
 * old, when tracked), which is written into t's storage. Autograd sees t as
 * that result; when t is a view, its base's history is rewritten too
 * (PyTorch's CopySlices): the base's gradient flows to the written region's
 * new value, and around it to the base's old value.
 */
function update(t: Tensor, compute: (old: Tensor) => Tensor, operands: (Tensor | null)[],
  untracked = () => writeUntracked(t, compute)): void {
  checkInPlace(t);
  const base = t._base;
  const tracked = is_grad_enabled() && (t.requires_grad || (base?.requires_grad ?? false) || operands.some((o) => o?.requires_grad));
  if (!tracked) {
    untracked();
    return;
  }
  if (base === null) {
    // the old value is copied: the result's backward may read what this write overwrites
    const result = compute(clone(snapshot(t)));
    write(t, result);
    t.grad_fn = result.grad_fn;
    t.requires_grad = result.requires_grad;
    return;
  }
  if (!base.is_contiguous()) {
    throw new Error('wasmtorch does not support in-place operations that autograd records on a view of a non-contiguous ' +
      'tensor; compute the result out of place instead (e.g. with torch.cat or torch.where)');
  }
  const oldBase = snapshot(base);
  const result = compute(clone(region(oldBase, t)));
  write(t, result);
  base.grad_fn = null;
  record(base, 'CopySlices', [oldBase, result], (g, needs) => [
    needs[0] ? g.sub(embed(region(g, t), t)) : null, // g with the region zeroed
    needs[1] ? region(g, t) : null,
  ]);
  t.grad_fn = null;
  record(t, 'AsStridedBackward0', [snapshot(base)], (g) => [embed(g, t)]);
}

/** The part of `whole` (shaped as view t's base) that t covers, tracked by autograd. */
function region(whole: Tensor, t: Tensor): Tensor {
  const w = whole.is_contiguous() ? whole : clone(whole);
  const part = new Tensor(w.storage, t.shape.slice(), t._strides.slice(), w.offset + (t.offset - t._base!.offset), w.dtype);
  part._base = w._base ?? w;
  return record(part, 'AsStridedBackward0', [whole], (g) => [embed(g, t)]);
}

/** t = compute(t) in place (F.relu(x, { inplace: true }) and friends), recorded for autograd as the other in-place ops. */
export function applyInPlace(t: Tensor, compute: (old: Tensor) => Tensor): Tensor {
  update(t, compute, []);
  return t;
}

/** Zeros shaped as view t's base with g where t lies: region's adjoint. */
function embed(g: Tensor, t: Tensor): Tensor {
  const out = zeros(t._base!.shape.slice());
  const part = new Tensor(out.storage, t.shape.slice(), t._strides.slice(), t.offset - t._base!.offset, out.dtype);
  if (part.numel() > 0) copyInto(part, g.detach());
  return record(out, 'AsStridedScatterBackward0', [g], (gg) => [region(gg, t)]);
}

/** A value for t that does not depend on its old one: the old history gets a zero gradient. */
function overwrite(old: Tensor, name: string, value: Tensor, src: Tensor | null): Tensor {
  const out = contiguousCopy(value.detach());
  return record(out, name, [old, src], (g, needs) => [needs[0] ? g.mul(0) : null, needs[1] ? g : null]);
}

/** An in-place binary op; untracked, it runs kernel `code` (when given) straight into t. */
function inPlace(op: (a: Tensor, b: TensorOrScalar) => Tensor, code?: number) {
  return (t: Tensor, other: TensorOrScalar): void => {
    if (other instanceof Tensor) checkBroadcastInto(t, other);
    const compute = (old: Tensor): Tensor => op(old, other);
    update(t, compute, [other instanceof Tensor ? other : null], () => {
      if (code !== undefined && binaryInPlace(code, t, other)) t.storage.version++;
      else writeUntracked(t, compute);
    });
  };
}

const plainAlpha = (options?: { alpha?: number }) => options?.alpha === undefined || options.alpha === 1;
export const add_ = (t: Tensor, other: TensorOrScalar, options?: { alpha?: number }): void =>
  inPlace((a, b) => add(a, b, options), plainAlpha(options) ? codes.B_ADD : undefined)(t, other);
export const sub_ = (t: Tensor, other: TensorOrScalar, options?: { alpha?: number }): void =>
  inPlace((a, b) => sub(a, b, options), plainAlpha(options) ? codes.B_SUB : undefined)(t, other);
export const mul_ = inPlace((a, b) => mul(a, b), codes.B_MUL); // arrows: elementwise.ts and this module import each other
export const div_ = inPlace((a, b) => div(a, b), codes.B_DIV);

export function fill_(t: Tensor, value: number): void {
  update(t, (old) => overwrite(old, 'FillBackward0', full(old.shape.slice(), value, { dtype: old.dtype }), null), [],
    () => fillUntracked(t, value));
}

function fillUntracked(t: Tensor, value: number): void {
  tick();
  if (t.is_contiguous()) {
    if (t.numel() > 0) {
      if (isIntegral(t.dtype)) fillInteger(t.dtype, ptr(t), t.numel(), value);
      else K.fill(ptr(t), t.numel(), value);
    }
  } else {
    const src = empty([], t.dtype);
    if (isIntegral(t.dtype)) fillInteger(t.dtype, ptr(src), 1, value);
    else K.fill(ptr(src), 1, value);
    copyInto(t, src);
  }
  t.storage.version++;
}

export function copy_(t: Tensor, src: Tensor): void {
  checkBroadcastInto(t, src);
  update(t, (old) => overwrite(old, 'CopyBackwards', src.expand(old.shape), src), [src], () => write(t, src));
}

export const index_put_ = op<(input: Tensor, indices: Tensor[], values: Tensor | number, accumulate?: boolean | { accumulate?: boolean }) => Tensor>(
  'index_put_(Tensor input, Tensor[] indices, Tensor|float values, bool accumulate=False) -> Tensor',
  (t: Tensor, indices: Tensor[], values: Tensor | number, accumulate: boolean): Tensor => {
    update(t, (old) => indexPut(old, indices, values, accumulate), [values instanceof Tensor ? values : null]);
    return t;
  });
export function index_copy_(t: Tensor, dim: number, index: Tensor, source: Tensor): void {
  update(t, (old) => index_copy(old, dim, index, source), [source]);
}
export function index_add_(t: Tensor, dim: number, index: Tensor, source: Tensor, options: { alpha?: number } = {}): void {
  update(t, (old) => index_add(old, dim, index, source, options), [source]); // index_add checks the arguments
}

/** grad += g without a temporary (leaf gradient accumulation). */
export function accumulate_(grad: Tensor, g: Tensor): void {
  if (grad.is_contiguous() && g.is_contiguous() && sameShape(grad.shape, g.shape)) {
    tick();
    K.axpy(ptr(grad), ptr(g), grad.numel(), 1);
  } else {
    copyInto(grad, add(grad.detach(), g.detach()));
  }
  grad.storage.version++;
}

/** `t.data = value`: t now holds value's storage (shape may change), graph kept. */
export function setData(t: Tensor, value: Tensor): void {
  const keep = t.requires_grad || t.storage.persistent; // a parameter's or a buffer's data stays owned
  t.storage = value.storage;
  t.shape = value.shape.slice();
  t._strides = value._strides.slice();
  t.offset = value.offset;
  t.dtype = value.dtype;
  if (keep) t.storage.persistent = true;
}

/** Tensor.to(dtype): a converted copy (or t itself when it already has that dtype). */
export function toDtype(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  if (dtype === 'bool') return t.ne(0);
  if (dtype === 'float32' && t.dtype === 'bool') {
    const f = contiguousCopy(t); // bools are stored as 0/1 floats
    f.dtype = 'float32';
    return f;
  }
  return toDtypeRaw(t, dtype);
}
