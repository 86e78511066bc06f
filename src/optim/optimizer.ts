// The Optimizer base: param groups with their own options, per-parameter
// state, zero_grad, and PyTorch-shaped state_dict / load_state_dict.
import { Tensor, releaseGrad } from '../tensor.js';
import { zeros_like } from '../ops/creation.js';
import { shapeStr } from '../ops/core.js';
import { no_grad } from '../autograd/engine.js';

/** A parameter's rows (its first dimension): optimizer updates split across threads by rows, as GEMMs split weights. */
export function rowsOf(p: Tensor): number {
  return p.dim() > 0 ? p.shape[0] : 1;
}

export type ParamGroup = { params: Tensor[] } & Record<string, unknown>;
export type Params = Tensor[] | Iterable<Tensor> | ParamGroup[];
export interface OptimizerStateDict {
  state: Record<number, Record<string, Tensor | number>>;
  param_groups: (Record<string, unknown> & { params: number[] })[];
}

export abstract class Optimizer<Options extends object> {
  param_groups: (ParamGroup & Options)[] = [];
  state = new Map<Tensor, Record<string, Tensor | number>>();

  constructor(params: Params, readonly defaults: Options) {
    const list = Array.from(params as Iterable<Tensor | ParamGroup>);
    if (list.length === 0) throw new Error('optimizer got an empty parameter list');
    const groups: ParamGroup[] = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroup[]);
    for (const g of groups) this.add_param_group(g);
  }

  add_param_group(group: ParamGroup): void {
    const params = Array.from(group.params);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new Error('optimizer can only optimize Tensors');
      if (!p.is_leaf) throw new Error("can't optimize a non-leaf Tensor");
      for (const g of this.param_groups) {
        if (g.params.includes(p)) throw new Error('some parameters appear in more than one parameter group');
      }
    }
    this.param_groups.push({ ...this.defaults, ...group, params } as ParamGroup & Options);
  }

  zero_grad(set_to_none = true): void {
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
