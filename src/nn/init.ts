// torch.nn.init: in-place initialisers drawing from the default generator.
import { Tensor } from '../tensor.js';
import { no_grad } from '../autograd/engine.js';
import { full, uniform_, normal_ } from '../ops/creation.js';
import { default_generator, type Generator } from '../random.js';

function fans(t: Tensor): [number, number] {
  if (t.dim() < 2) throw new Error('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1] * receptive, t.shape[0] * receptive];
}

export function calculate_gain(nonlinearity: string, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
  }
  throw new Error(`Unsupported nonlinearity ${nonlinearity}`);
}

function set(t: Tensor, values: Tensor): Tensor {
  no_grad(() => t.copy_(values));
  return t;
}

export { uniform_, normal_ };
export function constant_(t: Tensor, val: number): Tensor {
  return set(t, full(t.shape, val));
}
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export function kaiming_uniform_(t: Tensor, options: { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: string; generator?: Generator } = {}): Tensor {
  const [fanIn, fanOut] = fans(t);
  const gain = calculate_gain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  const std = gain / Math.sqrt((options.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut);
  const bound = Math.sqrt(3) * std;
  return uniform_(t, -bound, bound, options.generator);
}
export function kaiming_normal_(t: Tensor, options: { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: string; generator?: Generator } = {}): Tensor {
  const [fanIn, fanOut] = fans(t);
  const gain = calculate_gain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0);
  return normal_(t, 0, gain / Math.sqrt((options.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut), options.generator);
}
export function xavier_uniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = fans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}
export function xavier_normal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const [fanIn, fanOut] = fans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

/** fan_in of a weight, for layers' default bias bounds. */
export function _calculate_fan_in_and_fan_out(t: Tensor): [number, number] {
  return fans(t);
}
