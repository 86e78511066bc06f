// Layers: parameters with PyTorch's default initialisation, forward in ops. Each constructor's parameters are
// declared once as PyTorch's signature line and bound by the parser (positional, by name in a last options
// object, or both); forward() reads the fields the constructor set, never parsing anything per call.
import { Tensor } from '../tensor.js';
import { Module, Parameter, factoryKwargs } from './module.js';
import { empty_ } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import { applyInPlace } from '../ops/inplace.js';
import * as init from './init.js';
import * as F from './functional.js';
import { lossModuleOptions, reductionOf, checkedOptions } from './loss_args.js';
import { pyFloat } from '../pyrepr.js';
import { signature, bind, type Signature, type CallArgs } from '../signature.js';

const LINEAR = signature('Linear(int in_features, int out_features, bool bias=True, Any device=None, Any dtype=None)');

/** nn.Linear(in_features, out_features, bias=True, device=None, dtype=None). */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly in_features: number;
  readonly out_features: number;
  constructor(...args: CallArgs<[in_features: number, out_features: number, bias: boolean, device: unknown, dtype: unknown],
    { in_features?: number; out_features?: number; bias?: boolean; device?: unknown; dtype?: unknown }>) {
    super();
    const [in_features, out_features, bias, device, dtype] = bind(LINEAR, args) as [number, number, boolean, unknown, unknown];
    factoryKwargs('Linear', device, dtype);
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = new Parameter(empty_(out_features, in_features));
    this.bias = bias ? new Parameter(empty_(out_features)) : null;
    this.reset_parameters();
  }
  reset_parameters(): void {
    // PyTorch: kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the bias the same bound
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.in_features > 0 ? 1 / Math.sqrt(this.in_features) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  forward(x: Tensor): Tensor {
    return ops.linear(x, this.weight, this.bias);
  }
  extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}

// ---- activations -----------------------------------------------------------

const RELU = signature('ReLU(bool inplace=False)');
const SILU = signature('SiLU(bool inplace=False)');
const SIGMOID = signature('Sigmoid()');
const TANH = signature('Tanh()');

type InplaceArgs = CallArgs<[inplace: boolean], { inplace?: boolean }>;

/** An activation with PyTorch's inplace flag: ReLU, SiLU. */
abstract class InplaceActivation extends Module {
  readonly inplace: boolean;
  protected abstract readonly fn: (x: Tensor) => Tensor;
  constructor(sig: Signature, args: unknown[]) {
    super();
    [this.inplace] = bind(sig, args) as [boolean];
  }
  forward(x: Tensor): Tensor {
    return this.inplace ? applyInPlace(x, this.fn) : this.fn(x);
  }
  extra_repr(): string {
    return this.inplace ? 'inplace=True' : '';
  }
}

/** nn.ReLU(inplace=False). */
export class ReLU extends InplaceActivation {
  protected readonly fn = ops.relu;
  constructor(...args: InplaceArgs) {
    super(RELU, args);
  }
}

/** nn.SiLU(inplace=False). */
export class SiLU extends InplaceActivation {
  protected readonly fn = ops.silu;
  constructor(...args: InplaceArgs) {
    super(SILU, args);
  }
}

/** An activation that takes no arguments: Sigmoid, Tanh. */
abstract class PlainActivation extends Module {
  protected abstract readonly fn: (x: Tensor) => Tensor;
  constructor(sig: Signature, args: unknown[]) {
    super();
    if (args.length > 0) bind(sig, args);
  }
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** nn.Sigmoid(): no arguments. */
export class Sigmoid extends PlainActivation {
  protected readonly fn = ops.sigmoid;
  constructor(...args: []) {
    super(SIGMOID, args);
  }
}

/** nn.Tanh(): no arguments. */
export class Tanh extends PlainActivation {
  protected readonly fn = ops.tanh;
  constructor(...args: []) {
    super(TANH, args);
  }
}

/** nn.Identity(*args, **kwargs): takes any arguments and ignores them, as PyTorch's does. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x;
  }
}

const GELU_SIG = signature("GELU(str approximate='none')");

/** nn.GELU(approximate='none'): 'none' or 'tanh' (another string is refused by forward, as PyTorch's F.gelu does). */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(...args: CallArgs<[approximate: 'none' | 'tanh'], { approximate?: 'none' | 'tanh' }>) {
    super();
    [this.approximate] = bind(GELU_SIG, args) as ['none' | 'tanh'];
  }
  forward(x: Tensor): Tensor {
    // the op's plain form is one argument: 'tanh' goes through its parser (ops/elementwise.ts)
    return this.approximate === 'none' ? ops.gelu(x) : ops.gelu(x, this.approximate);
  }
  extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

const LEAKY_RELU = signature('LeakyReLU(float negative_slope=0.01, bool inplace=False)');

/** nn.LeakyReLU(negative_slope=0.01, inplace=False). */
export class LeakyReLU extends Module {
  readonly negative_slope: number;
  readonly inplace: boolean;
  constructor(...args: CallArgs<[negative_slope: number, inplace: boolean], { negative_slope?: number; inplace?: boolean }>) {
    super();
    [this.negative_slope, this.inplace] = bind(LEAKY_RELU, args) as [number, boolean];
  }
  forward(x: Tensor): Tensor {
    const slope = this.negative_slope;
    return this.inplace ? applyInPlace(x, (v) => ops.leaky_relu(v, slope)) : ops.leaky_relu(x, slope);
  }
  extra_repr(): string {
    return `negative_slope=${this.negative_slope}${this.inplace ? ', inplace=True' : ''}`;
  }
}

const SOFTPLUS = signature('Softplus(float beta=1.0, float threshold=20.0)');

/** nn.Softplus(beta=1.0, threshold=20.0). */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...args: CallArgs<[beta: number, threshold: number], { beta?: number; threshold?: number }>) {
    super();
    [this.beta, this.threshold] = bind(SOFTPLUS, args) as [number, number];
  }
  forward(x: Tensor): Tensor {
    // the op's plain form is one argument: other betas and thresholds go through its parser (ops/elementwise.ts)
    return this.beta === 1 && this.threshold === 20 ? ops.softplus(x) : ops.softplus(x, this.beta, this.threshold);
  }
  extra_repr(): string {
    return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`;
  }
}

/** PyTorch's _get_softmax_dim: the legacy choice when no dim is given (0 for 0-, 1- and 3-D input, else 1), with its warning. */
function implicitDim(name: string, ndim: number): number {
  console.warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`);
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

