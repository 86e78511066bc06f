// torch.optim.Adadelta, Adamax, NAdam and RAdam: one fused wasm pass per
// parameter each, in the order of float32 operations of PyTorch's
// single-tensor implementations; the per-step scalars (bias corrections,
// NAdam's momentum schedule, RAdam's rectification) in double, as PyTorch's.
import { Tensor } from '../tensor.js';
import { Optimizer, rowsOf, scalarOption, refuseUnsupported, requireNonNegative, type Params, type ParamGroup } from './optimizer.js';
import { signature, type CallArgs } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';
import { pyRepr } from '../pyrepr.js';
import { tick, ptr } from '../ops/core.js';
import { optimizerStep } from '../backend/threads.js';

const f32 = Math.fround;

function checkBetas(betas: [number, number]): void {
  betas.forEach((b, i) => {
    if (!(0 <= b && b < 1)) throw new Error(`Invalid beta parameter at index ${i}: ${pyRepr(b)}`);
  });
}

interface Common { lr: number; eps: number; weight_decay: number; foreach: boolean | null; maximize: boolean; capturable: boolean; differentiable: boolean }
const common = (v: Record<string, unknown>): Common => ({
  lr: scalarOption('lr', v.lr), eps: v.eps as number, weight_decay: v.weight_decay as number, foreach: v.foreach as boolean | null,
  maximize: v.maximize as boolean, capturable: v.capturable as boolean, differentiable: v.differentiable as boolean,
});

const ADADELTA = signature('Adadelta(Any params, float|Tensor lr=1.0, float rho=0.9, float eps=1e-06, float weight_decay=0, ' +
  'bool? foreach=None, *, bool capturable=False, bool maximize=False, bool differentiable=False)');
export interface AdadeltaDefaults extends Common { rho: number }
/** torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable, maximize, differentiable). */
export class Adadelta extends Optimizer<AdadeltaDefaults> {
  static readonly signature = ADADELTA;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, rho: number, eps: number, weight_decay: number, foreach: boolean | null],
    Partial<AdadeltaDefaults> & { lr?: number | Tensor }>) {
    const v = pyBindNamed(ADADELTA, [params, ...args]);
    const o: AdadeltaDefaults = { ...common(v), rho: v.rho as number };
    if (!(0 <= o.lr)) throw new Error(`Invalid learning rate: ${pyRepr(o.lr)}`);
    if (!(0 <= o.rho && o.rho <= 1)) throw new Error(`Invalid rho value: ${pyRepr(o.rho)}`);
    requireNonNegative(o, ['eps', 'weight_decay']);
    refuseUnsupported('Adadelta', o, ['capturable', 'differentiable']);
    super(params, o);
  }
  protected update(p: Tensor, grad: Tensor, g: ParamGroup & AdadeltaDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({ step: 0, square_avg: this.buffer(p), acc_delta: this.buffer(p) }));
    s.step = (s.step as number) + 1;
    const sq = s.square_avg as Tensor, acc = s.acc_delta as Tensor;
    tick();
    optimizerStep('adadelta_step', rowsOf(p), 4, [ptr(p), ptr(grad), ptr(sq), ptr(acc), p.numel(), g.lr, g.rho, 1 - g.rho, g.eps,
      g.weight_decay, g.maximize ? 1 : 0]);
    for (const t of [p, sq, acc]) t.storage.version++;
  }
}

const ADAMAX = signature('Adamax(Any params, float|Tensor lr=0.002, float[2] betas=[0.9, 0.999], float eps=1e-08, float weight_decay=0, ' +
  'bool? foreach=None, *, bool maximize=False, bool differentiable=False, bool capturable=False)');
export interface AdamaxDefaults extends Common { betas: [number, number] }
/** torch.optim.Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize, ...). */
export class Adamax extends Optimizer<AdamaxDefaults> {
  static readonly signature = ADAMAX;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, betas: [number, number], eps: number, weight_decay: number, foreach: boolean | null],
    Partial<AdamaxDefaults> & { lr?: number | Tensor }>) {
    const v = pyBindNamed(ADAMAX, [params, ...args]);
    const betas = v.betas as [number, number];
    const o: AdamaxDefaults = { ...common(v), betas: [betas[0], betas[1]] };
    requireNonNegative(o, ['lr', 'eps']);
    checkBetas(o.betas);
    requireNonNegative(o, ['weight_decay']);
    refuseUnsupported('Adamax', o, ['capturable', 'differentiable']);
    super(params, o);
  }
  protected update(p: Tensor, grad: Tensor, g: ParamGroup & AdamaxDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({ step: 0, exp_avg: this.buffer(p), exp_inf: this.buffer(p) }));
    const step = (s.step as number) + 1;
    s.step = step;
    const [beta1, beta2] = g.betas;
    const m = s.exp_avg as Tensor, u = s.exp_inf as Tensor;
    tick();
    optimizerStep('adamax_step', rowsOf(p), 4, [ptr(p), ptr(grad), ptr(m), ptr(u), p.numel(), g.lr / (1 - beta1 ** step), 1 - beta1, beta2,
      g.eps, g.weight_decay, g.maximize ? 1 : 0]);
    for (const t of [p, m, u]) t.storage.version++;
  }
}

