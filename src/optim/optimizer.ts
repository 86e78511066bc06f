// The Optimizer base: param groups with their own options, per-parameter
// state, zero_grad, and PyTorch-shaped state_dict / load_state_dict.
import { Tensor, releaseGrad } from '../tensor.js';
import { zeros_like } from '../ops/creation.js';
import { shapeStr } from '../ops/core.js';
import { no_grad } from '../autograd/engine.js';
import { signature, pyType, typename, isOptions } from '../signature.js';
import { pyBind } from '../pyfunction.js';
import { pyRepr } from '../pyrepr.js';

/** A parameter's rows (its first dimension): optimizer updates split across threads by rows, as GEMMs split weights. */
export function rowsOf(p: Tensor): number {
  return p.dim() > 0 ? p.shape[0] : 1;
}

export type ParamGroup = { params: Tensor[] } & Record<string, unknown>;
/** Tensors, (name, tensor) pairs as named_parameters() gives them, or param groups (dicts with their own options). */
export type Params = Tensor[] | Iterable<Tensor> | Iterable<[string, Tensor]> | (Record<string, unknown> & { params: Tensor | Iterable<Tensor> | Iterable<[string, Tensor]> })[];
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

const ZERO_GRAD = signature('Optimizer.zero_grad(bool set_to_none=True)');
const ADD_PARAM_GROUP = signature('Optimizer.add_param_group(Any param_group)');

/**
 * A learning rate (or weight decay) PyTorch also takes as a one-element tensor: its value, as a number
 * (wasmtorch keeps plain numbers in param groups).
 */
export function scalarOption(name: string, v: unknown): number {
  if (v instanceof Tensor) {
    if (v.numel() !== 1) throw new Error(`Tensor ${name} must be 1-element`);
    return Number(v.item());
  }
  return v as number;
}

/**
 * Options of PyTorch's signature that select an implementation wasmtorch doesn't have: accepted at their
 * default (or an equivalent one), refused otherwise, before anything is built.
 */
/** PyTorch's `if not 0.0 <= x: raise ValueError(...)` checks of an optimizer's options, in the order given (NaN fails). */
export function requireNonNegative<O extends object>(options: O, names: (keyof O & string)[]): void {
  for (const name of names) {
    const v = options[name] as number;
    const what = name === 'lr' ? 'learning rate' : name === 'eps' ? 'epsilon value' : `${name} value`;
    if (!(0 <= v)) throw new Error(`Invalid ${what}: ${pyRepr(v)}`);
  }
}

export function refuseUnsupported<O extends object>(cls: string, options: O, names: (keyof O & string)[]): void {
  const values = options as Record<string, unknown>;
  for (const name of names) {
    if (values[name] === true) {
      throw new Error(`${cls}: ${name}=True is not supported by wasmtorch (its optimizers run one implementation, a wasm kernel ` +
        `over each parameter${name === 'differentiable' ? ', outside autograd' : ''}); leave ${name} at its default`);
    }
  }
}

export abstract class Optimizer<Options extends object> {
  param_groups: (ParamGroup & Options)[] = [];
  state = new Map<Tensor, Record<string, Tensor | number>>();

