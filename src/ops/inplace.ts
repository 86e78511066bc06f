// In-place ops write into the tensor's own storage and bump its version, so
// autograd can tell when a saved tensor was changed. They are allowed on
// leaves that require grad only under no_grad (as optimizer updates are).
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { type DType, isIntegral } from '../dtype.js';
import { is_grad_enabled, no_grad, record } from '../autograd/engine.js';
import { K, tick, ptr, copyInto, contiguousCopy, sameShape, broadcastShapes, shapeStr, asFloat, fromFloat, empty, composite } from './core.js';
import { add, sub, mul, div } from './elementwise.js';
import { clone } from './shape.js';

/** PyTorch's rules for writing into a tensor autograd may need. */
function checkInPlace(t: Tensor): void {
  if (!is_grad_enabled()) return;
  if (t.requires_grad && t.is_leaf) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
  const base = t._base;
  if (base !== null && base.requires_grad) {
    if (base.is_leaf) throw new Error('a view of a leaf Variable that requires grad is being used in an in-place operation.');
    throw new Error('wasmtorch does not yet support in-place operations on a view of a tensor that requires grad ' +
      '(its base would need its history rewritten); compute the result out of place instead (e.g. with torch.cat or torch.where)');
  }
}

function checkBroadcastInto(t: Tensor, other: Tensor): void {
  const shape = broadcastShapes(t.shape, other.shape);
  if (!sameShape(shape, t.shape)) {
    throw new Error(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(shape)}`);
  }
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

function inPlace(op: (a: Tensor, b: TensorOrScalar) => Tensor) {
  return (t: Tensor, other: TensorOrScalar): void => {
    checkInPlace(t);
    if (other instanceof Tensor) checkBroadcastInto(t, other);
    const tracked = is_grad_enabled() && (t.requires_grad || (other instanceof Tensor && other.requires_grad));
    if (!tracked) {
      composite(() => write(t, no_grad(() => op(t, other)))); // the result is a temporary
      return;
    }
    // the result's graph refers to the old value: a snapshot of t, or a copy when
    // the other operand's gradient would read the value this op overwrites
    let before = snapshot(t);
    if (other instanceof Tensor && other.requires_grad) before = clone(before);
    const result = op(before, other);
    write(t, result);
    t.grad_fn = result.grad_fn;
    t.requires_grad = true;
  };
}

/** t's new value does not depend on its old one: the old history gets a zero gradient. */
function overwriteHistory(t: Tensor, name: string, src: Tensor | null): void {
  if (!is_grad_enabled() || !(t.requires_grad || (src !== null && src.requires_grad))) return;
  const old = t.requires_grad ? snapshot(t) : null;
  t.grad_fn = null;
  record(t, name, [old, src], (g, needs) => [needs[0] ? g.mul(0) : null, needs[1] ? g : null]);
}

export const add_ = (t: Tensor, other: TensorOrScalar, options?: { alpha?: number }): void =>
  inPlace((a, b) => add(a, b, options))(t, other);
export const sub_ = (t: Tensor, other: TensorOrScalar, options?: { alpha?: number }): void =>
  inPlace((a, b) => sub(a, b, options))(t, other);
export const mul_ = inPlace(mul);
export const div_ = inPlace(div);

export function fill_(t: Tensor, value: number): void {
  checkInPlace(t);
  tick();
  if (t.is_contiguous()) {
    if (t.numel() > 0) {
      if (isIntegral(t.dtype)) K.fill_i32(ptr(t), t.numel(), value);
      else K.fill(ptr(t), t.numel(), value);
    }
  } else {
    const src = empty([], t.dtype);
    if (isIntegral(t.dtype)) K.fill_i32(ptr(src), 1, value);
    else K.fill(ptr(src), 1, value);
    copyInto(t, src);
  }
  t.storage.version++;
  overwriteHistory(t, 'FillBackward0', null);
}

export function copy_(t: Tensor, src: Tensor): void {
  checkInPlace(t);
  checkBroadcastInto(t, src);
  write(t, src);
  overwriteHistory(t, 'CopyBackwards', src);
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
  if (isIntegral(dtype) && isIntegral(t.dtype)) {
    const c = t.detach().clone();
    c.dtype = dtype;
    return c;
  }
  // to float32 or an integer type: a float32 copy first (bools are stored as 0/1 floats)
  const g = asFloat(t);
  const f = g === t ? contiguousCopy(t) : g;
  f.dtype = 'float32';
  return fromFloat(f, dtype);
}