const NADAM = signature('NAdam(Any params, float|Tensor lr=0.002, float[2] betas=[0.9, 0.999], float eps=1e-08, float weight_decay=0, ' +
  'float momentum_decay=0.004, bool decoupled_weight_decay=False, *, bool? foreach=None, bool maximize=False, bool capturable=False, ' +
  'bool differentiable=False)');
export interface NAdamDefaults extends Common { betas: [number, number]; momentum_decay: number; decoupled_weight_decay: boolean }
/** torch.optim.NAdam(params, lr=2e-3, betas, eps, weight_decay, momentum_decay=4e-3, decoupled_weight_decay=False, *, ...). */
export class NAdam extends Optimizer<NAdamDefaults> {
  static readonly signature = NADAM;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, betas: [number, number], eps: number, weight_decay: number,
    momentum_decay: number, decoupled_weight_decay: boolean], Partial<NAdamDefaults> & { lr?: number | Tensor }>) {
    const v = pyBindNamed(NADAM, [params, ...args]);
    const betas = v.betas as [number, number];
    const o: NAdamDefaults = { ...common(v), betas: [betas[0], betas[1]], momentum_decay: v.momentum_decay as number,
      decoupled_weight_decay: v.decoupled_weight_decay as boolean };
    requireNonNegative(o, ['lr', 'eps']);
    checkBetas(o.betas);
    requireNonNegative(o, ['weight_decay', 'momentum_decay']);
    refuseUnsupported('NAdam', o, ['capturable', 'differentiable']);
    super(params, o);
  }
  protected update(p: Tensor, grad: Tensor, g: ParamGroup & NAdamDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({ step: 0, mu_product: 1, exp_avg: this.buffer(p), exp_avg_sq: this.buffer(p) }));
    const step = (s.step as number) + 1;
    s.step = step;
    const [beta1, beta2] = g.betas;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * g.momentum_decay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * g.momentum_decay));
    const muProduct = f32((s.mu_product as number) * mu); // PyTorch keeps it in a float32 tensor
    s.mu_product = muProduct;
    const decoupled = g.decoupled_weight_decay && g.weight_decay !== 0;
    const m = s.exp_avg as Tensor, v = s.exp_avg_sq as Tensor;
    tick();
    optimizerStep('nadam_step', rowsOf(p), 4, [ptr(p), ptr(grad), ptr(m), ptr(v), p.numel(),
      (-g.lr * (1 - mu)) / (1 - muProduct), (-g.lr * muNext) / (1 - muProduct * muNext), 1 - beta1, beta2, 1 - beta2, 1 - beta2 ** step,
      g.eps, decoupled ? 0 : g.weight_decay, decoupled ? 1 - g.lr * g.weight_decay : 1, g.maximize ? 1 : 0]);
    for (const t of [p, m, v]) t.storage.version++;
  }
}

const RADAM = signature('RAdam(Any params, float|Tensor lr=0.001, float[2] betas=[0.9, 0.999], float eps=1e-08, float weight_decay=0, ' +
  'bool decoupled_weight_decay=False, *, bool? foreach=None, bool maximize=False, bool capturable=False, bool differentiable=False)');
export interface RAdamDefaults extends Common { betas: [number, number]; decoupled_weight_decay: boolean }
/** torch.optim.RAdam(params, lr=1e-3, betas, eps, weight_decay, decoupled_weight_decay=False, *, ...). */
export class RAdam extends Optimizer<RAdamDefaults> {
  static readonly signature = RADAM;
  constructor(params: Params, ...args: CallArgs<[lr: number | Tensor, betas: [number, number], eps: number, weight_decay: number,
    decoupled_weight_decay: boolean], Partial<RAdamDefaults> & { lr?: number | Tensor }>) {
    const v = pyBindNamed(RADAM, [params, ...args]);
    const betas = v.betas as [number, number];
    const o: RAdamDefaults = { ...common(v), betas: [betas[0], betas[1]], decoupled_weight_decay: v.decoupled_weight_decay as boolean };
    requireNonNegative(o, ['lr', 'eps']);
    checkBetas(o.betas);
    requireNonNegative(o, ['weight_decay']);
    refuseUnsupported('RAdam', o, ['capturable', 'differentiable']);
    super(params, o);
  }
  protected update(p: Tensor, grad: Tensor, g: ParamGroup & RAdamDefaults): void {
    this.checkDense(p, grad);
    const s = this.stateOf(p, () => ({ step: 0, exp_avg: this.buffer(p), exp_avg_sq: this.buffer(p) }));
    const step = (s.step as number) + 1;
    s.step = step;
    const [beta1, beta2] = g.betas;
    const bc1 = 1 - beta1 ** step, bc2 = 1 - beta2 ** step;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
    // the variance is tractable past rho_t = 5: the rectified step; before it, plain momentum (rect 0 says so)
    const rect = rhoT > 5 ? (((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5 : 0;
    const decoupled = g.decoupled_weight_decay && g.weight_decay !== 0;
    const m = s.exp_avg as Tensor, v = s.exp_avg_sq as Tensor;
    tick();
    optimizerStep('radam_step', rowsOf(p), 4, [ptr(p), ptr(grad), ptr(m), ptr(v), p.numel(), g.lr, 1 - beta1, beta2, 1 - beta2, bc1,
      bc2 ** 0.5, rect, g.eps, decoupled ? 0 : g.weight_decay, decoupled ? 1 - g.lr * g.weight_decay : 1, g.maximize ? 1 : 0]);
    for (const t of [p, m, v]) t.storage.version++;
  }
}