  constructor(params: Params, readonly defaults: Options) {
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${typename(params)}`);
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`'${pyType(params)}' object is not iterable`);
    }
    const list = Array.from(params as Iterable<unknown>);
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const groups = isOptions(list[0]) ? list : [{ params: list }];
    for (const g of groups) this._add_param_group(g);
  }

  /** Adds a group of parameters with its own options (the optimizer's defaults fill the ones it leaves out). */
  add_param_group(...args: [param_group: Record<string, unknown> & { params: unknown }]): void {
    const [group] = pyBind(ADD_PARAM_GROUP, args);
    this._add_param_group(group);
  }

  private _add_param_group(group: unknown): void {
    if (!isOptions(group)) throw new TypeError(`param_group must be a dict, but got <class '${pyType(group)}'>`);
    const raw = group.params;
    if (raw === undefined) throw new Error("param_group has no 'params' (KeyError: 'params')");
    if (raw instanceof Set) {
      throw new TypeError('optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets ' +
        'will change between runs. Please use a list instead.');
    }
    if (!(raw instanceof Tensor) && (raw === null || typeof (raw as Iterable<unknown>)[Symbol.iterator] !== 'function')) {
      throw new TypeError(`'${pyType(raw)}' object is not iterable`);
    }
    const entries = raw instanceof Tensor ? [raw] : Array.from(raw as Iterable<unknown>);
    const params: unknown[] = [];
    const names: string[] = [];
    for (const e of entries) {
      // a (name, tensor) pair, as named_parameters() gives
      if (Array.isArray(e) && e.length === 2 && typeof e[0] === 'string') {
        names.push(e[0]);
        params.push(e[1]);
      } else params.push(e);
    }
    if (names.length !== 0 && names.length !== params.length) {
      throw new Error('all optimizer params should be with/without names. Some param names are missing');
    }
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${typename(p)}`);
      if (!(p.is_leaf || p._retains_grad)) throw new Error("can't optimize a non-leaf Tensor");
    }
    // PyTorch's dict order: the group's own keys (params in its place), then the defaults it leaves out
    const g: Record<string, unknown> = { ...group, params };
    if (names.length !== 0) g.param_names = names;
    for (const [k, v] of Object.entries(this.defaults)) if (!(k in g)) g[k] = Array.isArray(v) ? v.slice() : v;
    const tensors = params as Tensor[];
    for (const other of this.param_groups) {
      if (('param_names' in g) !== ('param_names' in other)) {
        throw new Error('all optimizer param groups should be with/without names. ' +
          `cannot add param group ${'param_names' in g ? 'with names' : 'without names'} to the optimizer`);
      }
    }
    for (const other of this.param_groups) {
      if (other.params.some((p) => tensors.includes(p))) throw new Error('some parameters appear in more than one parameter group');
    }
    this.param_groups.push(g as ParamGroup & Options);
  }

  /** Frees (set_to_none, the default) or zeroes every parameter's gradient. */
  zero_grad(...args: [set_to_none?: boolean] | [options: { set_to_none?: boolean }]): void {
    // called every iteration: a plain call or one bool skips the parser
    const set_to_none = args.length === 0 ? true : args.length === 1 && typeof args[0] === 'boolean' ? args[0]
      : (pyBind(ZERO_GRAD, args)[0] as boolean);
    for (const g of this.param_groups) {
      for (const p of g.params) {
        if (p._grad === null) continue;
        if (set_to_none) releaseGrad(p);
        else no_grad(() => p._grad!.zero_());
      }
    }
  }

  /** One update of every parameter that has a gradient. */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure ? closure() : undefined;
    no_grad(() => {
      for (const g of this.param_groups) {
        for (const p of g.params) if (p._grad !== null) this.update(p, p._grad, g);
      }
    });
    return loss;
  }

  protected abstract update(p: Tensor, grad: Tensor, group: ParamGroup & Options): void;

  /** The per-parameter state, made by `init` on the first step. */
  protected stateOf(p: Tensor, init: () => Record<string, Tensor | number>): Record<string, Tensor | number> {
    let s = this.state.get(p);
    if (s === undefined) this.state.set(p, (s = init()));
    return s;
  }

  /** A zero-filled state buffer shaped like p, owned by the optimizer. */
  protected buffer(p: Tensor): Tensor {
    const t = zeros_like(p);
    t.storage.persistent = true;
    return t;
  }

  /** Fused kernels update p in one pass over dense memory. */
  protected checkDense(p: Tensor, grad: Tensor): void {
    if (!p.is_contiguous() || !grad.is_contiguous() || grad.numel() !== p.numel()) {
      throw new Error(`${this.constructor.name}: parameter ${shapeStr(p.shape)} and its gradient ${shapeStr(grad.shape)} must be contiguous and of the same size`);
    }
  }

  /** Parameters are numbered in group order, as in PyTorch's optimizer state_dict. */
  state_dict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    const param_groups: OptimizerStateDict['param_groups'] = [];
    let index = 0;
    for (const g of this.param_groups) {
      const ids: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) state[index] = Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? v.clone() : v]));
        ids.push(index++);
      }
      const { params: _params, ...options } = g;
      param_groups.push({ ...options, params: ids });
    }
    return { state, param_groups };
  }

  load_state_dict(sd: OptimizerStateDict): void {
    if (sd.param_groups.length !== this.param_groups.length) {
      throw new Error('loaded state dict has a different number of parameter groups');
    }
    sd.param_groups.forEach((g, i) => {
      if (g.params.length !== this.param_groups[i].params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    });
    this.state.clear();
    sd.param_groups.forEach((g, i) => {
      const own = this.param_groups[i];
      const { params: ids, ...options } = g;
      Object.assign(own, options);
      ids.forEach((id, j) => {
        const s = sd.state[id];
        if (!s) return;
        const copy: Record<string, Tensor | number> = {};
        for (const [k, v] of Object.entries(s)) {
          if (v instanceof Tensor) {
            const t = v.clone();
            t.storage.persistent = true;
            copy[k] = t;
          } else copy[k] = v;
        }
        this.state.set(own.params[j], copy);
      });
    });
  }
}
