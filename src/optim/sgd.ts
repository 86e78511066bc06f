// torch.optim.SGD: one fused wasm pass per parameter (weight decay, momentum,
// dampening, nesterov, maximize).
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, scalarOption, refuseUnsupported, type Params, type ParamGroup } from './optimizer.js';
import { signature } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';
import { pyRepr } from '../pyrepr.js';
import { type CallArgs } from '../signature.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

/** SGD's keyword arguments (any of them may also come by position, in PyTorch's order, up to nesterov). */
export interface SGDOptions {
  lr?: number | Tensor;
  momentum?: number;
  dampening?: number;
  weight_decay?: number | Tensor;
  nesterov?: boolean;
  maximize?: boolean;
  /** accepted: one implementation */
  foreach?: boolean | null;
  /** only false: wasmtorch's step is not differentiable */
  differentiable?: boolean;
  /** only None or False */
  fused?: boolean | null;
}
/** A param group's SGD options, as PyTorch keeps them. */
export interface SGDDefaults {
  lr: number; momentum: number; dampening: number; weight_decay: number; nesterov: boolean; maximize: boolean;
  foreach: boolean | null; differentiable: boolean; fused: boolean | null;
}

const SGD_SIG = signature('SGD(Any params, float|Tensor lr=0.001, float momentum=0, float dampening=0, float|Tensor weight_decay=0, ' +
  'bool nesterov=False, *, bool maximize=False, bool? foreach=None, bool differentiable=False, bool? fused=None)');

export class SGD extends Optimizer<SGDDefaults> {
  static readonly signature = SGD_SIG;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, momentum: number, dampening: number,
    weight_decay: number | Tensor, nesterov: boolean], SGDOptions>) {
    const v = pyBindNamed(SGD_SIG, [params, ...args]);
    const o: SGDDefaults = {
      lr: scalarOption('lr', v.lr),
      momentum: v.momentum as number,
      dampening: v.dampening as number,
      weight_decay: scalarOption('weight_decay', v.weight_decay),
      nesterov: v.nesterov as boolean,
      maximize: v.maximize as boolean,
      foreach: v.foreach as boolean | null,
      differentiable: v.differentiable as boolean,
      fused: v.fused as boolean | null,
    };
    // PyTorch's checks, in its order
    if (o.lr < 0) throw new Error(`Invalid learning rate: ${pyRepr(o.lr)}`);
    if (o.momentum < 0) throw new Error(`Invalid momentum value: ${pyRepr(o.momentum)}`);
    if (o.weight_decay < 0) throw new Error(`Invalid weight_decay value: ${pyRepr(o.weight_decay)}`);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new Error('Nesterov momentum requires a momentum and zero dampening');
    }
    refuseUnsupported('SGD', o, ['differentiable', 'fused']);
    super(params, o);
  }

  protected update(p: Tensor, grad: Tensor, g: ParamGroup & SGDDefaults): void {
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
