// torch.optim.Adam and AdamW: one fused wasm pass per parameter, in
// PyTorch's order of float32 operations (bias corrections in double).
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, scalarOption, refuseUnsupported, requireNonNegative, type Params, type ParamGroup } from './optimizer.js';
import { signature, type Signature } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';
import { pyRepr } from '../pyrepr.js';
import { type CallArgs } from '../signature.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

/** Adam's and AdamW's keyword arguments (lr ... amsgrad may also come by position, in PyTorch's order). */
export interface AdamOptions {
  lr?: number | Tensor;
  betas?: [number, number];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  /** accepted: one implementation */
  foreach?: boolean | null;
  /** only False (CUDA graphs) */
  capturable?: boolean;
  /** only False: wasmtorch's step is not differentiable */
  differentiable?: boolean;
  /** only None or False */
  fused?: boolean | null;
  /** Adam only (AdamW is Adam with it True): decay the weights directly, as AdamW does */
  decoupled_weight_decay?: boolean;
}
/** A param group's Adam options, as PyTorch keeps them. */
export interface AdamDefaults {
  lr: number; betas: [number, number]; eps: number; weight_decay: number; amsgrad: boolean; maximize: boolean;
  foreach: boolean | null; capturable: boolean; differentiable: boolean; fused: boolean | null; decoupled_weight_decay: boolean;
}
type Group = ParamGroup & AdamDefaults;
type AdamArgs = CallArgs<[lr: number | Tensor, betas: [number, number], eps: number, weight_decay: number, amsgrad: boolean], AdamOptions>;

const ADAM = signature('Adam(Any params, float|Tensor lr=0.001, float[2] betas=[0.9, 0.999], float eps=1e-08, float weight_decay=0, ' +
  'bool amsgrad=False, *, bool? foreach=None, bool maximize=False, bool capturable=False, bool differentiable=False, bool? fused=None, ' +
  'bool decoupled_weight_decay=False)');
const ADAMW = signature('AdamW(Any params, float|Tensor lr=0.001, float[2] betas=[0.9, 0.999], float eps=1e-08, float weight_decay=0.01, ' +
  'bool amsgrad=False, *, bool maximize=False, bool? foreach=None, bool capturable=False, bool differentiable=False, bool? fused=None)');

export class Adam extends Optimizer<AdamDefaults> {
  static readonly signature = ADAM;
  /** AdamW decays the weights directly instead of adding weight_decay * p to the gradient (each group's decoupled_weight_decay). */
  protected readonly decoupled: boolean = false;

  constructor(params: Params, ...args: AdamArgs) {
    const sig = (new.target as unknown as { signature: Signature }).signature; // Adam's or AdamW's
    const v = pyBindNamed(sig, [params, ...args]);
    const betas = v.betas as [number, number];
    const o: AdamDefaults = {
      lr: scalarOption('lr', v.lr),
      betas: [betas[0], betas[1]],
      eps: v.eps as number,
      weight_decay: v.weight_decay as number,
      amsgrad: v.amsgrad as boolean,
      maximize: v.maximize as boolean,
      foreach: v.foreach as boolean | null,
      capturable: v.capturable as boolean,
      differentiable: v.differentiable as boolean,
      fused: v.fused as boolean | null,
      decoupled_weight_decay: sig === ADAMW ? true : (v.decoupled_weight_decay as boolean),
    };
    // PyTorch's checks, in its order
    requireNonNegative(o, ['lr', 'eps']);
    o.betas.forEach((b, i) => {
      if (!(0 <= b && b < 1)) throw new Error(`Invalid beta parameter at index ${i}: ${pyRepr(b)}`);
    });
    requireNonNegative(o, ['weight_decay']);
    refuseUnsupported(sig.name, o, ['capturable', 'differentiable', 'fused']);
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
    const decoupled = g.decoupled_weight_decay ?? this.decoupled;
    const bc1 = 1 - beta1 ** step, bc2 = 1 - beta2 ** step;
    const m = s.exp_avg as Tensor, v = s.exp_avg_sq as Tensor;
    const vmax = g.amsgrad ? (s.max_exp_avg_sq as Tensor) : null;
    tick();
    optimizerStep('adam_step', rowsOf(p), 5, [ptr(p), ptr(grad), ptr(m), ptr(v), vmax ? ptr(vmax) : 0, p.numel(),
      g.lr / bc1, Math.sqrt(bc2), 1 - beta1, beta2, 1 - beta2, g.eps, decoupled ? 0 : g.weight_decay,
      decoupled ? 1 - g.lr * g.weight_decay : 1, g.maximize ? 1 : 0]);
    for (const t of [p, m, v, vmax]) if (t) t.storage.version++;
  }
}

/** Adam with decoupled weight decay (PyTorch 2.x: Adam's decoupled_weight_decay=True), weight_decay 0.01 by default. */
export class AdamW extends Adam {
  static readonly signature = ADAMW;
  protected readonly decoupled: boolean = true;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, betas: [number, number], eps: number, weight_decay: number,
    amsgrad: boolean], Omit<AdamOptions, 'decoupled_weight_decay'>>) {
    super(params, ...(args as AdamArgs));
  }
}
