// torch.optim.RMSprop and torch.optim.Adagrad: fused wasm passes in PyTorch's
// order of float32 operations.
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, type Params, type ParamGroup } from './optimizer.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

export class RMSprop extends Optimizer<Required<RMSpropOptions>> {
  constructor(params: Params, options: RMSpropOptions = {}) {
    const o: Required<RMSpropOptions> = {
      lr: options.lr ?? 0.01,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weight_decay: options.weight_decay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    };
    if (!(o.lr >= 0)) throw new Error(`Invalid learning rate: ${o.lr}`);
    if (!(o.eps >= 0)) throw new Error(`Invalid epsilon value: ${o.eps}`);
    if (!(o.momentum >= 0)) throw new Error(`Invalid momentum value: ${o.momentum}`);
    if (!(o.weight_decay >= 0)) throw new Error(`Invalid weight_decay value: ${o.weight_decay}`);
    if (!(o.alpha >= 0)) throw new Error(`Invalid alpha value: ${o.alpha}`);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & Required<RMSpropOptions>): void {
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

export interface AdagradOptions {
  lr?: number;
  lr_decay?: number;
  weight_decay?: number;
  initial_accumulator_value?: number;
  eps?: number;
  maximize?: boolean;
}

export class Adagrad extends Optimizer<Required<AdagradOptions>> {
  constructor(params: Params, options: AdagradOptions = {}) {
    const o: Required<AdagradOptions> = {
      lr: options.lr ?? 0.01,
      lr_decay: options.lr_decay ?? 0,
      weight_decay: options.weight_decay ?? 0,
      initial_accumulator_value: options.initial_accumulator_value ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    };
    if (!(o.lr >= 0)) throw new Error(`Invalid learning rate: ${o.lr}`);
    if (!(o.lr_decay >= 0)) throw new Error(`Invalid lr_decay value: ${o.lr_decay}`);
    if (!(o.weight_decay >= 0)) throw new Error(`Invalid weight_decay value: ${o.weight_decay}`);
    if (!(o.initial_accumulator_value >= 0)) throw new Error(`Invalid initial_accumulator_value value: ${o.initial_accumulator_value}`);
    if (!(o.eps >= 0)) throw new Error(`Invalid epsilon value: ${o.eps}`);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & Required<AdagradOptions>): void {
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
