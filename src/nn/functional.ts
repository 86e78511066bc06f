// torch.nn.functional: activations are the ops themselves; losses are
// compositions of ops, so they need no gradient code.
import { lossOptions, reductionOf, type Reduction, type LossOptions } from './loss_args.js';
import { Tensor } from '../tensor.js';
import { isIntegral, scalarTypeName } from '../dtype.js';
import * as ops from '../ops/index.js';
import { shapeStr, composite } from '../ops/core.js';
import { record, no_grad as torch_no_grad, is_grad_enabled } from '../autograd/engine.js';

export { relu, sigmoid, tanh, gelu, silu, leaky_relu, softplus, linear, softmax, log_softmax, embedding } from '../ops/index.js';
export { batch_norm, layer_norm, group_norm, dropout, dropout2d } from './normalization.js';
export { one_hot } from '../ops/sorting.js';
export { elu, selu, celu, hardtanh, relu6, hardsigmoid, hardswish, logsigmoid, softsign, mish, tanhshrink, glu } from './activations.js';
export { pad, interpolate, normalize, max_pool1d, avg_pool1d } from './resampling.js';
export { conv1d, conv2d, max_pool2d, avg_pool2d, adaptive_avg_pool2d, adaptive_max_pool2d, unfold, type ConvOptions, type PoolOptions } from '../ops/conv.js';

export type { Reduction, LossOptions } from './loss_args.js';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? loss.mean() : reduction === 'sum' ? loss.sum() : loss;
}

function checkSameSize(input: Tensor, target: Tensor, name: string): void {
  if (!ops.sameShape(input.shape, target.shape)) {
    // PyTorch warns and broadcasts for mse/l1; a mismatch is almost always a bug, so say so
    ops.broadcastShapes(input.shape, target.shape);
    console.warn(`${name}: Using a target size (torch.Size(${shapeStr(target.shape)})) that is different to the input size ` +
      `(torch.Size(${shapeStr(input.shape)})). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`);
  }
}

export function mse_loss(input: Tensor, target: Tensor, options: LossOptions | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions>('mse_loss', input, target, options, rest);
  checkSameSize(input, target, 'mse_loss');
  return composite(() => {
    const d = input.sub(target);
    return reduce(d.mul(d), reductionOf(o));
  });
}

export function l1_loss(input: Tensor, target: Tensor, options: LossOptions | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions>('l1_loss', input, target, options, rest);
  checkSameSize(input, target, 'l1_loss');
  return composite(() => reduce(input.sub(target).abs(), reductionOf(o)));
}

export function smooth_l1_loss(input: Tensor, target: Tensor, options: LossOptions & { beta?: number } | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions & { beta?: number }>('smooth_l1_loss', input, target, options, rest);
  checkSameSize(input, target, 'smooth_l1_loss');
  const beta = o.beta ?? 1;
  if (beta < 0) throw new Error('smooth_l1_loss does not support negative values for beta.');
  return composite(() => {
    const d = input.sub(target).abs();
    const loss = beta === 0 ? d : ops.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta));
    return reduce(loss, reductionOf(o));
  });
}

export function binary_cross_entropy(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions & { weight?: Tensor | null }>('binary_cross_entropy', input, target, options, rest);
  if (!ops.sameShape(input.shape, target.shape)) {
    throw new Error(`Using a target size (torch.Size(${shapeStr(target.shape)})) that is different to the input size (torch.Size(${shapeStr(input.shape)})) is deprecated. Please ensure they have the same size.`);
  }
  return composite(() => {
    let loss = bceElementwise(input, target);
    if (o.weight) loss = loss.mul(o.weight);
    return reduce(loss, reductionOf(o));
  });
}

/**
 * -(t log x + (1 - t) log(1 - x)), the logs clamped at -100 as PyTorch does so
 * that inputs of exactly 0 or 1 give finite losses; its gradient is PyTorch's
 * (x - t) / max(x (1 - x), 1e-12), finite there too.
 */
function bceElementwise(input: Tensor, target: Tensor): Tensor {
  const logs = (x: Tensor) => [ops.clamp(x.log(), -100), ops.clamp(ops.sub(1, x).log(), -100)];
  const loss = torch_no_grad(() => {
    const [logP, log1mP] = logs(input);
    return target.mul(logP).add(ops.sub(1, target).mul(log1mP)).neg();
  });
  return record(loss, 'BinaryCrossEntropyBackward0', [input, target], (g, needs) => [
    needs[0] ? g.mul(input.sub(target)).div(ops.clamp(input.mul(ops.sub(1, input)), 1e-12)) : null,
    needs[1] ? (() => { const [logP, log1mP] = logs(input); return g.mul(log1mP.sub(logP)); })() : null,
  ], [input, target]);
}

