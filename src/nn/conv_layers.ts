// Convolution and pooling modules, with PyTorch's default initialisation.
import { Tensor } from '../tensor.js';
import { Module, Parameter } from './module.js';
import { empty_ } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import * as init from './init.js';

type Pair = number | [number, number];
const show = (v: Pair | string) => (Array.isArray(v) ? `(${v.join(', ')})` : typeof v === 'string' ? `'${v}'` : `(${v}, ${v})`);

export interface ConvModuleOptions {
  stride?: Pair;
  padding?: Pair | 'valid' | 'same';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly stride: Pair;
  readonly padding: Pair | 'valid' | 'same';
  readonly dilation: Pair;
  readonly groups: number;
  constructor(readonly in_channels: number, readonly out_channels: number, readonly kernel_size: number[], o: ConvModuleOptions) {
    super();
    this.groups = o.groups ?? 1;
    if (in_channels % this.groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (out_channels % this.groups !== 0) throw new Error('out_channels must be divisible by groups');
    this.stride = o.stride ?? 1;
    this.padding = o.padding ?? 0;
    this.dilation = o.dilation ?? 1;
    this.weight = new Parameter(empty_([out_channels, in_channels / this.groups, ...kernel_size]));
    this.bias = (o.bias ?? true) ? new Parameter(empty_(out_channels)) : null;
    this.reset_parameters();
  }
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }
  protected convOptions(): ops.ConvOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }
  extra_repr(): string {
    const k = this.kernel_size.length === 1 ? `(${this.kernel_size[0]},)` : `(${this.kernel_size.join(', ')})`;
    const one = (v: Pair | string) => (this.kernel_size.length === 1 && typeof v === 'number' ? `(${v},)` : show(v));
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${k}, stride=${one(this.stride)}`;
    if (this.padding !== 0) s += `, padding=${one(this.padding)}`;
    if (this.dilation !== 1) s += `, dilation=${one(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

export class Conv2d extends ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: Pair, options: ConvModuleOptions = {}) {
    super(in_channels, out_channels, Array.isArray(kernel_size) ? kernel_size : [kernel_size, kernel_size], options);
  }
  forward(x: Tensor): Tensor {
    return ops.conv2d(x, this.weight, this.bias, this.convOptions());
  }
}

export class Conv1d extends ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: number, options: ConvModuleOptions = {}) {
    super(in_channels, out_channels, [kernel_size], options);
  }
  forward(x: Tensor): Tensor {
    return ops.conv1d(x, this.weight, this.bias, this.convOptions());
  }
}

export class MaxPool2d extends Module {
  constructor(readonly kernel_size: Pair, readonly options: ops.PoolOptions & { return_indices?: boolean } = {}) {
    super();
  }
  forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return ops.max_pool2d(x, this.kernel_size, this.options);
  }
  extra_repr(): string {
    const o = this.options;
    return `kernel_size=${this.kernel_size}, stride=${o.stride ?? this.kernel_size}, padding=${o.padding ?? 0}, dilation=${o.dilation ?? 1}, ceil_mode=${o.ceil_mode ? 'True' : 'False'}`;
  }
}

export class AvgPool2d extends Module {
  constructor(readonly kernel_size: Pair, readonly options: ops.PoolOptions & { count_include_pad?: boolean; divisor_override?: number | null } = {}) {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.avg_pool2d(x, this.kernel_size, this.options);
  }
  extra_repr(): string {
    return `kernel_size=${this.kernel_size}, stride=${this.options.stride ?? this.kernel_size}, padding=${this.options.padding ?? 0}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly output_size: Pair) {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.adaptive_avg_pool2d(x, this.output_size);
  }
  extra_repr(): string {
    return `output_size=${this.output_size}`;
  }
}

export class AdaptiveMaxPool2d extends Module {
  constructor(readonly output_size: Pair) {
    super();
  }
  forward(x: Tensor): Tensor {
    return ops.adaptive_max_pool2d(x, this.output_size);
  }
  extra_repr(): string {
    return `output_size=${this.output_size}`;
  }
}
