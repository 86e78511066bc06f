// Layers: parameters with PyTorch's default initialisation, forward in ops.
import { Tensor } from '../tensor.js';
import { Module, Parameter } from './module.js';
import { empty_ } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import * as init from './init.js';
import * as F from './functional.js';

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(readonly in_features: number, readonly out_features: number, options: { bias?: boolean } | boolean = {}) {
    super();
    const withBias = typeof options === 'boolean' ? options : options.bias ?? true;
    this.weight = new Parameter(empty_(out_features, in_features));
    this.bias = withBias ? new Parameter(empty_(out_features)) : null;
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

/** A module around a one-argument function (the activations). */
function activation(name: string, fn: (x: Tensor) => Tensor) {
  const cls = class extends Module {
    forward(x: Tensor): Tensor {
      return fn(x);
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export const ReLU = activation('ReLU', ops.relu);
export const Sigmoid = activation('Sigmoid', ops.sigmoid);
export const Tanh = activation('Tanh', ops.tanh);
export const SiLU = activation('SiLU', ops.silu);
export const Identity = activation('Identity', (x) => x);

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.gelu(x, { approximate: this.approximate });
  }
  extra_repr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negative_slope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.leaky_relu(x, this.negative_slope);
  }
  extra_repr(): string {
    return `negative_slope=${this.negative_slope}`;
  }
}

export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
}

/** A module around an op taking one dim (Softmax, LogSoftmax). */
function alongDim(name: string, fn: (x: Tensor, dim: number) => Tensor) {
  const cls = class extends Module {
    constructor(readonly dim: number) {
      super();
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.dim);
    }
    extra_repr(): string {
      return `dim=${this.dim}`;
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

export const Softmax = alongDim('Softmax', ops.softmax);
export const LogSoftmax = alongDim('LogSoftmax', ops.log_softmax);

export class Flatten extends Module {
  constructor(readonly start_dim = 1, readonly end_dim = -1) {
    super();
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
  /** PyTorch's constructor arguments, by position or by name (F.LOSS_MODULES holds each loss's signature line). */
  constructor(...args: unknown[]) {
    super();
    this.options = F.lossModuleOptions<O>((new.target as unknown as { signatureName: string }).signatureName, args);
    this.reduction = F.reductionOf(this.options);
  }
  private resolved: (O & { reduction: F.Reduction }) | null = null;
  /** the options with the resolved reduction, for the functional form (made again only if reduction was changed) */
  protected get opts(): O & { reduction: F.Reduction } {
    if (this.resolved === null || this.resolved.reduction !== this.reduction) {
      // the legacy size_average/reduce are folded into reduction (and huber_loss has neither)
      const { size_average: _sa, reduce: _r, ...rest } = this.options;
      this.resolved = { ...rest, reduction: this.reduction } as O & { reduction: F.Reduction };
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