const SOFTMAX = signature('Softmax(int? dim=None)');
const LOG_SOFTMAX = signature('LogSoftmax(int? dim=None)');

/** Softmax and LogSoftmax: an op along dim (PyTorch's legacy choice of dim when it is None). */
abstract class AlongDim extends Module {
  readonly dim: number | null;
  protected abstract readonly fn: (x: Tensor, dim: number) => Tensor;
  constructor(sig: Signature, args: unknown[]) {
    super();
    [this.dim] = bind(sig, args) as [number | null];
  }
  forward(x: Tensor): Tensor {
    // the ops' names are their signatures' (softmax, log_softmax), set by op()
    return this.fn(x, this.dim ?? implicitDim(this.fn.name, x.dim()));
  }
  extra_repr(): string {
    return `dim=${this.dim ?? 'None'}`;
  }
}

/** nn.Softmax(dim=None). */
export class Softmax extends AlongDim {
  protected readonly fn = ops.softmax;
  constructor(...args: CallArgs<[dim: number | null], { dim?: number | null }>) {
    super(SOFTMAX, args);
  }
}

/** nn.LogSoftmax(dim=None). */
export class LogSoftmax extends AlongDim {
  protected readonly fn = ops.log_softmax;
  constructor(...args: CallArgs<[dim: number | null], { dim?: number | null }>) {
    super(LOG_SOFTMAX, args);
  }
}

const FLATTEN = signature('Flatten(int start_dim=1, int end_dim=-1)');

/** nn.Flatten(start_dim=1, end_dim=-1). */
export class Flatten extends Module {
  readonly start_dim: number;
  readonly end_dim: number;
  constructor(...args: CallArgs<[start_dim: number, end_dim: number], { start_dim?: number; end_dim?: number }>) {
    super();
    [this.start_dim, this.end_dim] = bind(FLATTEN, args) as [number, number];
  }
  forward(x: Tensor): Tensor {
    return ops.flatten(x, this.start_dim, this.end_dim);
  }
  extra_repr(): string {
    return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`;
  }
}

// ---- losses ----------------------------------------------------------------

class Loss<O extends F.LossOptions = F.LossOptions> extends Module {
  readonly reduction: F.Reduction;
  readonly options: O;
  /** PyTorch's constructor arguments, by position or by name (loss_args.ts holds each loss's signature line). */
  constructor(...args: unknown[]) {
    super();
    this.options = lossModuleOptions<O>((new.target as unknown as { signatureName: string }).signatureName, args);
    this.reduction = reductionOf(this.options);
  }
  private resolved: (O & { reduction: F.Reduction }) | null = null;
  /** the options with the resolved reduction, for the functional form (made again only if reduction was changed) */
  protected get opts(): O & { reduction: F.Reduction } {
    if (this.resolved === null || this.resolved.reduction !== this.reduction) {
      // the legacy size_average/reduce are folded into reduction (and huber_loss has neither)
      const { size_average: _sa, reduce: _r, ...rest } = this.options;
      this.resolved = checkedOptions({ ...rest, reduction: this.reduction } as O & { reduction: F.Reduction });
    }
    return this.resolved;
  }
}

export class MSELoss extends Loss {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'MSELoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mse_loss(input, target, this.opts);
  }
}
export class L1Loss extends Loss {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'L1Loss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1_loss(input, target, this.opts);
  }
}
export class SmoothL1Loss extends Loss<F.LossOptions & { beta?: number }> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'SmoothL1Loss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.smooth_l1_loss(input, target, this.opts);
  }
}
export class HuberLoss extends Loss<F.LossOptions & { delta?: number }> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'HuberLoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.huber_loss(input, target, this.opts);
  }
}
export class BCELoss extends Loss<F.LossOptions & { weight?: Tensor | null }> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'BCELoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, this.opts);
  }
}
export class BCEWithLogitsLoss extends Loss<F.LossOptions & { weight?: Tensor | null; pos_weight?: Tensor | null }> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'BCEWithLogitsLoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, this.opts);
  }
}
export class CrossEntropyLoss extends Loss<F.CrossEntropyOptions> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'CrossEntropyLoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, this.opts);
  }
}
export class NLLLoss extends Loss<F.NLLOptions> {
  /** its signature line's name (not the class's, which minifiers may rename) */
  static readonly signatureName = 'NLLLoss';
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, this.opts);
  }
}
