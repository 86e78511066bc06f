// Modules that hold their functional's arguments and call it: the activations
// beyond the course's, Upsample, the padding layers and the 1-d pools. Each is
// its PyTorch signature line, the functional it calls and the argument order.
import { Tensor } from '../tensor.js';
import { Module } from './module.js';
import { signature, bind, type Signature } from '../signature.js';
import { pyRepr, pyFloat } from '../pyrepr.js';
import * as A from './activations.js';
import * as R from './resampling.js';

type Call = (x: Tensor, ...args: never[]) => Tensor | Tensor[];

/** A module holding its functional's arguments (bound from its signature line) and calling it in forward. */
export class FunctionalModule extends Module {
  constructor(private readonly spec: { sig: Signature; fn: Call; use: string[]; repr?: (m: Record<string, unknown>) => string }, args: unknown[]) {
    super();
    const values = bind(spec.sig, args);
    spec.sig.params.forEach((p, i) => { (this as unknown as Record<string, unknown>)[p.name] = values[i]; });
  }
  forward(x: Tensor): Tensor {
    const self = this as unknown as Record<string, unknown>;
    return (this.spec.fn as (...a: unknown[]) => Tensor)(x, ...this.spec.use.map((n) => self[n]));
  }
  extra_repr(): string {
    const self = this as unknown as Record<string, unknown>;
    if (this.spec.repr) return this.spec.repr(self);
    // PyTorch's reprs: floats as floats, inplace only when set, unset (None) arguments left out
    return this.spec.sig.params.filter((p) => !(p.name === 'inplace' && self[p.name] === false) && self[p.name] !== null)
      .map((p) => `${p.name}=${p.types[0] === 'float' && typeof self[p.name] === 'number' ? pyFloat(self[p.name] as number) : pyRepr(self[p.name])}`).join(', ');
  }
}
type FunctionalModuleClass = new (...args: unknown[]) => FunctionalModule;

/** The module class of `schema` (its name is the schema's), whose forward is fn(x, ...the bound values in `order`). */
function functionalModule(schema: string, fn: Call, order?: string[], repr?: (m: Record<string, unknown>) => string): FunctionalModuleClass {
  const sig = signature(schema);
  const spec = { sig, fn, use: order ?? sig.params.map((p) => p.name), repr };
  const cls = class extends FunctionalModule {
    constructor(...args: unknown[]) {
      super(spec, args);
    }
  };
  Object.defineProperty(cls, 'name', { value: sig.name });
  return cls;
}

export const ELU = functionalModule('ELU(float alpha=1.0, bool inplace=False)', A.elu);
export const SELU = functionalModule('SELU(bool inplace=False)', A.selu);
export const CELU = functionalModule('CELU(float alpha=1.0, bool inplace=False)', A.celu);
export const Hardtanh = functionalModule('Hardtanh(float min_val=-1.0, float max_val=1.0, bool inplace=False)', A.hardtanh);
export const ReLU6 = functionalModule('ReLU6(bool inplace=False)', A.relu6);
export const Hardsigmoid = functionalModule('Hardsigmoid(bool inplace=False)', A.hardsigmoid);
export const Hardswish = functionalModule('Hardswish(bool inplace=False)', A.hardswish);
export const LogSigmoid = functionalModule('LogSigmoid()', A.logsigmoid);
export const Softsign = functionalModule('Softsign()', A.softsign);
export const Mish = functionalModule('Mish(bool inplace=False)', A.mish);
export const Tanhshrink = functionalModule('Tanhshrink()', A.tanhshrink);
export const GLU = functionalModule('GLU(int dim=-1)', A.glu);
export const Upsample = functionalModule(
  "Upsample(int|int[]? size=None, float|float[]? scale_factor=None, str mode='nearest', bool? align_corners=None, bool? recompute_scale_factor=None)",
  R.interpolate, ['size', 'scale_factor', 'mode', 'align_corners', 'recompute_scale_factor']);
export const MaxPool1d = functionalModule(
  'MaxPool1d(int[1] kernel_size, int[1]? stride=None, int[1] padding=0, int[1] dilation=1, bool return_indices=False, bool ceil_mode=False)',
  R.max_pool1d, ['kernel_size', 'stride', 'padding', 'dilation', 'ceil_mode', 'return_indices']);
export const AvgPool1d = functionalModule(
  'AvgPool1d(int[1] kernel_size, int[1]? stride=None, int[1] padding=0, bool ceil_mode=False, bool count_include_pad=True)', R.avg_pool1d);

/** The padding layers: F.pad with a fixed mode; an int pads every side of the padded dims. */
function padModule(name: string, mode: string, dims: number, constant: boolean): FunctionalModuleClass {
  const schema = constant ? `${name}(int[${2 * dims}] padding, float value)` : `${name}(int[${2 * dims}] padding)`;
  return functionalModule(schema, ((x: Tensor, padding: number[], value?: number) => R.pad(x, padding, mode, constant ? value! : null)) as Call,
    undefined, (m) => `padding=(${(m.padding as number[]).join(', ')})${constant ? `, value=${pyRepr(m.value)}` : ''}`);
}
export const ConstantPad1d = padModule('ConstantPad1d', 'constant', 1, true);
export const ConstantPad2d = padModule('ConstantPad2d', 'constant', 2, true);
export const ZeroPad1d = padModule('ZeroPad1d', 'constant', 1, false);
export const ZeroPad2d = padModule('ZeroPad2d', 'constant', 2, false);
export const ReflectionPad1d = padModule('ReflectionPad1d', 'reflect', 1, false);
export const ReflectionPad2d = padModule('ReflectionPad2d', 'reflect', 2, false);
export const ReplicationPad1d = padModule('ReplicationPad1d', 'replicate', 1, false);
export const ReplicationPad2d = padModule('ReplicationPad2d', 'replicate', 2, false);
export const CircularPad1d = padModule('CircularPad1d', 'circular', 1, false);
export const CircularPad2d = padModule('CircularPad2d', 'circular', 2, false);
