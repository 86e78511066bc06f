// torch.optim.Adam and AdamW: one fused wasm pass per parameter, in
// PyTorch's order of float32 operations (bias corrections in double).
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, type Params, type ParamGroup } from './optimizer.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}
type Group = ParamGroup & Required<AdamOptions>;

export class Adam extends Optimizer<Required<AdamOptions>> {
  /** AdamW decays the weights directly instead of adding weight_decay * p to the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: Params, options: AdamOptions = {}, defaultDecay = 0) {
    const o: Required<AdamOptions> = {
      lr: options.lr ?? 0.001,
      betas: options.betas ?? [0.9, 0.999],
      eps: options.eps ?? 1e-8,
      weight_decay: options.weight_decay ?? defaultDecay,
      amsgrad: options.amsgrad ?? false,
      maximize: options.maximize ?? false,
    };
    if (!(o.lr >= 0)) throw new Error(`Invalid learning rate: ${o.lr}`);
    if (!(o.eps >= 0)) throw new Error(`Invalid epsilon value: ${o.eps}`);
    o.betas.forEach((b, i) => {
      if (!(b >= 0 && b < 1)) throw new Error(`Invalid beta parameter at index ${i}: ${b}`);
    });
    if (!(o.weight_decay >= 0)) throw new Error(`Invalid weight_decay value: ${o.weight_decay}`);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: Group): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({
      step: 0,
      exp_avg: this.buffer(p),
      exp_avg_sq: this.buffer(p),
      ...(g.amsgrad ? { max_exp_avg_sq: this.buffer(p) } : {}),
    }));
    const step = (s.step as number) + 1;
    s.step = step;
    const [beta1, beta2] = g.betas;
    const bc1 = 1 - beta1 ** step, bc2 = 1 - beta2 ** step;
    const m = s.exp_avg as Tensor, v = s.exp_avg_sq as Tensor;
    const vmax = g.amsgrad ? (s.max_exp_avg_sq as Tensor) : null;
    tick();
    optimizerStep('adam_step', rowsOf(p), 5, [ptr(p), ptr(grad), ptr(m), ptr(v), vmax ? ptr(vmax) : 0, p.numel(),
      g.lr / bc1, Math.sqrt(bc2), 1 - beta1, beta2, 1 - beta2, g.eps, this.decoupled ? 0 : g.weight_decay,
      this.decoupled ? 1 - g.lr * g.weight_decay : 1, g.maximize ? 1 : 0]);
    for (const t of [p, m, v, vmax]) if (t) t.storage.version++;
  }
}

export class AdamW extends Adam {
  protected readonly decoupled: boolean = true;
  constructor(params: Params, options: AdamOptions = {}) {
    super(params, options, 0.01);
  }
}
