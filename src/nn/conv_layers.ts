// Convolution and pooling modules, with PyTorch's default initialisation.
import { Tensor } from '../tensor.js';
import { Module, Parameter } from './module.js';
import { empty_ } from '../ops/creation.js';
import * as ops from '../ops/index.js';
import * as init from './init.js';
import { signature, bind, type Signature } from '../signature.js';
import { pyBool } from '../pyrepr.js';

type Pair = number | [number, number];

export interface ConvModuleOptions {
  stride?: number | number[];
  padding?: number | number[] | 'valid' | 'same';
  dilation?: number | number[];
  groups?: number;
  bias?: boolean;
  padding_mode?: 'zeros';
  device?: unknown;
  dtype?: unknown;
}
type ConvArgs = (number | number[] | string | boolean | ConvModuleOptions & { in_channels?: number; out_channels?: number; kernel_size?: number | number[] })[];

const CONV2D = signature('Conv2d(int in_channels, int out_channels, int[2] kernel_size, int[2] stride=1, int[2]|str padding=0, ' +
  "int[2] dilation=1, int groups=1, bool bias=True, str padding_mode='zeros', Any device=None, Any dtype=None)");
const CONV1D = signature('Conv1d(int in_channels, int out_channels, int[1] kernel_size, int[1] stride=1, int[1]|str padding=0, ' +
  "int[1] dilation=1, int groups=1, bool bias=True, str padding_mode='zeros', Any device=None, Any dtype=None)");

abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly in_channels: number;
  readonly out_channels: number;
  readonly kernel_size: number[];
  readonly stride: number[];
  readonly padding: number[] | 'valid' | 'same';
  readonly dilation: number[];
  readonly groups: number;
  readonly padding_mode: string;
  constructor(sig: Signature, args: ConvArgs) {
    super();
    const [in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode] =
      bind(sig, args) as [number, number, number[], number[], number[] | string, number[], number, boolean, string];
    if (groups <= 0) throw new Error('groups must be a positive integer');
    if (in_channels % groups !== 0) throw new Error('in_channels must be divisible by groups');
    if (out_channels % groups !== 0) throw new Error('out_channels must be divisible by groups');
    if (typeof padding === 'string' && padding !== 'valid' && padding !== 'same') {
      throw new Error(`Invalid padding string '${padding}', should be one of ['valid', 'same']`);
    }
    if (padding === 'same' && stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    if (padding_mode !== 'zeros') {
      throw new Error(`padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='${padding_mode}'` +
        (['reflect', 'replicate', 'circular'].includes(padding_mode) ? ' (only zeros is supported here)' : ''));
    }
    this.in_channels = in_channels; this.out_channels = out_channels; this.kernel_size = kernel_size; this.stride = stride;
    this.padding = padding as number[] | 'valid' | 'same'; this.dilation = dilation; this.groups = groups; this.padding_mode = padding_mode;
    this.weight = new Parameter(empty_([out_channels, in_channels / groups, ...kernel_size]));
    this.bias = bias ? new Parameter(empty_(out_channels)) : null;
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
    const t = (v: number[] | string) => (typeof v === 'string' ? `'${v}'` : v.length === 1 ? `(${v[0]},)` : `(${v.join(', ')})`);
    const isDefault = (v: number[] | string, d: number) => typeof v !== 'string' && v.every((x) => x === d);
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${t(this.kernel_size)}, stride=${t(this.stride)}`;
    if (!isDefault(this.padding, 0)) s += `, padding=${t(this.padding)}`;
    if (!isDefault(this.dilation, 1)) s += `, dilation=${t(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    return s;
  }
}

/** nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros'). */
export class Conv2d extends ConvNd {
  constructor(...args: ConvArgs) {
    super(CONV2D, args);
  }
  forward(x: Tensor): Tensor {
    return ops.conv2d(x, this.weight, this.bias, this.convOptions());
  }
}

/** nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros'). */
export class Conv1d extends ConvNd {
  constructor(...args: ConvArgs) {
    super(CONV1D, args);
  }
  forward(x: Tensor): Tensor {
    return ops.conv1d(x, this.weight, this.bias, this.convOptions());
  }
}

type PoolArgs = (number | number[] | boolean | null | Record<string, unknown>)[];
const showPair = (v: number[] | null) => (v === null ? 'None' : v[0] === v[1] ? `${v[0]}` : `(${v.join(', ')})`);

const MAXPOOL2D = signature('MaxPool2d(int[2] kernel_size, int[2]? stride=None, int[2] padding=0, int[2] dilation=1, ' +
  'bool return_indices=False, bool ceil_mode=False)');

/** nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0, dilation=1, return_indices=False, ceil_mode=False). */
export class MaxPool2d extends Module {
  readonly kernel_size: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly return_indices: boolean;
  readonly ceil_mode: boolean;
  constructor(...args: PoolArgs) {
    super();
    const [kernel_size, stride, padding, dilation, return_indices, ceil_mode] =
      bind(MAXPOOL2D, args) as [number[], number[] | null, number[], number[], boolean, boolean];
    this.kernel_size = kernel_size; this.stride = stride ?? kernel_size; this.padding = padding; this.dilation = dilation;
    this.return_indices = return_indices; this.ceil_mode = ceil_mode;
  }
  forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return ops.maxPool2d(x, this.kernel_size as [number, number],
      { stride: this.stride, padding: this.padding, dilation: this.dilation, ceil_mode: this.ceil_mode }, this.return_indices);
  }
  extra_repr(): string {
    return `kernel_size=${showPair(this.kernel_size)}, stride=${showPair(this.stride)}, padding=${showPair(this.padding)}, ` +
      `dilation=${showPair(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

const AVGPOOL2D = signature('AvgPool2d(int[2] kernel_size, int[2]? stride=None, int[2] padding=0, bool ceil_mode=False, ' +
  'bool count_include_pad=True, int? divisor_override=None)');

/** nn.AvgPool2d(kernel_size, stride=kernel_size, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None). */
export class AvgPool2d extends Module {
  readonly kernel_size: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceil_mode: boolean;
  readonly count_include_pad: boolean;
  readonly divisor_override: number | null;
  constructor(...args: PoolArgs) {
    super();
    const [kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override] =
      bind(AVGPOOL2D, args) as [number[], number[] | null, number[], boolean, boolean, number | null];
    this.kernel_size = kernel_size; this.stride = stride ?? kernel_size; this.padding = padding; this.ceil_mode = ceil_mode;
    this.count_include_pad = count_include_pad; this.divisor_override = divisor_override;
  }
  forward(x: Tensor): Tensor {
    return ops.avgPool2d(x, this.kernel_size as [number, number], { stride: this.stride, padding: this.padding,
      ceil_mode: this.ceil_mode, count_include_pad: this.count_include_pad, divisor_override: this.divisor_override });
  }
  extra_repr(): string {
    return `kernel_size=${showPair(this.kernel_size)}, stride=${showPair(this.stride)}, padding=${showPair(this.padding)}`;
  }
}

const ADAPTIVE_AVG = signature('AdaptiveAvgPool2d(int[2] output_size)');
const ADAPTIVE_MAX = signature('AdaptiveMaxPool2d(int[2] output_size, bool return_indices=False)');

/** nn.AdaptiveAvgPool2d(output_size). */
export class AdaptiveAvgPool2d extends Module {
  readonly output_size: number[];
  constructor(...args: PoolArgs) {
    super();
    [this.output_size] = bind(ADAPTIVE_AVG, args) as [number[]];
  }
  forward(x: Tensor): Tensor {
    return ops.adaptive_avg_pool2d(x, this.output_size);
  }
  extra_repr(): string {
    return `output_size=${showPair(this.output_size)}`;
  }
}

/** nn.AdaptiveMaxPool2d(output_size, return_indices=False). */
export class AdaptiveMaxPool2d extends Module {
  readonly output_size: number[];
  readonly return_indices: boolean;
  constructor(...args: PoolArgs) {
    super();
    [this.output_size, this.return_indices] = bind(ADAPTIVE_MAX, args) as [number[], boolean];
  }
  forward(x: Tensor): Tensor | [Tensor, Tensor] {
    return ops.adaptive_max_pool2d(x, this.output_size, { return_indices: this.return_indices });
  }
  extra_repr(): string {
    return `output_size=${showPair(this.output_size)}`;
  }
}
