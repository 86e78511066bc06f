// Binding for callables that are Python functions and classes in PyTorch (optimizers, lr schedulers, the
// DataLoader and samplers, nn.utils.clip_grad_*): signature.ts's bind, except that a missing required argument
// is worded as the Python interpreter words it ("missing 2 required positional arguments: 'a' and 'b'"),
// since these callables are not ATen ops. Everything else (too many positional arguments, an unexpected or
// repeated keyword, a wrong type) is bind's own message.
import { bind, type Signature } from '../signature.js';

const isOptions = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

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

/** A method's signature (`Optimizer.zero_grad(...)`): Python counts `self` among its positional arguments. */
export function methodSignature(sig: Signature): Signature {
  sig.self = 1;
  return sig;
}

export { pyRepr } from '../pyrepr.js';

export type { CallArgs } from '../signature.js';
