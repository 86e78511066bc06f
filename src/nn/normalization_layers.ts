// Normalization and dropout modules: BatchNorm1d/2d/3d, LayerNorm, GroupNorm,
// Dropout, Dropout2d, and Unflatten. Parameters and buffers carry PyTorch's
// names, so state dicts round-trip (weight, bias, running_mean, running_var,
// num_batches_tracked).
import { Tensor } from '../tensor.js';
import { Module, Parameter, factoryKwargs } from './module.js';
import { signature, bind, pyType, type CallArgs } from '../signature.js';
import * as ops from '../ops/index.js';
import { no_grad } from '../autograd/engine.js';
import { composite } from '../ops/core.js';
import { pyFloat, pyBool, pyRepr, pyTuple } from '../pyrepr.js';
import { batchNorm, layerNorm, groupNorm, dropoutImpl, dropout2dImpl } from './normalization.js';

// ---- batch norm --------------------------------------------------------------------

export interface BatchNormArgs {
  num_features?: number;
  eps?: number;
  /** null: a cumulative moving average over the batches seen */
  momentum?: number | null;
  affine?: boolean;
  track_running_stats?: boolean;
  device?: unknown;
  dtype?: unknown;
  /** keyword-only: false leaves the affine transform without its bias */
  bias?: boolean;
}
type BatchNormCall = CallArgs<[num_features: number, eps: number, momentum: number | null, affine: boolean, track_running_stats: boolean,
  device: unknown, dtype: unknown], BatchNormArgs>;

const BATCH_NORM = signature('_BatchNorm(int num_features, float eps=1e-05, float? momentum=0.1, bool affine=True, ' +
  'bool track_running_stats=True, Any device=None, Any dtype=None, *, bool bias=True)');

/** PyTorch's _BatchNorm: the dimension check is the subclass's. */
export abstract class _BatchNorm extends Module {
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly track_running_stats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  readonly num_features: number;

  /** (num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *, bias=True) */
  constructor(...args: BatchNormCall) {
    super();
    const [num_features, eps, momentum, affine, track_running_stats, device, dtype, bias] =
      bind(BATCH_NORM, args) as [number, number, number | null, boolean, boolean, unknown, unknown, boolean];
    factoryKwargs('_BatchNorm', device, dtype);
    this.num_features = num_features;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.track_running_stats = track_running_stats;
    this.weight = this.affine ? new Parameter(ops.ones([num_features])) : null;
    this.bias = this.affine && bias ? new Parameter(ops.zeros([num_features])) : null;
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
    return batchNorm(input, useRunning ? this.running_mean : null, useRunning ? this.running_var : null,
      this.weight, this.bias, useBatchStats, factor, this.eps);
  }

