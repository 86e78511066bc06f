// The losses' parameters, declared once for F.<loss> and the loss modules' constructors, and the binding of both:
// internal to nn (F and the modules import it), so none of it is in the public torch.nn.functional namespace.
import { signature, bind, type Signature } from '../signature.js';
import { Tensor } from '../tensor.js';

export type Reduction = 'none' | 'mean' | 'sum';
export interface LossOptions {
  reduction?: Reduction;
  /** legacy PyTorch argument: false means reduction 'sum' */
  size_average?: boolean;
  reduce?: boolean;
}

/**
 * Each loss's parameters after (input, target), declared once: F.<name>(Tensor input, Tensor target, ...) and the
 * module's constructor <Module>(...) are both read from it, with PyTorch's names, order and defaults.
 */
const LOSS_PARAMS: Record<string, [module: string, params: string]> = {
  mse_loss: ['MSELoss', "bool? size_average=None, bool? reduce=None, str reduction='mean'"],
  l1_loss: ['L1Loss', "bool? size_average=None, bool? reduce=None, str reduction='mean'"],
  smooth_l1_loss: ['SmoothL1Loss', "bool? size_average=None, bool? reduce=None, str reduction='mean', float beta=1.0"],
  huber_loss: ['HuberLoss', "str reduction='mean', float delta=1.0"],
  binary_cross_entropy: ['BCELoss', "Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction='mean'"],
  binary_cross_entropy_with_logits: ['BCEWithLogitsLoss',
    "Tensor? weight=None, bool? size_average=None, bool? reduce=None, str reduction='mean', Tensor? pos_weight=None"],
  nll_loss: ['NLLLoss', "Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, str reduction='mean'"],
  cross_entropy: ['CrossEntropyLoss', 'Tensor? weight=None, bool? size_average=None, int ignore_index=-100, bool? reduce=None, ' +
    "str reduction='mean', float label_smoothing=0.0"],
};
const LOSS_FUNCTIONS = new Map(Object.entries(LOSS_PARAMS).map(([name, [, params]]) =>
  [name, signature(`${name}(Tensor input, Tensor target, ${params}) -> Tensor`)]));
/** The constructor signatures of the loss modules, by module name. */
const LOSS_MODULES = new Map(Object.values(LOSS_PARAMS).map(([module, params]) => [module, signature(`${module}(${params})`)]));

/** Bound values as options: what was given or defaulted, without the None ones. */
function asOptions(sig: Signature, values: unknown[], from: number): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (let i = from; i < sig.params.length; i++) if (values[i] !== null && values[i] !== undefined) o[sig.params[i].name] = values[i];
  return o;
}

// Options objects already checked: a loss module's, passed to its F.<loss> every step (frozen, so they stay so).
const checked = new WeakSet<object>();
/** Marks options made from checked ones (a loss module's, with its reduction resolved) as checked. */
export function checkedOptions<O extends object>(options: O): O {
  checked.add(Object.freeze(options));
  return options;
}

/** A loss's options from PyTorch's calling forms (positional or by name), checked by its signature line. */
export function lossOptions<O>(name: string, input: Tensor, target: Tensor, options: unknown, rest: unknown[]): O {
  // a module's call: its options were checked when it was made
  if (rest.length === 0 && typeof options === 'object' && options !== null && checked.has(options) &&
    input instanceof Tensor && target instanceof Tensor) return options as O;
  const sig = LOSS_FUNCTIONS.get(name)!;
  return asOptions(sig, bind(sig, [input, target, options, ...rest]), 2) as O;
}

/** A loss module's options from its constructor's arguments. */
export function lossModuleOptions<O>(module: string, args: unknown[]): O {
  const sig = LOSS_MODULES.get(module)!;
  return asOptions(sig, bind(sig, args), 0) as O;
}

/** PyTorch's legacy size_average/reduce arguments mapped onto reduction. */
export function reductionOf(options: LossOptions = {}): Reduction {
  if (options.size_average !== undefined || options.reduce !== undefined) {
    if (options.reduce === false) return 'none';
    return options.size_average === false ? 'sum' : 'mean';
  }
  const r = options.reduction ?? 'mean';
  if (r !== 'none' && r !== 'mean' && r !== 'sum') throw new Error(`${r} is not a valid value for reduction`);
  return r;
}
