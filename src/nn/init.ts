// torch.nn.init: in-place initialisers drawing from the default generator (or the one given). They are Python
// functions in PyTorch, declared here by their schema lines: Python's words for a bad call, PyTorch's for a bad value.
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { uniform_ as drawUniform, normal_ as drawNormal } from '../ops/creation.js';
import { Generator } from '../random.js';
import { pyType, type CallArgs } from '../signature.js';
import { pyRepr } from '../pyrepr.js';
import { pyFunction } from '../pyfunction.js';

type Gen = Generator | null;

function fans(t: Tensor): [number, number] {
  if (t.dim() < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  let receptive = 1;
  for (let i = 2; i < t.shape.length; i++) receptive *= t.shape[i];
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

const LINEAR_FNS = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'];

function gain(nonlinearity: string, param: unknown): number {
  if (LINEAR_FNS.includes(nonlinearity)) return 1;
  if (nonlinearity === 'tanh') return 5 / 3;
  if (nonlinearity === 'relu') return Math.SQRT2;
  if (nonlinearity === 'leaky_relu') {
    // Python's check: an int or a float, not a bool (nor anything else)
    if (param !== null && typeof param !== 'number') throw new Error(`negative_slope ${pyRepr(param)} not a valid number`);
    const slope = param ?? 0.01;
    return Math.sqrt(2 / (1 + slope * slope));
  }
  if (nonlinearity === 'selu') return 3 / 4;
  throw new Error(`Unsupported nonlinearity ${nonlinearity}`);
}

/** calculate_gain(nonlinearity, param=None): the recommended gain for a nonlinearity (param: leaky_relu's slope). */
export const calculate_gain = pyFunction<(...args: CallArgs<[nonlinearity: string, param: number | null],
  { nonlinearity?: string; param?: number | null }>) => number>(
  'calculate_gain(str nonlinearity, Any param=None) -> float', gain);

/** t.uniform_(a, b, generator=...) or t.normal_(...), outside autograd, as nn.init calls them (their messages are the Tensor methods'). */
function draw(kind: 'uniform_' | 'normal_', t: Tensor, a: number, b: number, generator: Gen): Tensor {
  // checked here, not by the parser: PyTorch passes it on by name, so its message names no position
  if (generator !== null && !(generator instanceof Generator)) {
    throw new TypeError(`${kind}(): argument 'generator' must be torch.Generator, not ${pyType(generator)}`);
  }
  // the draws check the range and std
  return kind === 'uniform_' ? drawUniform(t, a, b, generator ?? undefined) : drawNormal(t, a, b, generator ?? undefined);
}

/** An initialiser's arguments: the tensor, then P, by position or by name. */
type Init<P extends unknown[], O> = (...args: CallArgs<[tensor: Tensor, ...P], { tensor?: Tensor } & O>) => Tensor;
type GenOpt = { generator?: Generator | null };

/** uniform_(tensor, a=0.0, b=1.0, generator=None): U(a, b) in place. */
export const uniform_ = pyFunction<Init<[a: number, b: number, generator: Gen], { a?: number; b?: number } & GenOpt>>(
  'uniform_(Tensor tensor, float a=0.0, float b=1.0, Any generator=None) -> Tensor',
  (t: Tensor, a: number, b: number, generator: Gen) => draw('uniform_', t, a, b, generator));

/** normal_(tensor, mean=0.0, std=1.0, generator=None): N(mean, std²) in place. */
export const normal_ = pyFunction<Init<[mean: number, std: number, generator: Gen], { mean?: number; std?: number } & GenOpt>>(
  'normal_(Tensor tensor, float mean=0.0, float std=1.0, Any generator=None) -> Tensor',
  (t: Tensor, mean: number, std: number, generator: Gen) => draw('normal_', t, mean, std, generator));

function fill(t: Tensor, val: number | boolean): Tensor {
  no_grad(() => t.fill_(Number(val)));
  return t;
}

/** constant_(tensor, val): every element val. */
export const constant_ = pyFunction<Init<[val: number | boolean], { val?: number | boolean }>>(
  'constant_(Tensor tensor, Scalar val) -> Tensor', fill);
/** ones_(tensor). */
export const ones_ = pyFunction<Init<[], object>>('ones_(Tensor tensor) -> Tensor', (t: Tensor) => fill(t, 1));
/** zeros_(tensor). */
export const zeros_ = pyFunction<Init<[], object>>('zeros_(Tensor tensor) -> Tensor', (t: Tensor) => fill(t, 0));

type Xavier = Init<[gain: number, generator: Gen], { gain?: number } & GenOpt>;

/** xavier_uniform_(tensor, gain=1.0, generator=None): U(-a, a), a = gain·sqrt(6 / (fan_in + fan_out)). */
export const xavier_uniform_ = pyFunction<Xavier>('xavier_uniform_(Tensor tensor, float gain=1.0, Any generator=None) -> Tensor',
  (t: Tensor, g: number, generator: Gen) => {
    const [fanIn, fanOut] = fans(t);
    const bound = Math.sqrt(3) * (g * Math.sqrt(2 / (fanIn + fanOut))); // PyTorch's std, then its bound
    return draw('uniform_', t, -bound, bound, generator);
  });
/** xavier_normal_(tensor, gain=1.0, generator=None): N(0, std²), std = gain·sqrt(2 / (fan_in + fan_out)). */
export const xavier_normal_ = pyFunction<Xavier>('xavier_normal_(Tensor tensor, float gain=1.0, Any generator=None) -> Tensor',
  (t: Tensor, g: number, generator: Gen) => {
    const [fanIn, fanOut] = fans(t);
    return draw('normal_', t, 0, g * Math.sqrt(2 / (fanIn + fanOut)), generator);
  });

type FanMode = 'fan_in' | 'fan_out';
type Kaiming = Init<[a: number, mode: FanMode, nonlinearity: string, generator: Gen], { a?: number; mode?: FanMode; nonlinearity?: string } & GenOpt>;

/** gain / sqrt(fan) for kaiming_*_, or null for a tensor with no elements (PyTorch warns and leaves it). */
function kaimingStd(t: Tensor, a: number, mode: string, nonlinearity: string): number | null {
  if (t.shape.includes(0)) {
    console.warn('Initializing zero-element tensors is a no-op');
    return null;
  }
  const m = mode.toLowerCase();
  if (m !== 'fan_in' && m !== 'fan_out') throw new Error(`Mode ${m} not supported, please use one of ['fan_in', 'fan_out']`);
  const [fanIn, fanOut] = fans(t);
  return gain(nonlinearity, a) / Math.sqrt(m === 'fan_in' ? fanIn : fanOut);
}

/** kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None): U(-b, b), b = gain·sqrt(3 / fan). */
export const kaiming_uniform_ = pyFunction<Kaiming>("kaiming_uniform_(Tensor tensor, float a=0, str mode='fan_in', " +
  "str nonlinearity='leaky_relu', Any generator=None) -> Tensor",
  (t: Tensor, a: number, mode: string, nonlinearity: string, generator: Gen) => {
    const std = kaimingStd(t, a, mode, nonlinearity);
    return std === null ? t : draw('uniform_', t, -Math.sqrt(3) * std, Math.sqrt(3) * std, generator);
  });
/** kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu', generator=None): N(0, std²), std = gain / sqrt(fan). */
export const kaiming_normal_ = pyFunction<Kaiming>("kaiming_normal_(Tensor tensor, float a=0, str mode='fan_in', " +
  "str nonlinearity='leaky_relu', Any generator=None) -> Tensor",
  (t: Tensor, a: number, mode: string, nonlinearity: string, generator: Gen) => {
    const std = kaimingStd(t, a, mode, nonlinearity);
    return std === null ? t : draw('normal_', t, 0, std, generator);
  });

/** _calculate_fan_in_and_fan_out(tensor): [fan_in, fan_out] of a weight (layers' default bias bounds read fan_in). */
export const _calculate_fan_in_and_fan_out = pyFunction<(tensor: Tensor | { tensor: Tensor }) => [number, number]>(
  '_calculate_fan_in_and_fan_out(Tensor tensor) -> int[]', fans);
