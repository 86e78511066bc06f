// In-place ops write into the tensor's own storage and bump its version, so
// autograd can tell when a saved tensor was changed. They are allowed on
// leaves that require grad only under no_grad (as optimizer updates are).
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { type DType, isIntegral } from '../dtype.js';
import { is_grad_enabled } from '../autograd/engine.js';
import { K, tick, ptr, copyInto, contiguousCopy, sameShape, broadcastShapes, shapeStr, asFloat, fromFloat, empty } from './core.js';
import { add, sub, mul, div } from './elementwise.js';

function checkInPlace(t: Tensor): void {
  if (is_grad_enabled() && t.requires_grad && t.is_leaf) {
    throw new Error('a leaf Variable that requires grad is being used in an in-place operation.');
  }
}

/** Writes `result` (same shape) into t's storage; t takes over result's graph. */
function assign(t: Tensor, result: Tensor): void {
  if (!sameShape(result.shape, t.shape)) {
    throw new Error(`output with shape ${shapeStr(t.shape)} doesn't match the broadcast shape ${shapeStr(result.shape)}`);
  }
  const src = isIntegral(t.dtype) === isIntegral(result.dtype) ? result : result.to(t.dtype);
  copyInto(t, src);
  t.storage.version++;
  if (result.requires_grad && is_grad_enabled()) {
    t.grad_fn = result.grad_fn;
    t.requires_grad = true;
  }
}

function inPlace(op: (a: Tensor, b: TensorOrScalar) => Tensor) {
  return (t: Tensor, other: TensorOrScalar): void => {
    checkInPlace(t);
    if (other instanceof Tensor) broadcastShapes(t.shape, other.shape);
    // the graph of the result refers to the old value through a snapshot
    const before = t.requires_grad ? snapshot(t) : t;
    assign(t, op(before, other));
  };
}

/** A tensor object with t's current graph identity (used before t is overwritten). */
function snapshot(t: Tensor): Tensor {
  const s = new Tensor(t.storage, t.shape, t._strides, t.offset, t.dtype);
  s.requires_grad = t.requires_grad;
  s.grad_fn = t.grad_fn;
  return s;
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
}

export function copy_(t: Tensor, src: Tensor): void {
  checkInPlace(t);
  broadcastShapes(t.shape, src.shape);
  const s = isIntegral(t.dtype) === isIntegral(src.dtype) ? src : src.to(t.dtype);
  if (t.numel() > 0) copyInto(t, s);
  t.storage.version++;
  if (src.requires_grad && is_grad_enabled()) assign(t, src);
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
  t.storage = value.storage;
  t.shape = value.shape.slice();
  t._strides = value._strides.slice();
  t.offset = value.offset;
  t.dtype = value.dtype;
  if (t.requires_grad || t.storage.persistent) t.storage.persistent = true;
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