export function binary_cross_entropy_with_logits(input: Tensor, target: Tensor,
  options: LossOptions & { weight?: Tensor | null; pos_weight?: Tensor | null } | Tensor | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions & { weight?: Tensor | null; pos_weight?: Tensor | null }>('binary_cross_entropy_with_logits', input, target, options, rest);
  if (!ops.sameShape(input.shape, target.shape)) {
    throw new Error(`Target size (torch.Size(${shapeStr(target.shape)})) must be the same as input size (torch.Size(${shapeStr(input.shape)}))`);
  }
  return composite(() => {
    // (1 - t) x + (1 + (pw - 1) t) softplus(-x)
    const sp = ops.softplus(input.neg());
    const coeff = o.pos_weight ? o.pos_weight.sub(1).mul(target).add(1) : null;
    let loss = ops.sub(1, target).mul(input).add(coeff ? coeff.mul(sp) : sp);
    if (o.weight) loss = loss.mul(o.weight);
    return reduce(loss, reductionOf(o));
  });
}

export interface NLLOptions extends LossOptions {
  /** a manual rescaling weight per class */
  weight?: Tensor | null;
  /** targets equal to it contribute nothing, to the loss or to the mean's denominator */
  ignore_index?: number;
}
export interface CrossEntropyOptions extends NLLOptions {
  /** mixes the target with the uniform distribution over classes */
  label_smoothing?: number;
}

