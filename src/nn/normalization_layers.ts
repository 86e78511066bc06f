// Normalization and dropout modules: BatchNorm1d/2d/3d, LayerNorm, GroupNorm,
// Dropout, Dropout2d, and Unflatten. Parameters and buffers carry PyTorch's
// names, so state dicts round-trip (weight, bias, running_mean, running_var,
// num_batches_tracked).
import { Tensor } from '../tensor.js';
import { Module, Parameter } from './module.js';
import * as ops from '../ops/index.js';
import { no_grad } from '../autograd/engine.js';
import { composite } from '../ops/core.js';
import { batch_norm, layer_norm, group_norm, dropout, dropout2d } from './normalization.js';

/** Python's repr of a float: 1e-05, 0.1, 1.0. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  const [mantissa, expStr] = x.toExponential().split('e');
  const e = Number(expStr);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(x);
}

const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Python's tuple repr: (3,), (2, 5). */
function pyTuple(xs: readonly number[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`;
}

function isOptions(a: unknown): a is Record<string, unknown> {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && !(a instanceof Tensor);
}

/** Constructor arguments after the required ones: positional in PyTorch's order, or one options object. */
function ctorArgs<T extends object>(args: unknown[], names: (keyof T & string)[], defaults: Required<T>): Required<T> {
  const out = { ...defaults } as Record<string, unknown>;
  let i = 0;
  for (const a of args) {
    if (isOptions(a)) {
      for (const [k, v] of Object.entries(a)) if (v !== undefined) out[k] = v;
    } else {
      if (a !== undefined) out[names[i]] = a;
      i++;
    }
  }
  return out as Required<T>;
}

// ---- batch norm --------------------------------------------------------------------

export interface BatchNormArgs {
  eps?: number;
  /** null: a cumulative moving average over the batches seen */
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
}

/** PyTorch's _BatchNorm: the dimension check is the subclass's. */
export abstract class _BatchNorm extends Module {
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly track_running_stats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(readonly num_features: number, ...args: (number | boolean | null | BatchNormArgs | undefined)[]) {
    super();
    const o = ctorArgs<BatchNormArgs>(args, ['eps', 'momentum', 'affine', 'track_running_stats'],
      { eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true });
    this.eps = o.eps;
    this.momentum = o.momentum;
    this.affine = o.affine;
    this.track_running_stats = o.track_running_stats;
    this.weight = this.affine ? new Parameter(ops.ones([num_features])) : null;
    this.bias = this.affine ? new Parameter(ops.zeros([num_features])) : null;
    if (this.track_running_stats) {
      this.register_buffer('running_mean', ops.zeros([num_features]));
      this.register_buffer('running_var', ops.ones([num_features]));
      this.register_buffer('num_batches_tracked', ops.zeros([], { dtype: 'int64' }));
    } else {
      this.register_buffer('running_mean', null);
      this.register_buffer('running_var', null);
      this.register_buffer('num_batches_tracked', null);
    }
  }

  get running_mean(): Tensor | null {
    return this._buffers.get('running_mean') ?? null;
  }
  set running_mean(t: Tensor | null) {
    this.register_buffer('running_mean', t);
  }
  get running_var(): Tensor | null {
    return this._buffers.get('running_var') ?? null;
  }
  set running_var(t: Tensor | null) {
    this.register_buffer('running_var', t);
  }
  get num_batches_tracked(): Tensor | null {
    return this._buffers.get('num_batches_tracked') ?? null;
  }
  set num_batches_tracked(t: Tensor | null) {
    this.register_buffer('num_batches_tracked', t);
  }

  reset_running_stats(): void {
    no_grad(() => {
      this.running_mean?.zero_();
      this.running_var?.fill_(1);
      this.num_batches_tracked?.zero_();
    });
  }

  reset_parameters(): void {
    this.reset_running_stats();
    no_grad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }

  protected abstract _check_input_dim(input: Tensor): void;

  forward(input: Tensor): Tensor {
    this._check_input_dim(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.track_running_stats && this.num_batches_tracked) {
      const count = this.num_batches_tracked;
      // inside composite: an in-place op's temporaries are freed at once
      composite(() => no_grad(() => void count.add_(1)));
      factor = this.momentum === null ? 1 / count.item() : this.momentum;
    }
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const useRunning = !this.training || this.track_running_stats;
    return batch_norm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null,
      this.weight, this.bias, useBatchStats, factor, this.eps);
  }

  extra_repr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.track_running_stats)}`;
  }
}

/** nn.BatchNorm1d: input [N, C] or [N, C, L]. */
export class BatchNorm1d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.dim() !== 2 && input.dim() !== 3) throw new Error(`expected 2D or 3D input (got ${input.dim()}D input)`);
  }
}

