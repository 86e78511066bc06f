// Tests of values: isnan/isinf/isfinite, isclose/allclose/equal, and the
// one-sided clamps. Compositions of the elementwise kernels: no gradient code.
import { op } from '../signature.js';
import { Tensor } from '../tensor.js';
import { isIntegral, scalarTypeName } from '../dtype.js';
import { sameShape, broadcastShapes } from './core.js';
import { clamp } from './elementwise.js';
import { composite } from './core.js';
import { full } from './creation.js';

type Unary = (input: Tensor) => Tensor;
const noneOf = (x: Tensor, value: boolean): Tensor => full(x.shape.slice(), value ? 1 : 0, { dtype: 'bool' });

export const isnan = op<Unary>('isnan(Tensor input) -> Tensor', (x: Tensor) => (isIntegral(x.dtype) || x.dtype === 'bool' ? noneOf(x, false) : x.ne(x)));
export const isinf = op<Unary>('isinf(Tensor input) -> Tensor', (x: Tensor) => (isIntegral(x.dtype) || x.dtype === 'bool' ? noneOf(x, false) : x.abs().eq(Infinity)));
export const isposinf = op<Unary>('isposinf(Tensor input) -> Tensor', (x: Tensor) => (x.dtype !== 'float32' ? noneOf(x, false) : x.eq(Infinity)));
export const isneginf = op<Unary>('isneginf(Tensor input) -> Tensor', (x: Tensor) => (x.dtype !== 'float32' ? noneOf(x, false) : x.eq(-Infinity)));
// x - x is 0 exactly for finite x, NaN for infinities and NaN
export const isfinite = op<Unary>('isfinite(Tensor input) -> Tensor', (x: Tensor) => (x.dtype !== 'float32' ? noneOf(x, true) : x.sub(x).eq(0)));

type CloseCall = (input: Tensor, other: Tensor, rtol?: number | { rtol?: number; atol?: number; equal_nan?: boolean }, atol?: number, equal_nan?: boolean) => Tensor;
function closeness(a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean): Tensor {
  if (a.dtype !== b.dtype) throw new Error(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  if (rtol < 0) throw new Error(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new Error(`atol must be greater than or equal to zero, but got ${atol}`);
  const equal = a.eq(b); // infinities of one sign, and exact integers
  if (a.dtype !== 'float32') return equal;
  const within = a.sub(b).abs().le(b.abs().mul(rtol).add(atol));
  const close = equal.logical_or(within.logical_and(isfinite(a)).logical_and(isfinite(b)));
  return equalNan ? close.logical_or(isnan(a).logical_and(isnan(b))) : close;
}
/** torch.isclose: |input - other| <= atol + rtol * |other|, elementwise (equal infinities are close; NaNs only with equal_nan). */
export const isclose = op<CloseCall>('isclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> Tensor',
  (a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean) => closeness(a, b, rtol, atol, equalNan));
/** torch.allclose: isclose everywhere (the shapes broadcast), as a boolean. */
export const allclose = op<(...args: Parameters<CloseCall>) => boolean>(
  'allclose(Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False) -> bool',
  (a: Tensor, b: Tensor, rtol: number, atol: number, equalNan: boolean) => {
    broadcastShapes(a.shape, b.shape);
    return Boolean(closeness(a, b, rtol, atol, equalNan).logical_not().sum().item() === 0);
  });
/** torch.equal: the same shape and the same values (NaN is not equal to itself), as a boolean. */
export const equal = op<(input: Tensor, other: Tensor) => boolean>('equal(Tensor input, Tensor other) -> bool', (a: Tensor, b: Tensor) => {
  if (!sameShape(a.shape, b.shape)) return false;
  if (a.numel() === 0) return true;
  const t = a.dtype === b.dtype ? b : b.to(a.dtype);
  return Boolean(a.ne(t).sum().item() === 0);
});

type Bound = number | Tensor;
/** torch.clamp_min(input, min) and clamp_max(input, max): clamp with one bound. */
export const clamp_min = op<(input: Tensor, min: Bound | { min: Bound }) => Tensor>('clamp_min(Tensor input, float|Tensor min) -> Tensor',
  (x: Tensor, min: Bound) => clamp(x, min));
export const clamp_max = op<(input: Tensor, max: Bound | { max: Bound }) => Tensor>('clamp_max(Tensor input, float|Tensor max) -> Tensor',
  (x: Tensor, max: Bound) => clamp(x, null, max));

// ---- fused-looking compositions the optimizers of tutorials call --------------------------

type AddcCall = (input: Tensor, tensor1: Tensor, tensor2: Tensor, options?: { value?: number }) => Tensor;
/** torch.addcmul(input, tensor1, tensor2, *, value=1): input + value * tensor1 * tensor2. */
export const addcmul = op<AddcCall>('addcmul(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor',
  (x: Tensor, a: Tensor, b: Tensor, value: number) => composite(() => x.add(value === 1 ? a.mul(b) : a.mul(b).mul(value))));
/** torch.addcdiv(input, tensor1, tensor2, *, value=1): input + value * tensor1 / tensor2. */
export const addcdiv = op<AddcCall>('addcdiv(Tensor input, Tensor tensor1, Tensor tensor2, *, Scalar value=1) -> Tensor',
  (x: Tensor, a: Tensor, b: Tensor, value: number) => {
    if (isIntegral(a.dtype) && isIntegral(b.dtype)) {
      throw new Error('Integer division with addcdiv is no longer supported, and in a future release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.');
    }
    return composite(() => x.add(value === 1 ? a.div(b) : a.div(b).mul(value)));
  });
/** torch.lerp(input, end, weight): input + weight * (end - input). */
export const lerp = op<(input: Tensor, end: Tensor, weight: number | Tensor | { weight: number | Tensor }) => Tensor>(
  'lerp(Tensor input, Tensor end, float|Tensor weight) -> Tensor', (x: Tensor, end: Tensor, w: number | Tensor) => composite(() => x.add(end.sub(x).mul(w))));
