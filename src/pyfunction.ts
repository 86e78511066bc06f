// Public callables that are Python functions or `*args` classes in PyTorch (nn.init.*, F.batch_norm, F.dropout,
// default_collate, Sequential(*args)): declared by a schema line like the ops, but their messages are the Python
// interpreter's ("missing 1 required positional argument: 'tensor'"), since they are not ATen ops. The same
// binding serves the optimizers, lr schedulers, the DataLoader and samplers, and nn.utils.clip_grad_*.
import { callable, bind, bindNamed, isOptions, type Signature } from './signature.js';
import { Tensor } from './tensor.js';

/** bind() with Python's words for missing arguments (these callables are Python functions, not ATen ops). */
export function pyBind(sig: Signature, args: ArrayLike<unknown>): unknown[] {
  return bind(sig, args, true);
}

/** pyBind() into an object keyed by parameter name. */
export function pyBindNamed(sig: Signature, args: ArrayLike<unknown>): Record<string, unknown> {
  return bindNamed(sig, args, true);
}

/**
 * A public Python function from its schema line and its implementation, which receives the checked values in the
 * schema's order. A call that `plain` recognises (the common positional form, already of the right types) goes
 * straight to `impl`, whose own defaults are the schema's.
 */
export function pyFunction<T extends (...args: never[]) => unknown>(schema: string, impl: (...values: never[]) => unknown,
  plain?: (args: unknown[]) => boolean): T & { signature: Signature } {
  return callable<T>(schema, impl, plain ?? null, true);
}

/**
 * A call's arguments with a last options object read as the keyword arguments, even where bind would take it for
 * the value of a required `Any` parameter (a state dict): for parameters a plain object cannot be (RNN's input_size,
 * ConcatDataset's datasets). The positional arguments are padded to the required ones with absent (undefined) ones.
 */
export function asKeywords(sig: Signature, args: unknown[]): unknown[] {
  const n = args.length - 1;
  if (n < 0 || n >= sig.required || !isOptions(args[n])) return args;
  const out = args.slice(0, n);
  while (out.length < sig.required) out.push(undefined);
  out.push(args[n]);
  return out;
}

/** Whether v is what one letter of a plainArgs pattern stands for. */
function fits(letter: string, v: unknown): boolean {
  switch (letter) {
    case 'T': return v instanceof Tensor;
    case 't': return v === null || v instanceof Tensor;
    case 'f': return typeof v === 'number';
    case 'i': return Number.isInteger(v);
    case 'b': return typeof v === 'boolean';
    case 'L': return Number.isInteger(v) || (Array.isArray(v) && v.every(Number.isInteger));
    case 'P': return Number.isInteger(v) || (Array.isArray(v) && v.length === 2 && Number.isInteger(v[0]) && Number.isInteger(v[1]));
    default: return false;
  }
}

/**
 * pyFunction's usual `plain` test, one letter per parameter: T a Tensor, t a Tensor or null, f a number, i an
 * integer, b a bool, L an integer or a list of them, P an integer or a pair of them. A call of at least
 * `required` arguments, each what its letter says (so no options object), needs no parsing.
 */
// (a declaration, not a const: modules call it while this one may still be loading, see signature.ts's registry)
export function plainArgs(pattern: string, required: number): (args: unknown[]) => boolean {
  return (args) => {
    if (args.length < required || args.length > pattern.length) return false;
    for (let i = 0; i < args.length; i++) if (!fits(pattern[i], args[i])) return false;
    return true;
  };
}
