// The activations beyond the course's (elu, selu, celu, glu, logsigmoid,
// hardtanh, relu6, hardsigmoid, hardswish, softsign, mish), each composed of
// ops; hardtanh records PyTorch's gradient (zero at the bounds) itself.
import { op } from '../signature.js';
import { Tensor } from '../tensor.js';
import * as ops from '../ops/index.js';
import { composite } from '../ops/core.js';
import { record } from '../autograd/engine.js';
import { applyInPlace } from '../ops/inplace.js';

type InplaceCall<O> = (input: Tensor, ...rest: (number | boolean | O)[]) => Tensor;
const inPlaceOr = (x: Tensor, inplace: boolean, f: (v: Tensor) => Tensor): Tensor => (inplace ? applyInPlace(x, f) : composite(() => f(x)));

const eluOf = (x: Tensor, alpha: number): Tensor => ops.where(x.gt(0), x, ops.expm1(x).mul(alpha));
export const elu = op<InplaceCall<{ alpha?: number; inplace?: boolean }>>('elu(Tensor input, float alpha=1.0, bool inplace=False) -> Tensor',
  (x: Tensor, alpha: number, inplace: boolean) => inPlaceOr(x, inplace, (v) => eluOf(v, alpha)));
const SELU_ALPHA = 1.6732632423543772848170429916717, SELU_SCALE = 1.0507009873554804934193349852946;
export const selu = op<InplaceCall<{ inplace?: boolean }>>('selu(Tensor input, bool inplace=False) -> Tensor',
  (x: Tensor, inplace: boolean) => inPlaceOr(x, inplace, (v) => eluOf(v, SELU_ALPHA).mul(SELU_SCALE)));
export const celu = op<InplaceCall<{ alpha?: number; inplace?: boolean }>>('celu(Tensor input, float alpha=1.0, bool inplace=False) -> Tensor',
  (x: Tensor, alpha: number, inplace: boolean) => {
    if (alpha === 0) throw new Error('ZeroDivisionError from Python::CPP, Inf or NaN, alpha==0 is not supported');
    return inPlaceOr(x, inplace, (v) => ops.where(v.gt(0), v, ops.expm1(v.div(alpha)).mul(alpha)));
  });

/** F.hardtanh(input, min_val=-1, max_val=1): clamp, with the gradient 0 at and past the bounds (PyTorch's). */
export const hardtanh = op<InplaceCall<{ min_val?: number; max_val?: number; inplace?: boolean }>>(
  'hardtanh(Tensor input, float min_val=-1.0, float max_val=1.0, bool inplace=False) -> Tensor',
  (x: Tensor, min: number, max: number, inplace: boolean) => {
    if (min > max) throw new Error('min_val cannot be greater than max_val');
    const f = (v: Tensor): Tensor => {
      const y = ops.clamp(v.detach(), min, max);
      return record(y, 'HardtanhBackward0', [v], (g) => [g.mul(v.gt(min).logical_and(v.lt(max)))], [v]);
    };
    return inplace ? applyInPlace(x, f) : f(x);
  });
export const relu6 = op<InplaceCall<{ inplace?: boolean }>>('relu6(Tensor input, bool inplace=False) -> Tensor',
  (x: Tensor, inplace: boolean) => hardtanh(x, 0, 6, inplace));
export const hardsigmoid = op<InplaceCall<{ inplace?: boolean }>>('hardsigmoid(Tensor input, bool inplace=False) -> Tensor',
  (x: Tensor, inplace: boolean) => inPlaceOr(x, inplace, (v) => hardtanh(v.add(3), 0, 6).div(6)));
export const hardswish = op<InplaceCall<{ inplace?: boolean }>>('hardswish(Tensor input, bool inplace=False) -> Tensor',
  (x: Tensor, inplace: boolean) => inPlaceOr(x, inplace, (v) => v.mul(hardtanh(v.add(3), 0, 6)).div(6)));

export const logsigmoid = op<(input: Tensor) => Tensor>('logsigmoid(Tensor input) -> Tensor', (x: Tensor) => composite(() => ops.softplus(x.neg()).neg()));
export const softsign = op<(input: Tensor) => Tensor>('softsign(Tensor input) -> Tensor', (x: Tensor) => composite(() => x.div(x.abs().add(1))));
export const mish = op<InplaceCall<{ inplace?: boolean }>>('mish(Tensor input, bool inplace=False) -> Tensor',
  (x: Tensor, inplace: boolean) => inPlaceOr(x, inplace, (v) => v.mul(ops.tanh(ops.softplus(v)))));
export const tanhshrink = op<(input: Tensor) => Tensor>('tanhshrink(Tensor input) -> Tensor', (x: Tensor) => composite(() => x.sub(ops.tanh(x))));

/** F.glu(input, dim=-1): the first half of dim times the sigmoid of the second. */
export const glu = op<(input: Tensor, dim?: number | { dim?: number }) => Tensor>('glu(Tensor input, int dim=-1) -> Tensor', (x: Tensor, dim: number) => {
  if (x.dim() === 0) throw new Error('glu does not support scalars because halving size must be even');
  const d = ops.normalizeDim(dim, x.dim());
  if (x.shape[d] % 2 !== 0) throw new Error(`Halving dimension must be even, but dimension ${d} is size ${x.shape[d]}`);
  const half = x.shape[d] / 2;
  return composite(() => x.narrow(d, 0, half).mul(ops.sigmoid(x.narrow(d, half, half))));
});
