// torch.optim.RMSprop and torch.optim.Adagrad: fused wasm passes in PyTorch's
// order of float32 operations.
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, scalarOption, refuseUnsupported, requireNonNegative, type Params, type ParamGroup } from './optimizer.js';
import { signature } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';
import { type CallArgs } from '../signature.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

/** RMSprop's keyword arguments (all of them may also come by position, in PyTorch's order: it has no `*`). */
export interface RMSpropOptions {
  lr?: number | Tensor;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  /** only False (CUDA graphs) */
  capturable?: boolean;
  /** accepted: one implementation */
  foreach?: boolean | null;
  maximize?: boolean;
  /** only False: wasmtorch's step is not differentiable */
  differentiable?: boolean;
}
/** A param group's RMSprop options, in PyTorch's order. */
export interface RMSpropDefaults {
  lr: number; momentum: number; alpha: number; eps: number; centered: boolean; weight_decay: number; capturable: boolean;
  foreach: boolean | null; maximize: boolean; differentiable: boolean;
}

const RMSPROP = signature('RMSprop(Any params, float|Tensor lr=0.01, float alpha=0.99, float eps=1e-08, float weight_decay=0, ' +
  'float momentum=0, bool centered=False, bool capturable=False, bool? foreach=None, bool maximize=False, bool differentiable=False)');

export class RMSprop extends Optimizer<RMSpropDefaults> {
  static readonly signature = RMSPROP;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, alpha: number, eps: number, weight_decay: number, momentum: number,
    centered: boolean, capturable: boolean, foreach: boolean | null, maximize: boolean, differentiable: boolean], RMSpropOptions>) {
    const v = pyBindNamed(RMSPROP, [params, ...args]);
    const o: RMSpropDefaults = {
      lr: scalarOption('lr', v.lr),
      momentum: v.momentum as number,
      alpha: v.alpha as number,
      eps: v.eps as number,
      centered: v.centered as boolean,
      weight_decay: v.weight_decay as number,
      capturable: v.capturable as boolean,
      foreach: v.foreach as boolean | null,
      maximize: v.maximize as boolean,
      differentiable: v.differentiable as boolean,
    };
    // PyTorch's checks, in its order
    requireNonNegative(o, ['lr', 'eps', 'momentum', 'weight_decay', 'alpha']);
    refuseUnsupported('RMSprop', o, ['capturable', 'differentiable']);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & RMSpropDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({
      step: 0,
      square_avg: this.buffer(p),
      ...(g.momentum > 0 ? { momentum_buffer: this.buffer(p) } : {}),
      ...(g.centered ? { grad_avg: this.buffer(p) } : {}),
    }));
    s.step = (s.step as number) + 1;
    const sq = s.square_avg as Tensor;
    const ga = g.centered ? (s.grad_avg as Tensor) : null;
    const buf = g.momentum > 0 ? (s.momentum_buffer as Tensor) : null;
    tick();
    optimizerStep('rmsprop_step', rowsOf(p), 5, [ptr(p), ptr(grad), ptr(sq), ga ? ptr(ga) : 0, buf ? ptr(buf) : 0, p.numel(),
      g.lr, g.alpha, 1 - g.alpha, g.eps, g.weight_decay, g.momentum, g.maximize ? 1 : 0]);
    for (const t of [p, sq, ga, buf]) if (t) t.storage.version++;
  }
}

/** Adagrad's keyword arguments (lr ... foreach may also come by position, in PyTorch's order). */
export interface AdagradOptions {
  lr?: number | Tensor;
  lr_decay?: number;
  weight_decay?: number;
  initial_accumulator_value?: number;
  eps?: number;
  /** accepted: one implementation */
  foreach?: boolean | null;
  maximize?: boolean;
  /** only False: wasmtorch's step is not differentiable */
  differentiable?: boolean;
  /** only None or False */
  fused?: boolean | null;
}
/** A param group's Adagrad options, in PyTorch's order. */
export interface AdagradDefaults {
  lr: number; lr_decay: number; eps: number; weight_decay: number; initial_accumulator_value: number; foreach: boolean | null;
  maximize: boolean; differentiable: boolean; fused: boolean | null;
}

const ADAGRAD = signature('Adagrad(Any params, float|Tensor lr=0.01, float lr_decay=0, float weight_decay=0, ' +
  'float initial_accumulator_value=0, float eps=1e-10, bool? foreach=None, *, bool maximize=False, bool differentiable=False, ' +
  'bool? fused=None)');

export class Adagrad extends Optimizer<AdagradDefaults> {
  static readonly signature = ADAGRAD;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, lr_decay: number, weight_decay: number,
    initial_accumulator_value: number, eps: number, foreach: boolean | null], AdagradOptions>) {
    const v = pyBindNamed(ADAGRAD, [params, ...args]);
    const o: AdagradDefaults = {
      lr: scalarOption('lr', v.lr),
      lr_decay: v.lr_decay as number,
      eps: v.eps as number,
      weight_decay: v.weight_decay as number,
      initial_accumulator_value: v.initial_accumulator_value as number,
      foreach: v.foreach as boolean | null,
      maximize: v.maximize as boolean,
      differentiable: v.differentiable as boolean,
      fused: v.fused as boolean | null,
    };
    // PyTorch's checks, in its order
    requireNonNegative(o, ['lr', 'lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps']);
    refuseUnsupported('Adagrad', o, ['differentiable', 'fused']);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & AdagradDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => {
      const sum = this.buffer(p);
      if (g.initial_accumulator_value !== 0) sum.fill_(g.initial_accumulator_value);
      return { step: 0, sum };
    });
    const step = (s.step as number) + 1;
    s.step = step;
    const sum = s.sum as Tensor;
    tick();
    optimizerStep('adagrad_step', rowsOf(p), 3, [ptr(p), ptr(grad), ptr(sum), p.numel(),
      g.lr / (1 + (step - 1) * g.lr_decay), g.eps, g.weight_decay, g.maximize ? 1 : 0]);
    p.storage.version++;
    sum.storage.version++;
  }
}