/** Checks class-index targets: dtype, shape; the values are checked where they are read. */
function checkTarget(input: Tensor, target: Tensor, name: string): void {
  if (!isIntegral(target.dtype)) {
    throw new Error(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  }
  const expected = input.dim() === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!ops.sameShape(target.shape, expected)) {
    if (input.dim() >= 2 && target.dim() >= 1 && input.shape[0] !== target.shape[0]) {
      throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    throw new Error(`${name}: expected target of shape ${shapeStr(expected)} for input of shape ${shapeStr(input.shape)}, got ${shapeStr(target.shape)}`);
  }
}

function targetOutOfBounds(value: number): never {
  throw new Error(`Target ${value} is out of bounds.`);
}

/** input as [outer, C, inner] around the class dim (dim 1, or 0 for a single sample). */
function classBlocks(input: Tensor): [number, number, number] {
  if (input.dim() === 1) return [1, input.shape[0], 1];
  return [input.shape[0], input.shape[1], input.shape.slice(2).reduce((a, b) => a * b, 1)];
}

/**
 * A loss's mean over the weight of the targets not ignored: total / weight, or, when every target is ignored
 * (weight 0), nan with a zero gradient, as PyTorch's (a gradient of total / 0 would be nan everywhere).
 */
function weightedMean(total: Tensor, weight: Tensor | number): Tensor {
  const w = typeof weight === 'number' ? weight : weight.item();
  return w === 0 ? total.mul(0).add(NaN) : total.div(weight);
}

/** nll_loss(input [N, C, ...] log-probabilities, target [N, ...] class indices). */
export function nll_loss(input: Tensor, target: Tensor, options: NLLOptions | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<NLLOptions>('nll_loss', input, target, options, rest);
  checkTarget(input, target, 'nll_loss');
  const classDim = input.dim() === 1 ? 0 : 1;
  const ignore = o.ignore_index ?? -100;
  const classes = input.shape[classDim];
  const t = target.dataSync();
  for (let i = 0; i < t.length; i++) if (t[i] !== ignore && (t[i] < 0 || t[i] >= classes)) targetOutOfBounds(t[i]);
  return composite(() => {
    const valid = target.ne(ignore);
    const safe = ops.where(valid, target, 0).to('int64'); // ignored targets pick class 0, then get weight 0
    const picked = ops.gather(input, classDim, safe.unsqueeze(classDim)).squeeze(classDim).neg();
    let w: Tensor = valid.float();
    if (o.weight) w = w.mul(ops.index_select(o.weight, 0, safe.reshape([-1])).reshape(safe.shape));
    const loss = picked.mul(w);
    const reduction = reductionOf(o);
    if (reduction === 'mean') return weightedMean(loss.sum(), w.sum());
    return reduction === 'sum' ? loss.sum() : loss;
  });
}

/**
 * log_softmax + nll in one kernel pass (class-index targets, no weights, no
 * smoothing: the common case). The gradient, (softmax - onehot) * g, is
 * written with ops so that it can be differentiated again.
 */
function crossEntropyIndices(input: Tensor, target: Tensor, ignore: number): { loss: Tensor; count: number } {
  const [outer, classes, inner] = classBlocks(input);
  const x = ops.dense(input), idx = ops.asIndex(target);
  ops.tick();
  const logp = ops.empty(input.shape.slice(), 'float32');
  const loss = ops.empty(target.shape.slice(), 'float32');
  if (loss.numel() > 0) {
    const bad = ops.K.log_softmax_nll(ops.ptr(x), ops.ptr(idx), ops.ptr(logp), ops.ptr(loss), outer, classes, inner, ignore);
    if (bad >= 0) targetOutOfBounds(idx.dataSync()[bad]);
  }
  const valid = target.ne(ignore);
  const count = valid.sum().item();
  const classDim = input.dim() === 1 ? 0 : 1;
  record(loss, 'NllLossBackward0', [input], (g) => {
    const classIndex = ops.arange(classes, { dtype: 'int64' }).reshape(input.shape.map((s, i) => (i === classDim ? s : 1)));
    const onehot = classIndex.eq(target.unsqueeze(classDim)).float();
    const gv = g.mul(valid).unsqueeze(classDim);
    // with create_graph the softmax is recomputed from the input, so the gradient has a graph too
    const softmax = is_grad_enabled() ? ops.softmax(input, classDim) : logp.exp();
    return [softmax.sub(onehot).mul(gv)];
  }, [logp, valid, target]);
  return { loss, count };
}

export function cross_entropy(input: Tensor, target: Tensor, options: CrossEntropyOptions | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<CrossEntropyOptions>('cross_entropy', input, target, options, rest);
  const classDim = input.dim() === 1 ? 0 : 1;
  const classes = input.shape[classDim];
  const reduction = reductionOf(o);
  const smoothing = o.label_smoothing ?? 0;
  if (!(smoothing >= 0 && smoothing <= 1)) throw new Error(`label_smoothing must be between 0.0 and 1.0. Got: ${smoothing}`);
  if (!isIntegral(target.dtype) && ops.sameShape(target.shape, input.shape)) {
    // class probabilities
    return composite(() => {
      const logp = ops.log_softmax(input, classDim);
      const p = smoothing > 0 ? target.mul(1 - smoothing).add(smoothing / classes) : target;
      const wShape = input.shape.map((s, i) => (i === classDim ? s : 1));
      const terms = logp.mul(p).mul(o.weight ? o.weight.reshape(wShape) : 1).neg();
      if (reduction === 'none') return terms.sum(classDim);
      return reduction === 'sum' ? terms.sum() : terms.sum().div(input.numel() / classes);
    });
  }
  checkTarget(input, target, 'cross_entropy');
  const ignore = o.ignore_index ?? -100;
  if (!o.weight && smoothing === 0) {
    return composite(() => {
      const { loss, count } = crossEntropyIndices(input, target, ignore);
      if (reduction === 'none') return loss;
      return reduction === 'sum' ? loss.sum() : weightedMean(loss.sum(), count);
    });
  }
  return composite(() => {
    const logp = ops.log_softmax(input, classDim);
    const nll = nll_loss(logp, target, { weight: o.weight, ignore_index: ignore, reduction });
    if (smoothing === 0) return nll;
    // PyTorch's label smoothing: (1 - e) nll + e / C * (-sum over classes of (weighted) logp)
    const wShape = input.shape.map((s, i) => (i === classDim ? s : 1));
    const valid = target.ne(ignore);
    const smooth = (o.weight ? logp.mul(o.weight.reshape(wShape)) : logp).sum(classDim).neg().mul(valid);
    let smoothed: Tensor;
    if (reduction === 'none') smoothed = smooth;
    else if (reduction === 'sum') smoothed = smooth.sum();
    else if (o.weight) {
      const safe = ops.where(valid, target, 0).to('int64').reshape([-1]);
      smoothed = weightedMean(smooth.sum(), ops.index_select(o.weight, 0, safe).mul(valid.reshape([-1])).sum());
    } else smoothed = weightedMean(smooth.sum(), valid.sum()); // over the targets not ignored
    return nll.mul(1 - smoothing).add(smoothed.mul(smoothing / classes));
  });
}

export function huber_loss(input: Tensor, target: Tensor, options: LossOptions & { delta?: number } | boolean | null = {}, ...rest: unknown[]): Tensor {
  const o = lossOptions<LossOptions & { delta?: number }>('huber_loss', input, target, options, rest);
  checkSameSize(input, target, 'huber_loss');
  const delta = o.delta ?? 1;
  if (!(delta > 0)) throw new Error('huber_loss does not support non-positive values for delta.');
  return composite(() => {
    const d = input.sub(target).abs();
    const loss = ops.where(d.lt(delta), d.mul(d).mul(0.5), d.sub(0.5 * delta).mul(delta));
    return reduce(loss, reductionOf(o));
  });
}