  extra_repr(): string {
    return `${this.num_features}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, ` +
      `affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}, track_running_stats=${pyBool(this.track_running_stats)}`;
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
  normalized_shape?: number | number[];
  eps?: number;
  elementwise_affine?: boolean;
  bias?: boolean;
  device?: unknown;
  dtype?: unknown;
}

const LAYER_NORM = signature('LayerNorm(int[] normalized_shape, float eps=1e-05, bool elementwise_affine=True, bool bias=True, ' +
  'Any device=None, Any dtype=None)');

/** nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None). */
export class LayerNorm extends Module {
  readonly normalized_shape: number[];
  readonly eps: number;
  readonly elementwise_affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(...args: CallArgs<[normalized_shape: number | number[], eps: number, elementwise_affine: boolean, bias: boolean,
    device: unknown, dtype: unknown], LayerNormArgs>) {
    super();
    const [normalized_shape, eps, elementwise_affine, bias, device, dtype] =
      bind(LAYER_NORM, args) as [number[], number, boolean, boolean, unknown, unknown];
    factoryKwargs('LayerNorm', device, dtype);
    this.normalized_shape = normalized_shape;
    this.eps = eps;
    this.elementwise_affine = elementwise_affine;
    this.weight = this.elementwise_affine ? new Parameter(ops.ones(this.normalized_shape)) : null;
    this.bias = this.elementwise_affine && bias ? new Parameter(ops.zeros(this.normalized_shape)) : null;
  }
  reset_parameters(): void {
    no_grad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }
  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalized_shape, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${pyTuple(this.normalized_shape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwise_affine)}, ` +
      `bias=${pyBool(this.bias !== null)}`;
  }
}

export interface GroupNormArgs {
  num_groups?: number;
  num_channels?: number;
  eps?: number;
  affine?: boolean;
  device?: unknown;
  dtype?: unknown;
  /** keyword-only: false leaves the affine transform without its bias */
  bias?: boolean;
}

const GROUP_NORM = signature('GroupNorm(int num_groups, int num_channels, float eps=1e-05, bool affine=True, Any device=None, Any dtype=None, ' +
  '*, bool bias=True)');

/** nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None, *, bias=True). */
export class GroupNorm extends Module {
  readonly num_groups: number;
  readonly num_channels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  constructor(...args: CallArgs<[num_groups: number, num_channels: number, eps: number, affine: boolean, device: unknown, dtype: unknown],
    GroupNormArgs>) {
    super();
    const [num_groups, num_channels, eps, affine, device, dtype, bias] =
      bind(GROUP_NORM, args) as [number, number, number, boolean, unknown, unknown, boolean];
    factoryKwargs('GroupNorm', device, dtype);
    // PyTorch's ValueError (num_groups 0 is Python's ZeroDivisionError: integer modulo by zero)
    if (num_groups === 0) throw new Error('integer modulo by zero');
    if (num_channels % num_groups !== 0) throw new Error(`num_channels (${num_channels}) must be divisible by num_groups (${num_groups})`);
    this.num_groups = num_groups;
    this.num_channels = num_channels;
    this.eps = eps;
    this.affine = affine;
    this.weight = this.affine ? new Parameter(ops.ones([num_channels])) : null;
    this.bias = this.affine && bias ? new Parameter(ops.zeros([num_channels])) : null;
  }
  reset_parameters(): void {
    no_grad(() => {
      this.weight?.fill_(1);
      this.bias?.zero_();
    });
  }
  forward(input: Tensor): Tensor {
    return groupNorm(input, this.num_groups, this.weight, this.bias, this.eps);
  }
  extra_repr(): string {
    return `${this.num_groups}, ${this.num_channels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}, bias=${pyBool(this.bias !== null)}`;
  }
}

// ---- dropout ---------------------------------------------------------------------

export interface DropoutArgs {
  p?: number;
  inplace?: boolean;
}

const DROPOUT = signature('_DropoutNd(float p=0.5, bool inplace=False)');

export abstract class _DropoutNd extends Module {
  readonly p: number;
  readonly inplace: boolean;
  /** (p=0.5, inplace=False) */
  constructor(...args: CallArgs<[p: number, inplace: boolean], DropoutArgs>) {
    super();
    const [p, inplace] = bind(DROPOUT, args) as [number, boolean];
    // PyTorch's ValueError
    if (p < 0 || p > 1 || Number.isNaN(p)) throw new Error(`dropout probability has to be between 0 and 1, but got ${pyRepr(p)}`);
    this.p = p;
    this.inplace = inplace;
  }
  extra_repr(): string {
    return `p=${this.p}, inplace=${pyBool(this.inplace)}`;
  }
}

/** nn.Dropout(p=0.5): F.dropout while training, the identity in eval mode. */
export class Dropout extends _DropoutNd {
  forward(input: Tensor): Tensor {
    return dropoutImpl(input, this.p, this.training, this.inplace);
  }
}

/** nn.Dropout2d(p=0.5): zeroes whole channels of [N, C, H, W] input while training. */
export class Dropout2d extends _DropoutNd {
  forward(input: Tensor): Tensor {
    return dropout2dImpl(input, this.p, this.training, this.inplace);
  }
}

// ---- Unflatten -------------------------------------------------------------------

const UNFLATTEN = signature('Unflatten(int dim, Any unflattened_size)');

/** nn.Unflatten(dim, unflattened_size): dim expanded into the given sizes. */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattened_size: number[];
  constructor(...args: [dim: number, unflattened_size: number[]] | [dim: number, unflattened_size: number[], options: object]
    | [dim: number, options: { unflattened_size: number[] }] | [options: { dim: number; unflattened_size: number[] }]) {
    super();
    const [dim, unflattened_size] = bind(UNFLATTEN, args) as [number, unknown];
    // PyTorch's _require_tuple_int, with its words
    if (!Array.isArray(unflattened_size)) {
      throw new TypeError(`unflattened_size must be a tuple of ints, but found type ${pyType(unflattened_size)}`);
    }
    unflattened_size.forEach((s: unknown, i) => {
      if (!Number.isInteger(s)) throw new TypeError(`unflattened_size must be tuple of ints, but found element of type ${pyType(s)} at pos ${i}`);
    });
    this.dim = dim;
    this.unflattened_size = (unflattened_size as number[]).slice();
  }
  forward(input: Tensor): Tensor {
    return ops.unflatten(input, this.dim, this.unflattened_size);
  }
  extra_repr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattened_size)}`;
  }
}
