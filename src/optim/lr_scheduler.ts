// torch.optim.lr_scheduler, as PyTorch 2.x computes it. step() uses the
// chainable form (each new lr derived from the group's current lr, so
// schedulers compose with each other and with manual changes to group.lr);
// step(epoch) uses the closed form where PyTorch has one.
import { Optimizer } from './optimizer.js';
import { Tensor } from '../tensor.js';
import { signature, pyType, isOptions, type CallArgs } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';

type AnyOptimizer = Optimizer<object>;
type Group = AnyOptimizer['param_groups'][number];
export type LrLambda = (epoch: number) => number;

// ---- PyTorch's call forms ------------------------------------------------------

/** Leading positional arguments in PyTorch's order, optionally followed by keyword arguments as one object. */
type Args<P extends unknown[], O> = CallArgs<P, O>;

/** Each scheduler's constructor, as PyTorch 2.13 declares it (inspect.signature), `self` left out. */
const SIGS = {
  LambdaLR: signature('LambdaLR(Any optimizer, Any lr_lambda, int last_epoch=-1)'),
  MultiplicativeLR: signature('MultiplicativeLR(Any optimizer, Any lr_lambda, int last_epoch=-1)'),
  StepLR: signature('StepLR(Any optimizer, int step_size, float gamma=0.1, int last_epoch=-1)'),
  MultiStepLR: signature('MultiStepLR(Any optimizer, int[] milestones, float gamma=0.1, int last_epoch=-1)'),
  ConstantLR: signature('ConstantLR(Any optimizer, float factor=0.3333333333333333, int total_iters=5, int last_epoch=-1)'),
  LinearLR: signature('LinearLR(Any optimizer, float start_factor=0.3333333333333333, float end_factor=1.0, int total_iters=5, ' +
    'int last_epoch=-1)'),
  ExponentialLR: signature('ExponentialLR(Any optimizer, float gamma, int last_epoch=-1)'),
  SequentialLR: signature('SequentialLR(Any optimizer, Any schedulers, int[] milestones, int last_epoch=-1)'),
  PolynomialLR: signature('PolynomialLR(Any optimizer, int total_iters=5, float power=1.0, int last_epoch=-1)'),
  CosineAnnealingLR: signature('CosineAnnealingLR(Any optimizer, int T_max, float eta_min=0.0, int last_epoch=-1)'),
  ChainedScheduler: signature('ChainedScheduler(Any schedulers, Any optimizer=None)'),
  ReduceLROnPlateau: signature("ReduceLROnPlateau(Any optimizer, str mode='min', float factor=0.1, int patience=10, " +
    "float threshold=0.0001, str threshold_mode='rel', int cooldown=0, float|float[] min_lr=0, float eps=1e-08)"),
  CosineAnnealingWarmRestarts: signature('CosineAnnealingWarmRestarts(Any optimizer, int T_0, int T_mult=1, float eta_min=0.0, ' +
    'int last_epoch=-1)'),
  OneCycleLR: signature('OneCycleLR(Any optimizer, float|float[] max_lr, int? total_steps=None, int? epochs=None, ' +
    "int? steps_per_epoch=None, float pct_start=0.3, str anneal_strategy='cos', bool cycle_momentum=True, " +
    'float|float[] base_momentum=0.85, float|float[] max_momentum=0.95, float div_factor=25.0, float final_div_factor=10000.0, ' +
    'bool three_phase=False, int last_epoch=-1)'),
};

/** Python's argument binding of `new <cls>(optimizer, ...args)`: the values by parameter name, checked. */
function bind<O>(cls: keyof typeof SIGS, optimizer: unknown, args: unknown[]): O & { optimizer: AnyOptimizer } {
  const sig = SIGS[cls];
  const call: unknown[] = [optimizer, ...args];
  // A last plain object in the place of a required argument is the keyword arguments: an lr_lambda or a list
  // of schedulers (the required parameters of type Any) is never one. Moved past the required places, the
  // parser reads it so; the places it leaves are absent arguments.
  if (call.length > 1 && call.length <= sig.required && isOptions(call[call.length - 1])) {
    const kw = call.pop();
    while (call.length < sig.required) call.push(undefined);
    call.push(kw);
  }
  return pyBindNamed(sig, call) as O & { optimizer: AnyOptimizer };
}

function checkOptimizer(optimizer: unknown): void {
  if (!(optimizer instanceof Optimizer)) {
    throw new TypeError(`${pyType(optimizer)} is not an Optimizer`);
  }
}

