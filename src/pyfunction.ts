// Public callables that are Python functions or `*args` classes in PyTorch (nn.init.*, F.batch_norm, F.dropout,
// default_collate, Sequential(*args)): declared by a schema line like the ops, but their messages are the Python
// interpreter's ("missing 1 required positional argument: 'tensor'"), since they are not ATen ops. The same
// binding serves the optimizers, lr schedulers, the DataLoader and samplers, and nn.utils.clip_grad_*.
import { signature, bind, isOptions, type Signature } from './signature.js';
import { Tensor } from './tensor.js';
import { rollbackOnError } from './backend/memory.js';

/** Python's list of names: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function names(list: string[]): string {
  const q = list.map((n) => `'${n}'`);
  if (q.length <= 2) return q.join(' and ');
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** The required parameters a call leaves out, read as bind reads the call. */
function missing(sig: Signature, args: ArrayLike<unknown>): string[] {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  let kw: Record<string, unknown> = {};
  if (n > 0 && isOptions(args[n - 1])) {
    const p = sig.params[n - 1];
    if (!(p !== undefined && n - 1 < sig.required && p.types.includes('Any'))) {
      kw = args[n - 1] as Record<string, unknown>;
      n--;
    }
  }
  return sig.params.filter((p, i) => p.required && !(i < n && args[i] !== undefined) && kw[p.name] === undefined).map((p) => p.name);
}

/** bind() with Python's words for missing arguments. */
export function pyBind(sig: Signature, args: ArrayLike<unknown>): unknown[] {
  try {
    return bind(sig, args);
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith(`${sig.label}() missing `)) {
      const m = missing(sig, args);
      if (m.length === 0) throw e;
      const kwOnly = m.length > 0 && sig.params[sig.byName.get(m[0])!].keywordOnly;
      throw new TypeError(`${sig.label}() missing ${m.length} required ${kwOnly ? 'keyword-only' : 'positional'} ` +
        `argument${m.length === 1 ? '' : 's'}: ${names(m)}`);
    }
    throw e;
  }
}

/** pyBind() into an object keyed by parameter name. */
export function pyBindNamed(sig: Signature, args: ArrayLike<unknown>): Record<string, unknown> {
  const values = pyBind(sig, args);
  const out: Record<string, unknown> = {};
  sig.params.forEach((p, i) => (out[p.name] = values[i]));
  return out;
}

/**
 * A public Python function from its schema line and its implementation, which receives the checked values in the
 * schema's order. A call that `plain` recognises (the common positional form, already of the right types) goes
 * straight to `impl`, whose own defaults are the schema's.
 */
export function pyFunction<T extends (...args: never[]) => unknown>(schema: string, impl: (...values: never[]) => unknown,
  plain?: (args: unknown[]) => boolean): T & { signature: Signature } {
  const sig = signature(schema);
  const run = impl as (...v: unknown[]) => unknown;
  const f = function (...args: unknown[]) {
    if (plain !== undefined && plain(args)) return run(...args);
    const values = pyBind(sig, args);
    return rollbackOnError(() => run(...values));
  };
  Object.defineProperty(f, 'name', { value: sig.name });
  return Object.assign(f, { signature: sig }) as unknown as T & { signature: Signature };
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
