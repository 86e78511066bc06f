// torch.optim.SGD: one fused wasm pass per parameter (weight decay, momentum,
// dampening, nesterov, maximize).
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, type Params, type ParamGroup } from './optimizer.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export class SGD extends Optimizer<Required<SGDOptions>> {
  constructor(params: Params, options: SGDOptions = {}) {
    const o: Required<SGDOptions> = {
      lr: options.lr ?? 0.001,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weight_decay: options.weight_decay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    };
    if (!(o.lr >= 0)) throw new Error(`Invalid learning rate: ${o.lr}`);
    if (!(o.momentum >= 0)) throw new Error(`Invalid momentum value: ${o.momentum}`);
    if (!(o.weight_decay >= 0)) throw new Error(`Invalid weight_decay value: ${o.weight_decay}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening');
    }
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & Required<SGDOptions>): void {
    this.checkDense(p, grad);
    let first = 0;
    let buf: Tensor | null = null;
    if (g.momentum !== 0) {
      const state = this.stateOf(p, () => {
        first = 1;
        return { momentum_buffer: this.buffer(p) };
      });
      buf = state.momentum_buffer as Tensor;
    }
    tick();
    optimizerStep('sgd_step', rowsOf(p), 3, [ptr(p), ptr(grad), buf ? ptr(buf) : 0, p.numel(),
      g.lr, g.momentum, g.dampening, g.weight_decay, g.nesterov ? 1 : 0, g.maximize ? 1 : 0, first]);
    p.storage.version++;
    if (buf) buf.storage.version++;
  }
}