/** nn.BatchNorm2d: input [N, C, H, W]. */
export class BatchNorm2d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.dim() !== 4) throw new Error(`expected 4D input (got ${input.dim()}D input)`);
  }
}

/** nn.BatchNorm3d: input [N, C, D, H, W]. */
export class BatchNorm3d extends _BatchNorm {
  protected _check_input_dim(input: Tensor): void {
    if (input.dim() !== 5) throw new Error(`expected 5D input (got ${input.dim()}D input)`);
  }
}

// ---- layer norm, group norm ------------------------------------------------------

export interface LayerNormArgs {
  eps?: number;
  elementwise_affine?: boolean;
  bias?: boolean;
}

/** nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=true, bias=true). */
export class LayerNorm extends Module {
  readonly normalized_shape: number[];
  readonly eps: number;
  readonly elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(normalized_shape: number | number[], ...args: (number | boolean | LayerNormArgs | undefined)[]) {
    super();
    const o = ctorArgs<LayerNormArgs>(args, ['eps', 'elementwise_affine', 'bias'], { eps: 1e-5, elementwise_affine: true, bias: true });
    this.normalized_shape = typeof normalized_shape === 'number' ? [normalized_shape] : normalized_shape.slice();
    this.eps = o.eps;
    this.elementwise_affine = o.elementwise_affine;
    this.weight = this.elementwise_affine ? new Parameter(ops.ones(this.normalized_shape)) : null;
    this.bias = this.elementwise_affine && o.bias ? new Parameter(ops.zeros(this.normalized_shape)) : null;
  }
  reset_parameters(): void {
    no_grad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }
  forward(input: Tensor): Tensor {
    return layer_norm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${pyTuple(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}`;
  }
}

export interface GroupNormArgs {
  eps?: number;
  affine?: boolean;
}

/** nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=true). */
export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(readonly num_groups: number, readonly num_channels: number, ...args: (number | boolean | GroupNormArgs | undefined)[]) {
    super();
    if (num_channels % num_groups !== 0) throw new Error('num_channels must be divisible by num_groups');
    const o = ctorArgs<GroupNormArgs>(args, ['eps', 'affine'], { eps: 1e-5, affine: true });
    this.eps = o.eps;
    this.affine = o.affine;
    this.weight = this.affine ? new Parameter(ops.ones([num_channels])) : null;
    this.bias = this.affine ? new Parameter(ops.zeros([num_channels])) : null;
  }
  reset_parameters(): void {
    no_grad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }
  forward(input: Tensor): Tensor {
    return group_norm(input, this.num_groups, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}

// ---- dropout ---------------------------------------------------------------------

export interface DropoutArgs {
  p?: number;
  inplace?: boolean;
}

abstract class _DropoutNd extends Module {
  readonly p: number;
  readonly inplace: boolean;
  constructor(...args: (number | boolean | DropoutArgs | undefined)[]) {
    super();
    const o = ctorArgs<DropoutArgs>(args, ['p', 'inplace'], { p: 0.5, inplace: false });
    if (!(o.p >= 0 && o.p <= 1)) throw new Error(`dropout probability has to be between 0 and 1, but got ${o.p}`);
    this.p = o.p;
    this.inplace = o.inplace;
  }
  extra_repr(): string {
    return `p=${this.p}, inplace=${pyBool(this.inplace)}`;
  }
}

/** nn.Dropout(p=0.5): F.dropout while training, the identity in eval mode. */
export class Dropout extends _DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, this.inplace);
  }
}

/** nn.Dropout2d(p=0.5): zeroes whole channels of [N, C, H, W] input while training. */
export class Dropout2d extends _DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, this.training, this.inplace);
  }
}

// ---- Unflatten -------------------------------------------------------------------

/** nn.Unflatten(dim, unflattened_size): dim expanded into the given sizes. */
export class Unflatten extends Module {
  readonly unflattened_size: number[];
  constructor(readonly dim: number, unflattened_size: number[]) {
    super();
    if (!Array.isArray(unflattened_size)) {
      throw new Error(`unflattened_size must be tuple of ints, but found type ${typeof unflattened_size}`);
    }
    unflattened_size.forEach((s, i) => {
      if (!Number.isInteger(s)) throw new Error(`unflattened_size must be tuple of ints, but found element of type ${typeof s} at pos ${i}`);
    });
    this.unflattened_size = unflattened_size.slice();
  }
  forward(input: Tensor): Tensor {
    return ops.unflatten(input, this.dim, this.unflattened_size);
  }
  extra_repr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattened_size)}`;
  }
}
