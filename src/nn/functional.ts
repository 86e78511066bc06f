// torch.nn.functional: activations are the ops themselves; losses are
// compositions of ops, so they need no gradient code.
import { Tensor } from '../tensor.js';
import { isIntegral, scalarTypeName } from '../dtype.js';
import * as ops from '../ops/index.js';
import { shapeStr, composite } from '../ops/core.js';
import { record, no_grad as torch_no_grad } from '../autograd/engine.js';

export { relu, sigmoid, tanh, gelu, silu, leaky_relu, softplus, linear, softmax, log_softmax, embedding } from '../ops/index.js';

export type Reduction = 'none' | 'mean' | 'sum';
export interface LossOptions {
  reduction?: Reduction;
  /** legacy PyTorch argument: false means reduction 'sum' */
  size_average?: boolean;
  reduce?: boolean;
}

/** PyTorch's legacy size_average/reduce arguments mapped onto reduction. */
export function reductionOf(options: LossOptions = {}): Reduction {
  if (options.size_average !== undefined || options.reduce !== undefined) {
    if (options.reduce === false) return 'none';
    return options.size_average === false ? 'sum' : 'mean';
  }
  const r = options.reduction ?? 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new Error(`${r} is not a valid value for reduction`);
  return r;
}

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

export function mse_loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkSameSize(input, target, 'mse_loss');
  return composite(() => {
    const d = input.sub(target);
    return reduce(d.mul(d), reductionOf(options));
  });
}

export function l1_loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkSameSize(input, target, 'l1_loss');
  return composite(() => reduce(input.sub(target).abs(), reductionOf(options)));
}

export function smooth_l1_loss(input: Tensor, target: Tensor, options: LossOptions & { beta?: number } = {}): Tensor {
  checkSameSize(input, target, 'smooth_l1_loss');
  const beta = options.beta ?? 1;
  return composite(() => {
    const d = input.sub(target).abs();
    const loss = beta === 0 ? d : ops.where(d.lt(beta), d.mul(d).mul(0.5 / beta), d.sub(0.5 * beta));
    return reduce(loss, reductionOf(options));
  });
}

export function binary_cross_entropy(input: Tensor, target: Tensor, options: LossOptions & { weight?: Tensor | null } = {}): Tensor {
  if (!ops.sameShape(input.shape, target.shape)) {
    throw new Error(`Using a target size (torch.Size(${shapeStr(target.shape)})) that is different to the input size (torch.Size(${shapeStr(input.shape)})) is deprecated. Please ensure they have the same size.`);
  }
  return composite(() => {
    let loss = bceElementwise(input, target);
    if (options.weight) loss = loss.mul(options.weight);
    return reduce(loss, reductionOf(options));
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
  options: LossOptions & { weight?: Tensor | null; pos_weight?: Tensor | null } = {}): Tensor {
  if (!ops.sameShape(input.shape, target.shape)) {
    throw new Error(`Target size (torch.Size(${shapeStr(target.shape)})) must be the same as input size (torch.Size(${shapeStr(input.shape)}))`);
  }
  return composite(() => {
    // (1 - t) x + (1 + (pw - 1) t) softplus(-x), with softplus(-x) = log(1 + e^-|x|) + max(-x, 0)
    const sp = ops.log1p(input.abs().neg().exp()).add(ops.clamp(input.neg(), 0));
    const coeff = options.pos_weight ? options.pos_weight.sub(1).mul(target).add(1) : null;
    let loss = ops.sub(1, target).mul(input).add(coeff ? coeff.mul(sp) : sp);
    if (options.weight) loss = loss.mul(options.weight);
    return reduce(loss, reductionOf(options));
  });
}

function checkTarget(input: Tensor, target: Tensor, name: string): void {
  if (!isIntegral(target.dtype)) {
    throw new Error(`expected scalar type Long but found ${scalarTypeName(target.dtype)}`);
  }
  const expected = input.dim() === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (!ops.sameShape(target.shape, expected)) {
    if (input.dim() === 2 && target.dim() === 1) {
      throw new Error(`Expected input batch_size (${input.shape[0]}) to match target batch_size (${target.shape[0]}).`);
    }
    throw new Error(`${name}: expected target of shape ${shapeStr(expected)} for input of shape ${shapeStr(input.shape)}, got ${shapeStr(target.shape)}`);
  }
  const classes = input.dim() === 1 ? input.shape[0] : input.shape[1];
  const t = target.dataSync();
  for (let i = 0; i < t.length; i++) {
    if (t[i] < 0 || t[i] >= classes) throw new Error(`Target ${t[i]} is out of bounds.`);
  }
}

/** nll_loss(input [N, C, ...] log-probabilities, target [N, ...] class indices). */
export function nll_loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkTarget(input, target, 'nll_loss');
  const classDim = input.dim() === 1 ? 0 : 1;
  return composite(() => {
    const picked = ops.gather(input, classDim, target.unsqueeze(classDim)).squeeze(classDim).neg();
    return reduce(picked, reductionOf(options));
  });
}

export function cross_entropy(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  const classDim = input.dim() === 1 ? 0 : 1;
  return composite(() => nll_loss(ops.log_softmax(input, classDim), target, options));
}