/** One value per param group: a list must have one per group, a scalar is repeated. */
function formatParam<T>(name: string, optimizer: AnyOptimizer, param: T | T[]): T[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(param)) return new Array<T>(n).fill(param);
  if (param.length !== n) {
    throw new Error(`${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${n}.`);
  }
  return param.slice();
}

function lambdas(optimizer: AnyOptimizer, lr_lambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lr_lambda)) return new Array<LrLambda>(n).fill(lr_lambda);
  if (lr_lambda.length !== n) throw new Error(`Expected ${n} lr_lambdas, but got ${lr_lambda.length}`);
  return lr_lambda.slice();
}

const lrs = (optimizer: AnyOptimizer): number[] => optimizer.param_groups.map((g) => g.lr as number);

/** Deep copy of plain state (arrays, plain objects), so a state_dict doesn't alias the scheduler. */
function copyState(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyState);
  if (isOptions(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyState(x)]));
  return v;
}

// ---- the base ------------------------------------------------------------------

export type SchedulerStateDict = Record<string, unknown>;

export class LRScheduler {
  // `declare`d, not defined: subclasses set their settings through the base
  // constructor's `fields` before the initial step, and a class field would reset them.
  declare optimizer: AnyOptimizer;
  declare base_lrs: number[];
  declare last_epoch: number;
  declare _step_count: number;
  declare _is_initial: boolean;
  declare _last_lr: number[];

  /**
   * PyTorch's subclasses set their attributes before calling LRScheduler.__init__
   * (whose initial step already calls get_lr); JS can't touch `this` before super(),
   * so they pass them as `fields`. With `initialize` false only the optimizer is
   * attached (ReduceLROnPlateau, SequentialLR, ChainedScheduler don't run the base init).
   */
  constructor(optimizer: AnyOptimizer, last_epoch = -1, fields: object = {}, initialize = true) {
    checkOptimizer(optimizer);
    this.optimizer = optimizer;
    Object.assign(this, fields);
    if (!initialize) return;
    const groups = optimizer.param_groups;
    if (last_epoch === -1) {
      for (const g of groups) if (!('initial_lr' in g)) g.initial_lr = g.lr;
    } else {
      groups.forEach((g, i) => {
        if (!('initial_lr' in g)) throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming an optimizer`);
      });
    }
    this.base_lrs = groups.map((g) => g.initial_lr as number);
    this.last_epoch = last_epoch;
    this._initial_step();
  }

  _initial_step(): void {
    this._step_count = 0;
    this._is_initial = true;
    try {
      this.step();
    } finally {
      this._is_initial = false;
    }
  }

  /** The chainable form: the next lr of every group. */
  get_lr(): number[] {
    throw new Error(`${this.constructor.name}.get_lr() is not implemented`);
  }

  /** The closed form used by step(epoch), where a scheduler has one. */
  _get_closed_form_lr?(): number[];

  get_last_lr(): number[] {
    return this._last_lr;
  }

  step(epoch?: number): void {
    this._step_count++;
    this._update_lr(epoch);
  }

  _update_lr(epoch?: number): void {
    let values: number[];
    if (epoch === undefined || epoch === null) {
      this.last_epoch++;
      values = this.get_lr();
    } else {
      this.last_epoch = epoch;
      values = this._get_closed_form_lr ? this._get_closed_form_lr() : this.get_lr();
    }
    this.optimizer.param_groups.forEach((g, i) => { if (i < values.length) g.lr = values[i]; });
    this._last_lr = lrs(this.optimizer);
  }

  /** Every attribute except the optimizer, as in PyTorch. */
  state_dict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {};
    for (const [k, v] of Object.entries(this)) if (k !== 'optimizer') sd[k] = copyState(v);
    return sd;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    for (const [k, v] of Object.entries(state_dict)) if (k !== 'optimizer') (this as Record<string, unknown>)[k] = copyState(v);
  }
}

// ---- multiplicative schedules ------------------------------------------------------

/** Functions aren't saved, as PyTorch doesn't save plain functions and lambdas. */
function withoutLambdas(sd: SchedulerStateDict, n: number): SchedulerStateDict {
  return { ...sd, lr_lambdas: new Array(n).fill(null) };
}
function loadWithoutLambdas(s: LRScheduler, sd: SchedulerStateDict): void {
  const { lr_lambdas: _drop, ...rest } = sd;
  LRScheduler.prototype.load_state_dict.call(s, rest);
}

export interface LambdaLROptions { lr_lambda?: LrLambda | LrLambda[]; last_epoch?: number }

/** lr = initial_lr * lr_lambda(epoch). */
export class LambdaLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, ...args: Args<[lr_lambda: LrLambda | LrLambda[], last_epoch: number], LambdaLROptions>) {
    const o = bind<Required<LambdaLROptions>>('LambdaLR', optimizer, args);
    checkOptimizer(optimizer);
    super(optimizer, o.last_epoch, { lr_lambdas: lambdas(optimizer, o.lr_lambda) });
  }
  get_lr(): number[] {
    return this.base_lrs.map((base, i) => base * this.lr_lambdas[i](this.last_epoch));
  }
  state_dict(): SchedulerStateDict { return withoutLambdas(super.state_dict(), this.lr_lambdas.length); }
  load_state_dict(sd: SchedulerStateDict): void { loadWithoutLambdas(this, sd); }
}

/** lr *= lr_lambda(epoch) at every step after the first. */
export class MultiplicativeLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, ...args: Args<[lr_lambda: LrLambda | LrLambda[], last_epoch: number], LambdaLROptions>) {
    const o = bind<Required<LambdaLROptions>>('MultiplicativeLR', optimizer, args);
    checkOptimizer(optimizer);
    const fns = lambdas(optimizer, o.lr_lambda);
    for (const f of fns) if (typeof f !== 'function') throw new TypeError(`lr_lambda should be a function, but got ${typeof f}`);
    super(optimizer, o.last_epoch, { lr_lambdas: fns });
  }
  get_lr(): number[] {
    const groups = this.optimizer.param_groups;
    if (this._is_initial) return lrs(this.optimizer);
    return groups.map((g, i) => (g.lr as number) * this.lr_lambdas[i](this.last_epoch));
  }
  state_dict(): SchedulerStateDict { return withoutLambdas(super.state_dict(), this.lr_lambdas.length); }
  load_state_dict(sd: SchedulerStateDict): void { loadWithoutLambdas(this, sd); }
}

export interface StepLROptions { step_size?: number; gamma?: number; last_epoch?: number }

/** lr = initial_lr * gamma ** floor(epoch / step_size). */
export class StepLR extends LRScheduler {
  declare step_size: number;
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[step_size: number, gamma: number, last_epoch: number], StepLROptions>) {
    const o = bind<Required<StepLROptions>>('StepLR', optimizer, args);
    super(optimizer, o.last_epoch, { step_size: o.step_size, gamma: o.gamma });
  }
  get_lr(): number[] {
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return lrs(this.optimizer);
    return lrs(this.optimizer).map((lr) => lr * this.gamma);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => base * this.gamma ** Math.floor(this.last_epoch / this.step_size));
  }
}

export interface MultiStepLROptions { milestones?: number[]; gamma?: number; last_epoch?: number }

/** lr = initial_lr * gamma ** (number of milestones reached). */
export class MultiStepLR extends LRScheduler {
  /** PyTorch's Counter: how many times each epoch appears in milestones. */
  declare milestones: Record<number, number>;
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[milestones: number[], gamma: number, last_epoch: number], MultiStepLROptions>) {
    const o = bind<Required<MultiStepLROptions>>('MultiStepLR', optimizer, args);
    const counts: Record<number, number> = {};
    for (const m of o.milestones) counts[m] = (counts[m] ?? 0) + 1;
    super(optimizer, o.last_epoch, { milestones: counts, gamma: o.gamma });
  }
  get_lr(): number[] {
    const n = this.milestones[this.last_epoch];
    if (!n) return lrs(this.optimizer);
    return lrs(this.optimizer).map((lr) => lr * this.gamma ** n);
  }
  _get_closed_form_lr(): number[] {
    let passed = 0; // bisect_right over the sorted milestones
    for (const [m, n] of Object.entries(this.milestones)) if (Number(m) <= this.last_epoch) passed += n;
    return this.base_lrs.map((base) => base * this.gamma ** passed);
  }
}

export interface ConstantLROptions { factor?: number; total_iters?: number; last_epoch?: number }

/** lr = initial_lr * factor until epoch total_iters, then initial_lr. */
export class ConstantLR extends LRScheduler {
  declare factor: number;
  declare total_iters: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[factor: number, total_iters: number, last_epoch: number], ConstantLROptions>) {
    const o = bind<Required<ConstantLROptions>>('ConstantLR', optimizer, args);
    if (o.factor > 1 || o.factor < 0) throw new Error('Constant multiplicative factor expected to be between 0 and 1.');
    super(optimizer, o.last_epoch, { factor: o.factor, total_iters: o.total_iters });
  }
  get_lr(): number[] {
    const cur = lrs(this.optimizer);
    if (this.last_epoch === 0) return cur.map((lr) => lr * this.factor);
    if (this.last_epoch !== this.total_iters) return cur;
    return cur.map((lr) => lr * (1 / this.factor));
  }
  _get_closed_form_lr(): number[] {
    const f = this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor);
    return this.base_lrs.map((base) => base * f);
  }
}

export interface LinearLROptions { start_factor?: number; end_factor?: number; total_iters?: number; last_epoch?: number }

/** The factor on initial_lr goes linearly from start_factor to end_factor over total_iters epochs. */
export class LinearLR extends LRScheduler {
  declare start_factor: number;
  declare end_factor: number;
  declare total_iters: number;
  constructor(optimizer: AnyOptimizer,
    ...args: Args<[start_factor: number, end_factor: number, total_iters: number, last_epoch: number], LinearLROptions>) {
    const o = bind<Required<LinearLROptions>>('LinearLR', optimizer, args);
    if (o.start_factor > 1 || o.start_factor <= 0) {
      throw new Error('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    }
    if (o.end_factor > 1 || o.end_factor < 0) throw new Error('Ending multiplicative factor expected to be between 0 and 1.');
    super(optimizer, o.last_epoch, { start_factor: o.start_factor, end_factor: o.end_factor, total_iters: o.total_iters });
  }
  get_lr(): number[] {
    const cur = lrs(this.optimizer);
    if (this.last_epoch === 0) return cur.map((lr) => lr * this.start_factor);
    if (this._is_initial || this.last_epoch > this.total_iters) return cur;
    const d = this.end_factor - this.start_factor;
    return cur.map((lr) => lr * (1 + d / (this.total_iters * this.start_factor + (this.last_epoch - 1) * d)));
  }
  _get_closed_form_lr(): number[] {
    const d = this.end_factor - this.start_factor;
    return this.base_lrs.map((base) => base * (this.start_factor + d * Math.min(this.total_iters, this.last_epoch) / this.total_iters));
  }
}

export interface ExponentialLROptions { gamma?: number; last_epoch?: number }

/** lr = initial_lr * gamma ** epoch. */
export class ExponentialLR extends LRScheduler {
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[gamma: number, last_epoch: number], ExponentialLROptions>) {
    const o = bind<Required<ExponentialLROptions>>('ExponentialLR', optimizer, args);
    super(optimizer, o.last_epoch, { gamma: o.gamma });
  }
  get_lr(): number[] {
    // resuming (last_epoch != -1) must not move the lr one step ahead in the constructor
    if (this._is_initial) return lrs(this.optimizer);
    return lrs(this.optimizer).map((lr) => lr * this.gamma);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => base * this.gamma ** this.last_epoch);
  }
}

export interface PolynomialLROptions { total_iters?: number; power?: number; last_epoch?: number }

/** lr = initial_lr * (1 - min(epoch, total_iters) / total_iters) ** power. */
export class PolynomialLR extends LRScheduler {
  declare total_iters: number;
  declare power: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[total_iters: number, power: number, last_epoch: number], PolynomialLROptions>) {
    const o = bind<Required<PolynomialLROptions>>('PolynomialLR', optimizer, args);
    super(optimizer, o.last_epoch, { total_iters: o.total_iters, power: o.power });
  }
  get_lr(): number[] {
    if (this._is_initial || this.last_epoch > this.total_iters) return lrs(this.optimizer);
    const t = this.total_iters, e = this.last_epoch;
    const decay = ((1 - e / t) / (1 - (e - 1) / t)) ** this.power;
    return lrs(this.optimizer).map((lr) => lr * decay);
  }
  _get_closed_form_lr(): number[] {
    const f = (1 - Math.min(this.total_iters, this.last_epoch) / this.total_iters) ** this.power;
    return this.base_lrs.map((base) => base * f);
  }
}

// ---- cosine ------------------------------------------------------------------

export interface CosineAnnealingLROptions { T_max?: number; eta_min?: number; last_epoch?: number }

/** eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2, computed recursively as PyTorch does. */
export class CosineAnnealingLR extends LRScheduler {
  declare T_max: number;
  declare eta_min: number;
  constructor(optimizer: AnyOptimizer, ...args: Args<[T_max: number, eta_min: number, last_epoch: number], CosineAnnealingLROptions>) {
    const o = bind<Required<CosineAnnealingLROptions>>('CosineAnnealingLR', optimizer, args);
    super(optimizer, o.last_epoch, { T_max: o.T_max, eta_min: o.eta_min });
  }
  get_lr(): number[] {
    const { T_max: T, eta_min: lo, last_epoch: e } = this;
    const groups = this.optimizer.param_groups;
    if (this._is_initial) return lrs(this.optimizer);
    if (this._step_count === 1 && e > 0) return this.base_lrs.map((base) => lo + (base - lo) * (1 + Math.cos(e * Math.PI / T)) / 2);
    // one step past the minimum the recursive ratio would divide by zero: climb back by the first step's amount
    if ((e - 1 - T) % (2 * T) === 0) {
      return groups.map((g, i) => (g.lr as number) + (this.base_lrs[i] - lo) * (1 - Math.cos(Math.PI / T)) / 2);
    }
    return groups.map((g) =>
      (1 + Math.cos(Math.PI * e / T)) / (1 + Math.cos(Math.PI * (e - 1) / T)) * ((g.lr as number) - lo) + lo);
  }
  _get_closed_form_lr(): number[] {
    return this.base_lrs.map((base) => this.eta_min + (base - this.eta_min) * (1 + Math.cos(Math.PI * this.last_epoch / this.T_max)) / 2);
  }
}

export interface CosineAnnealingWarmRestartsOptions { T_0?: number; T_mult?: number; eta_min?: number; last_epoch?: number }

/** SGDR: cosine annealing restarted every T_i epochs, T_i growing by T_mult. step(epoch) takes fractional epochs. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  declare T_0: number;
  declare T_i: number;
  declare T_mult: number;
  declare eta_min: number;
  declare T_cur: number;
  constructor(optimizer: AnyOptimizer,
    ...args: Args<[T_0: number, T_mult: number, eta_min: number, last_epoch: number], CosineAnnealingWarmRestartsOptions>) {
    const o = bind<Required<CosineAnnealingWarmRestartsOptions>>('CosineAnnealingWarmRestarts', optimizer, args);
    if (o.T_0 <= 0 || !Number.isInteger(o.T_0)) throw new Error(`Expected positive integer T_0, but got ${o.T_0}`);
    if (o.T_mult < 1 || !Number.isInteger(o.T_mult)) throw new Error(`Expected integer T_mult >= 1, but got ${o.T_mult}`);
    if (typeof o.eta_min !== 'number') throw new Error(`Expected float or int eta_min, but got ${o.eta_min} of type ${typeof o.eta_min}`);
    super(optimizer, o.last_epoch, { T_0: o.T_0, T_i: o.T_0, T_mult: o.T_mult, eta_min: o.eta_min, T_cur: o.last_epoch });
  }
  get_lr(): number[] {
    return this.base_lrs.map((base) => this.eta_min + (base - this.eta_min) * (1 + Math.cos(Math.PI * this.T_cur / this.T_i)) / 2);
  }
  step(epoch?: number): void {
    if (epoch === undefined && this.last_epoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur % this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new Error(`Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) this.T_cur = epoch % this.T_0;
        else {
          const n = Math.trunc(Math.log(epoch / this.T_0 * (this.T_mult - 1) + 1) / Math.log(this.T_mult));
          this.T_cur = epoch - this.T_0 * (this.T_mult ** n - 1) / (this.T_mult - 1);
          this.T_i = this.T_0 * this.T_mult ** n;
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.last_epoch = Math.floor(epoch);
    const values = this.get_lr();
    this.optimizer.param_groups.forEach((g, i) => { g.lr = values[i]; });
    this._last_lr = lrs(this.optimizer);
  }
}

// ---- one cycle -------------------------------------------------------------------

export interface OneCycleLROptions {
  max_lr?: number | number[];
  total_steps?: number | null;
  epochs?: number | null;
  steps_per_epoch?: number | null;
  pct_start?: number;
  anneal_strategy?: 'cos' | 'linear';
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
  div_factor?: number;
  final_div_factor?: number;
  three_phase?: boolean;
  last_epoch?: number;
}
interface SchedulePhase { end_step: number; start_lr: string; end_lr: string; start_momentum: string; end_momentum: string }

/**
 * The 1cycle policy: lr rises from max_lr/div_factor to max_lr over pct_start of
 * total_steps, then anneals to initial_lr/final_div_factor; momentum (or Adam's
 * beta1) moves inversely between max_momentum and base_momentum. Not chainable.
 */
export class OneCycleLR extends LRScheduler {
  declare total_steps: number;
  declare _schedule_phases: SchedulePhase[];
  declare _anneal_func_type: 'cos' | 'linear';
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;
  constructor(optimizer: AnyOptimizer,
    ...args: Args<[max_lr: number | number[], total_steps: number | null, epochs: number | null, steps_per_epoch: number | null,
      pct_start: number, anneal_strategy: 'cos' | 'linear', cycle_momentum: boolean, base_momentum: number | number[],
      max_momentum: number | number[], div_factor: number, final_div_factor: number, three_phase: boolean, last_epoch: number], OneCycleLROptions>) {
    const o = bind<Required<OneCycleLROptions>>('OneCycleLR', optimizer, args);
    checkOptimizer(optimizer);
    let total: number;
    if (o.total_steps !== null) {
      if (o.total_steps <= 0 || !Number.isInteger(o.total_steps)) throw new Error(`Expected positive integer total_steps, but got ${o.total_steps}`);
      total = o.total_steps;
    } else if (o.epochs !== null && o.steps_per_epoch !== null) {
      if (!Number.isInteger(o.epochs) || o.epochs <= 0) throw new Error(`Expected positive integer epochs, but got ${o.epochs}`);
      if (!Number.isInteger(o.steps_per_epoch) || o.steps_per_epoch <= 0) {
        throw new Error(`Expected positive integer steps_per_epoch, but got ${o.steps_per_epoch}`);
      }
      total = o.epochs * o.steps_per_epoch;
    } else {
      throw new Error('You must define either total_steps OR (epochs AND steps_per_epoch)');
    }
    const p = o.pct_start;
    const phase = (end_step: number, start_lr: string, end_lr: string, start_momentum: string, end_momentum: string): SchedulePhase =>
      ({ end_step, start_lr, end_lr, start_momentum, end_momentum });
    const phases = o.three_phase
      ? [phase(p * total - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
        phase(2 * p * total - 2, 'max_lr', 'initial_lr', 'base_momentum', 'max_momentum'),
        phase(total - 1, 'initial_lr', 'min_lr', 'max_momentum', 'max_momentum')]
      : [phase(p * total - 1, 'initial_lr', 'max_lr', 'max_momentum', 'base_momentum'),
        phase(total - 1, 'max_lr', 'min_lr', 'base_momentum', 'max_momentum')];
    if (!(p >= 0 && p <= 1)) throw new Error(`Expected float between 0 and 1 pct_start, but got ${p}`);
    if (o.anneal_strategy !== 'cos' && o.anneal_strategy !== 'linear') {
      throw new Error(`anneal_strategy must be one of 'cos' or 'linear', instead got ${o.anneal_strategy}`);
    }
    const groups = optimizer.param_groups;
    const maxLrs = formatParam('max_lr', optimizer, o.max_lr);
    if (o.last_epoch === -1) {
      groups.forEach((g, i) => {
        g.initial_lr = maxLrs[i] / o.div_factor;
        g.max_lr = maxLrs[i];
        g.min_lr = (g.initial_lr as number) / o.final_div_factor;
      });
    }
    let useBeta1 = false;
    if (o.cycle_momentum) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults)) {
        throw new Error('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in defaults;
      const maxM = formatParam('max_momentum', optimizer, o.max_momentum);
      const baseM = formatParam('base_momentum', optimizer, o.base_momentum);
      if (o.last_epoch === -1) {
        groups.forEach((g, i) => {
          setMomentum(g, useBeta1, maxM[i]);
          g.max_momentum = maxM[i];
          g.base_momentum = baseM[i];
        });
      }
    }
    super(optimizer, o.last_epoch, {
      total_steps: total, _schedule_phases: phases, _anneal_func_type: o.anneal_strategy,
      cycle_momentum: o.cycle_momentum, ...(o.cycle_momentum ? { use_beta1: useBeta1 } : {}),
    });
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this._anneal_func_type === 'cos') return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  get_lr(): number[] {
    const step = this.last_epoch;
    if (step > this.total_steps) throw new Error(`Tried to step ${step} times. The specified number of total steps is ${this.total_steps}`);
    const phases = this._schedule_phases;
    return this.optimizer.param_groups.map((g) => {
      let start = 0;
      for (let i = 0; i < phases.length; i++) {
        const ph = phases[i];
        if (step <= ph.end_step || i === phases.length - 1) {
          const pct = (step - start) / (ph.end_step - start);
          if (this.cycle_momentum) {
            setMomentum(g, this.use_beta1, this.anneal(g[ph.start_momentum] as number, g[ph.end_momentum] as number, pct));
          }
          return this.anneal(g[ph.start_lr] as number, g[ph.end_lr] as number, pct);
        }
        start = ph.end_step;
      }
      throw new Error('unreachable');
    });
  }
}

/** Momentum for SGD-like groups, betas[0] for Adam-like ones. */
function setMomentum(g: Group, useBeta1: boolean, m: number): void {
  if (useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
  else g.momentum = m;
}

// ---- plateau ------------------------------------------------------------------

export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  threshold_mode?: 'rel' | 'abs';
  cooldown?: number;
  min_lr?: number | number[];
  eps?: number;
}

/** Multiplies lr by factor once the metric passed to step(metric) stops improving for more than patience steps. */
export class ReduceLROnPlateau extends LRScheduler {
  declare factor: number;
  declare default_min_lr: number | null;
  declare min_lrs: number[];
  declare patience: number;
  declare cooldown: number;
  declare eps: number;
  declare mode: 'min' | 'max';
  declare threshold: number;
  declare threshold_mode: 'rel' | 'abs';
  declare mode_worse: number;
  declare best: number;
  declare cooldown_counter: number;
  declare num_bad_epochs: number;
  constructor(optimizer: AnyOptimizer,
    ...args: Args<[mode: 'min' | 'max', factor: number, patience: number, threshold: number, threshold_mode: 'rel' | 'abs',
      cooldown: number, min_lr: number | number[], eps: number], ReduceLROnPlateauOptions>) {
    const o = bind<Required<ReduceLROnPlateauOptions>>('ReduceLROnPlateau', optimizer, args);
    if (o.factor >= 1.0) throw new Error('Factor should be < 1.0.');
    checkOptimizer(optimizer);
    const n = optimizer.param_groups.length;
    if (Array.isArray(o.min_lr) && o.min_lr.length !== n) throw new Error(`expected ${n} min_lrs, got ${o.min_lr.length}`);
    super(optimizer, 0, {
      factor: o.factor,
      default_min_lr: Array.isArray(o.min_lr) ? null : o.min_lr,
      min_lrs: Array.isArray(o.min_lr) ? o.min_lr.slice() : new Array<number>(n).fill(o.min_lr),
      patience: o.patience, cooldown: o.cooldown, eps: o.eps, last_epoch: 0, _last_lr: lrs(optimizer),
    }, false);
    this._init_is_better(o.mode, o.threshold, o.threshold_mode);
    this._reset();
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  get in_cooldown(): boolean {
    return this.cooldown_counter > 0;
  }

  /** metrics: a number or a one-element tensor (a validation loss). */
  step(metrics?: number | Tensor, epoch?: number): void {
    if (metrics === undefined) throw new TypeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
    const current = metrics instanceof Tensor ? metrics.item() : Number(metrics);
    epoch = epoch ?? this.last_epoch + 1;
    this.last_epoch = epoch;
    if (this._is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs++;
    }
    if (this.in_cooldown) {
      this.cooldown_counter--;
      this.num_bad_epochs = 0; // bad epochs in cooldown don't count
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr();
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = lrs(this.optimizer);
  }

  private _reduce_lr(): void {
    const groups = this.optimizer.param_groups;
    if (groups.length !== this.min_lrs.length) {
      if (this.default_min_lr === null) {
        throw new Error(`The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` ` +
          `was initialized (${this.min_lrs.length}), usually due to a new param group being added to the optimizer. Please modify ` +
          'the `min_lrs` field to match the length of the `optimizer` param groups.');
      }
      this.min_lrs = new Array<number>(groups.length).fill(this.default_min_lr);
    }
    groups.forEach((g, i) => {
      const old = g.lr as number;
      const next = Math.max(old * this.factor, this.min_lrs[i]);
      if (old - next > this.eps) g.lr = next;
    });
  }

  private _is_better(a: number, best: number): boolean {
    if (this.mode === 'min' && this.threshold_mode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.threshold_mode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  private _init_is_better(mode: string, threshold: number, threshold_mode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new Error(`mode ${mode} is unknown!`);
    if (threshold_mode !== 'rel' && threshold_mode !== 'abs') throw new Error(`threshold mode ${threshold_mode} is unknown!`);
    this.mode_worse = mode === 'min' ? Infinity : -Infinity;
    this.mode = mode;
    this.threshold = threshold;
    this.threshold_mode = threshold_mode;
  }

  load_state_dict(state_dict: SchedulerStateDict): void {
    super.load_state_dict(state_dict);
    this._init_is_better(this.mode, this.threshold, this.threshold_mode);
  }
}

// ---- combinators -------------------------------------------------------------------

/** Nested schedulers are saved as their own state dicts. */
function saveNested(s: LRScheduler & { _schedulers: LRScheduler[] }): SchedulerStateDict {
  const { _schedulers: _drop, ...rest } = LRScheduler.prototype.state_dict.call(s);
  return { ...rest, _schedulers: s._schedulers.map((x) => x.state_dict()) };
}
function loadNested(s: LRScheduler & { _schedulers: LRScheduler[] }, sd: SchedulerStateDict): void {
  const { _schedulers: nested, ...rest } = sd;
  LRScheduler.prototype.load_state_dict.call(s, rest);
  (nested as SchedulerStateDict[]).forEach((x, i) => s._schedulers[i].load_state_dict(x));
}

function checkSchedulers(cls: string, optimizer: AnyOptimizer, schedulers: LRScheduler[]): void {
  schedulers.forEach((s, i) => {
    if (!('optimizer' in s)) throw new TypeError(`${cls} at index ${i} should have \`optimizer\` as its attribute.`);
    if (s instanceof ReduceLROnPlateau) {
      throw new Error(`${cls} does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified ` +
        `when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`);
    }
    if (s.optimizer !== optimizer) {
      throw new Error(`${cls} expects all schedulers to belong to the same optimizer, but got scheduler ${s.constructor.name} ` +
        `at index ${i} has ${s.optimizer.constructor.name}, which is different from ${optimizer.constructor.name}.`);
    }
  });
}

/** Undoes the initial step each scheduler took in its constructor. */
function recursiveUndo(s: LRScheduler): void {
  const nested = (s as { _schedulers?: LRScheduler[] })._schedulers;
  if (nested) nested.forEach(recursiveUndo);
  else s.last_epoch -= 1;
}

export interface SequentialLROptions { schedulers?: LRScheduler[]; milestones?: number[]; last_epoch?: number }

/** Runs schedulers one after another, switching at the milestones (e.g. a LinearLR warmup, then cosine). */
export class SequentialLR extends LRScheduler {
  declare _schedulers: LRScheduler[];
  declare _milestones: number[];
  constructor(optimizer: AnyOptimizer,
    ...args: Args<[schedulers: LRScheduler[], milestones: number[], last_epoch: number], SequentialLROptions>) {
    const o = bind<Required<SequentialLROptions>>('SequentialLR', optimizer, args);
    if (o.schedulers.length < 1) throw new Error('SequentialLR expects at least one scheduler, but got no scheduler.');
    checkSchedulers('SequentialLR', optimizer, o.schedulers);
    if (o.milestones.length !== o.schedulers.length - 1) {
      throw new Error('Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, ' +
        `but got number of schedulers ${o.schedulers.length} and the number of milestones to be equal to ${o.milestones.length}`);
    }
    super(optimizer, o.last_epoch, { _schedulers: o.schedulers, _milestones: o.milestones.slice(), last_epoch: o.last_epoch + 1 }, false);
    for (const g of optimizer.param_groups) g.lr = g.initial_lr;
    recursiveUndo(this);
    this._schedulers[0]._initial_step();
    this._last_lr = this._schedulers[0].get_last_lr();
  }
  step(): void {
    this.last_epoch++;
    let idx = 0; // bisect_right
    while (idx < this._milestones.length && this._milestones[idx] <= this.last_epoch) idx++;
    const s = this._schedulers[idx];
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) s._update_lr(0);
    else s.step();
    this._last_lr = s.get_last_lr();
  }
  state_dict(): SchedulerStateDict { return saveNested(this); }
  load_state_dict(sd: SchedulerStateDict): void { loadNested(this, sd); }
}

/** Steps every scheduler at each step(), so their (chainable) effects multiply. */
export class ChainedScheduler extends LRScheduler {
  declare _schedulers: LRScheduler[];
  constructor(schedulers: LRScheduler[], ...args: Args<[optimizer: AnyOptimizer | null], { optimizer?: AnyOptimizer | null }>) {
    const { optimizer } = pyBindNamed(SIGS.ChainedScheduler, [schedulers, ...args]) as { optimizer: AnyOptimizer | null };
    if (schedulers.length < 1) throw new Error('ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.');
    const opt = optimizer ?? schedulers[0].optimizer;
    checkSchedulers('ChainedScheduler', opt, schedulers);
    super(opt, -1, { _schedulers: schedulers, _last_lr: lrs(schedulers[schedulers.length - 1].optimizer) }, false);
  }
  step(): void {
    for (const s of this._schedulers) s.step();
    this._last_lr = lrs(this._schedulers[this._schedulers.length - 1].optimizer);
  }
  state_dict(): SchedulerStateDict { return saveNested(this); }
  load_state_dict(sd: SchedulerStateDict): void { loadNested(this, sd); }
}

/** The pre-2.0 name, kept by PyTorch for compatibility. */
export { LRScheduler as _LRScheduler };
