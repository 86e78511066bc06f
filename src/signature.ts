// PyTorch's calling convention, declared once per callable as a schema line
// (`conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, ...)`)
// and applied by one parser: every parameter before `*` may come by position
// or in a trailing options object, and every argument is checked against its
// type with PyTorch's messages before the callable does anything.
//
// Types: Tensor, Tensor?, Tensor[], int, int[], int[N] (one int is repeated,
// as is a list of one), int... (PyTorch's `*size`: the ints themselves or one
// list), Any... (Python's `*args`), float, float[N], Scalar (a number or a bool: PyTorch's Number), bool, str, ScalarType, Generator, Any; `?` makes a
// type nullable (None/null/undefined), `|` joins alternatives
// (`int[2]|str padding=0`). A callable with several forms (arange(end),
// arange(start, end, step)) is a list of schemas, bound by `overloads`.
import { Tensor } from './tensor.js';
import { rollbackOnError } from './backend/memory.js';
import { checkDType, typeName } from './dtype.js';
import { Device } from './device.js';
import { Generator } from './random.js';

interface Param {
  name: string;
  /** the alternatives of its type, each without `?` */
  types: string[];
  /** the same, read for conversion */
  kinds: { t: string; n: number }[];
  nullable: boolean;
  required: boolean;
  default: unknown;
  keywordOnly: boolean;
}

export interface Signature {
  /** the callable's name */
  name: string;
  /** how PyTorch's messages name it: `conv2d`, or `Conv2d.__init__` for a class (Python's words) */
  label: string;
  /** 1 for a class, whose Python messages count `self` among the positional arguments */
  self: number;
  params: Param[];
  /** how many parameters may come by position */
  positional: number;
  /** how many of those must */
  required: number;
  /** the schema line it was read from */
  schema: string;
  byName: Map<string, number>;
  /** the index of the `int...` parameter, or -1 */
  varargs: number;
  /** a method PyTorch has only as a method (`Tensor.x`, `TensorBase.x`): its first argument is not self */
  methodOnly: boolean;
}

function parseDefault(text: string): unknown {
  if (text === 'None') return null;
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (/^['"].*['"]$/.test(text)) return text.slice(1, -1);
  if (/^\[.*\]$/.test(text)) return text.slice(1, -1).split(',').filter((s) => s.trim() !== '').map((s) => parseDefault(s.trim()));
  const n = Number(text);
  if (!Number.isNaN(n) || text === 'nan') return n;
  throw new Error(`wasmtorch: bad default ${text} in a signature`);
}

/** Splits at top-level commas (not inside brackets or quotes). */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, quote = '', start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

// `var`, not const: the ops declare their signatures while this module's importers are still loading
// (signature.ts -> tensor.ts -> ops -> signature()), before a const here would be initialised.
// eslint-disable-next-line no-var
var registry: Map<string, Signature> | undefined;
/** Every signature read so far, by schema line: what the API reference (docs/api.md) is made from. */
export function registered(): Map<string, Signature> {
  return (registry ??= new Map());
}

/** Reads one schema line (and registers it). */
export function signature(schema: string): Signature {
  const arrow = schema.lastIndexOf('->'); // the return type may have parentheses of its own
  const m = /^([\w.]+)\((.*)\)\s*$/.exec((arrow >= 0 ? schema.slice(0, arrow) : schema).trim());
  if (!m) throw new Error(`wasmtorch: bad signature ${schema}`);
  const params: Param[] = [];
  let keywordOnly = false;
  for (const part of splitTop(m[2])) {
    if (part === '*') { keywordOnly = true; continue; }
    const p = /^(\S+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(part);
    if (!p) throw new Error(`wasmtorch: bad parameter ${part} in ${schema}`);
    const nullable = p[1].endsWith('?');
    const types = (nullable ? p[1].slice(0, -1) : p[1]).split('|');
    let d = p[3] === undefined ? undefined : parseDefault(p[3]);
    // an int[N] default given as one int is N of them
    const list = types.map((t) => /^int\[(\d+)\]$/.exec(t)).find((x) => x);
    if (typeof d === 'number' && list) d = new Array<number>(Number(list[1])).fill(d);
    // Python's *args may be empty
    const star = types[0] === 'Any...';
    params.push({ name: p[2], types, kinds: types.map(kindOf), nullable, required: p[3] === undefined && !star, default: star ? [] : d, keywordOnly });
  }
  const positional = params.filter((p) => !p.keywordOnly).length;
  let required = 0;
  while (required < positional && params[required].required) required++;
  const varargs = params.findIndex((p) => p.types.includes('int...') || p.types.includes('Any...'));
  // a class (Conv2d) or a method (Optimizer.zero_grad) is Python code in PyTorch: Python's messages, counting self;
  // Tensor.x is a Tensor method of PyTorch's parser (self not counted), TensorBase.x one taking no arguments
  const [owner, short] = m[1].includes('.') ? m[1].split('.') : ['', m[1]];
  // (a private base class, _BatchNorm, is a class too)
  const isClass = /^_?[A-Z]/.test(short), isPython = owner !== '' && owner !== 'Tensor' && owner !== 'TensorBase';
  const label = isClass ? `${m[1]}.__init__` : owner === 'Tensor' ? short : m[1];
  // *args has no name a keyword can give
  const byName = new Map(params.map((p, i) => [p.name, i] as [string, number]).filter(([, i]) => params[i].types[0] !== 'Any...'));
  const methodOnly = owner === 'Tensor' || owner === 'TensorBase';
  const sig = { name: m[1], label, self: isClass || isPython ? 1 : 0, params, positional, required, schema, byName, varargs, methodOnly };
  registered().set(sig.schema, sig);
  return sig;
}

/** The API reference: every registered signature, sorted by name, as Markdown. */
export function apiReference(): string {
  const sigs = [...registered().values()].sort((a, b) => a.name.localeCompare(b.name) || a.schema.localeCompare(b.schema));
  return ['# API reference', '',
    'Generated from the signature table (`src/signature.ts` reads each line; `npm run api` writes this file and',
    'the tests check it is current). Every parameter before `*` may be given by position or by name in a last',
    'options object. The callables not listed here are not yet declared in the table.', '',
    ...sigs.map((s) => `- \`${s.schema}\``), ''].join('\n');
}

/** torch.typename: torch.FloatTensor for a float32 tensor, the Python type's name for anything else. */
export function typename(v: unknown): string {
  return v instanceof Tensor ? typeName(v.dtype) : pyType(v);
}

/** Python's name for the type of a JS value, as PyTorch's messages say it. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (v instanceof Tensor) return 'Tensor';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'bigint') return 'int';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'function') return 'function';
  return typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype ? 'dict' : (v as object).constructor?.name ?? 'object';
}

/**
 * The parser's TypeError. `first` is the call's first argument: called as a method (x.narrow(0.5, 0, 1)) that is
 * self, which PyTorch's messages leave out, so Tensor's methods re-throw `asMethod` (tensor.ts).
 */
export class ArgumentError extends TypeError {
  declare readonly first: unknown;
  declare readonly asMethod: string;
  /** a dtype PyTorch has and wasmtorch does not (float64): said as such by overloaded callables too */
  declare unsupported: boolean;
  constructor(message: string, first: unknown, asMethod: string) {
    super(message);
    // not enumerable: the error shows (and compares) as PyTorch's TypeError, its message alone
    Object.defineProperties(this, { first: { value: first }, asMethod: { value: asMethod }, unsupported: { value: false, writable: true } });
  }
}
ArgumentError.prototype.name = 'TypeError'; // what users see printed: PyTorch's class

/** A plain object: the keyword arguments of a call (a Tensor, an array or a class instance is an argument). */
export const isOptions = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Converts one argument to its parameter's type, or throws PyTorch's TypeError saying why it cannot
 * (`position` is the 1-based place of an argument given by position, 0 for one given by name).
 */
function convert(sig: Signature, p: Param, v: unknown, position: number, first: unknown): unknown {
  if (v === undefined || v === null) {
    if (p.nullable || p.types.includes('Any')) return null;
    throw argumentError(sig, p, position, ` must be ${typeWord(p.types[0])}, not NoneType`, first);
  }
  for (let k = 0; k < p.kinds.length; k++) {
    const r = convertTo(p.kinds[k], v);
    if (r !== NO) return r;
  }
  const why = (convertTo(p.kinds[0], v, true) as Failed).why;
  // a why that starts with ':' is a sentence of its own (a dtype PyTorch has and wasmtorch does not)
  const e = argumentError(sig, p, position, `${why.startsWith(':') ? '' : ' '}${why}`, first);
  e.unsupported = why.startsWith(':');
  throw e;
}

/** `conv2d(): argument 'stride' (position 4) must be ...`, and the same for the method form, which counts from after self. */
function argumentError(sig: Signature, p: Param, position: number, why: string, first: unknown): ArgumentError {
  const which = (at: number) => `${sig.label}(): argument '${p.name}'${at > 0 ? ` (position ${at})` : ''}${why}`;
  return new ArgumentError(which(position), first, which(position > 1 ? position - 1 : 0));
}

function typeWord(t: string): string {
  if (t.startsWith('int[') || t === 'int...') return 'tuple of ints';
  if (t.startsWith('float[')) return 'tuple of floats';
  return { Tensor: 'Tensor', 'Tensor[]': 'tuple of Tensors', int: 'int', float: 'float', Scalar: 'Number', bool: 'bool', str: 'str', ScalarType: 'torch.dtype', Generator: 'torch.Generator', Device: 'torch.device' }[t] ?? t;
}

/** A parameter type, read once: its kind and, for lists, the length (0: any). */
interface Kind { t: string; n: number }
function kindOf(t: string): Kind {
  const list = /^(int|float)\[(\d*)\]$/.exec(t);
  if (list) return { t: `${list[1]}[]`, n: list[2] === '' ? 0 : Number(list[2]) };
  if (t === 'int...') return { t: 'int[]', n: 0 };
  if (t === 'Any...') return { t: 'Any', n: 0 };
  if (!['Any', 'Tensor', 'Tensor[]', 'int', 'float', 'Scalar', 'bool', 'str', 'ScalarType', 'Generator', 'Device'].includes(t)) {
    throw new Error(`wasmtorch: unknown type ${t} in a signature`);
  }
  return { t, n: 0 };
}

// A failed conversion: NO on the fast path, or (asked again with `explain`) the reason, in PyTorch's words.
const NO = Symbol('no');
interface Failed { why: string }
const fail = (explain: boolean, why: () => string): typeof NO | Failed => (explain ? { why: why() } : NO);

function convertTo(k: Kind, v: unknown, explain = false): unknown {
  switch (k.t) {
    case 'Any':
      return v;
    case 'Tensor':
      return v instanceof Tensor ? v : fail(explain, () => `must be Tensor, not ${pyType(v)}`);
    case 'Tensor[]':
      if (!Array.isArray(v)) return fail(explain, () => `must be tuple of Tensors, not ${pyType(v)}`);
      for (let i = 0; i < v.length; i++) if (!(v[i] instanceof Tensor)) return fail(explain, () => `must be tuple of Tensors, but found element of type ${pyType(v[i])} at pos ${i}`);
      return v;
    case 'int':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (v instanceof Tensor && v.dim() === 0 && (v.dtype === 'int64' || v.dtype === 'int32')) return v.item();
      return fail(explain, () => `must be int, not ${pyType(v)}`);
    case 'float':
      if (typeof v === 'number') return v;
      if (v instanceof Tensor && v.dim() === 0) return Number(v.item());
      return fail(explain, () => `must be float, not ${pyType(v)}`);
    case 'Scalar':
      if (typeof v === 'number' || typeof v === 'boolean') return v;
      if (v instanceof Tensor && v.dim() === 0) return v.item();
      return fail(explain, () => `must be Number, not ${pyType(v)}`);
    case 'bool':
      return typeof v === 'boolean' ? v : fail(explain, () => `must be bool, not ${pyType(v)}`);
    case 'str':
      return typeof v === 'string' ? v : fail(explain, () => `must be str, not ${pyType(v)}`);
    case 'ScalarType': {
      const d = checkDType(v);
      return typeof d === 'string' ? d : explain ? d : NO;
    }
    case 'Generator':
      return v instanceof Generator ? v : fail(explain, () => `must be torch.Generator, not ${pyType(v)}`);
    case 'Device': // a torch.device or its name, checked by the callable (checkDevice: only the CPU is here)
      // a dtype's name is not a device's (x.to(torch.float64): torch.float64 is a string here)
      return (typeof v === 'string' && typeof checkDType(v) !== 'string' && !(checkDType(v) as Failed).why.startsWith(':')) || v instanceof Device ? v
        : fail(explain, () => `must be torch.device, not ${pyType(v)}`);
    case 'float[]':
      return floatList(k.n, v, explain);
    default: { // int[]
      const n = k.n;
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) return fail(explain, () => 'must be tuple of ints, not float');
        return n > 0 ? new Array<number>(n).fill(v) : [v];
      }
      if (!Array.isArray(v)) return fail(explain, () => `must be tuple of ints, not ${pyType(v)}`);
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'number' || !Number.isInteger(v[i])) return fail(explain, () => `must be tuple of ints, but found element of type ${pyType(v[i])} at pos ${i}`);
      }
      if (n > 0 && v.length === 1) return new Array<number>(n).fill(v[0]);
      if (n > 0 && v.length !== n) return fail(explain, () => `must be tuple of ${n} ints, but got ${v.length} of them`);
      return v.slice();
    }
  }
}

function floatList(n: number, v: unknown, explain: boolean): unknown {
  if (typeof v === 'number') return n > 0 ? new Array<number>(n).fill(v) : [v];
  if (!Array.isArray(v)) return fail(explain, () => `must be tuple of floats, not ${pyType(v)}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number') return fail(explain, () => `must be tuple of floats, but found element of type ${pyType(v[i])} at pos ${i}`);
  }
  if (n > 0 && v.length !== n) return fail(explain, () => `must be tuple of ${n} floats, but got ${v.length} of them`);
  return v.slice();
}

/**
 * Binds a call's arguments to the signature: positional ones first, then a trailing plain object of keyword
 * arguments (a plain object in the place of a parameter of type Any is that argument). Returns the values in
 * parameter order, defaults filled in and every value converted; throws PyTorch's TypeError otherwise, having
 * done nothing else.
 */
export function bind(sig: Signature, args: ArrayLike<unknown>, python = false): unknown[] {
  if (sig.varargs >= 0) args = gatherVarargs(sig.varargs, args, sig.params[sig.varargs].types[0] === 'Any...');
  let n = args.length;
  // trailing undefined arguments are absent ones (f(x, undefined) is f(x)), also before the options object
  while (n > 0 && args[n - 1] === undefined) n--;
  let kw: Record<string, unknown> | null = null;
  if (n > 0 && isOptions(args[n - 1])) {
    // a plain object is the keyword arguments, unless it fills a required parameter of type Any (a state dict)
    const p = sig.params[n - 1];
    if (!(p !== undefined && n - 1 < sig.required && p.types.includes('Any'))) {
      kw = args[n - 1] as Record<string, unknown>;
      n--;
    }
  }
  while (n > 0 && args[n - 1] === undefined) n--;
  // a method-only signature's first argument is not self, whatever it is
  const first = sig.methodOnly ? UNSET : args[0];
  if (n > sig.positional) throw tooMany(sig, n, first);
  const params = sig.params;
  const out = new Array<unknown>(params.length);
  let byKeyword = 0; // a bit per parameter given by name (messages say their position only for positional ones)
  for (let i = 0; i < n; i++) out[i] = args[i] === undefined ? UNSET : args[i];
  for (let i = n; i < params.length; i++) out[i] = UNSET;
  if (kw !== null) {
    for (const key of Object.keys(kw)) {
      let i = sig.byName.get(key);
      // PyTorch's parser also takes NumPy's names for these two
      if (i === undefined && !sig.self && (key === 'axis' || key === 'keepdims')) i = sig.byName.get(key === 'axis' ? 'dim' : 'keepdim');
      if (i === undefined) {
        if (sig.label.startsWith('TensorBase.')) throw new TypeError(`${sig.label}() takes no keyword arguments`);
        // an op of one tensor (exp) is, as a method, one taking no arguments: CPython's words
        throw new ArgumentError(`${sig.label}() got an unexpected keyword argument '${key}'`, first,
          params.length === 1 ? `TensorBase.${sig.label}() takes no keyword arguments` : `${sig.label}() got an unexpected keyword argument '${key}'`);
      }
      if (kw[key] === undefined) continue;
      if (out[i] !== UNSET) throw new TypeError(`${sig.label}() got multiple values for argument '${params[i].name}'`);
      out[i] = kw[key];
      if (i < 31) byKeyword |= 1 << i;
    }
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (out[i] === UNSET) {
      if (p.required) throw missing(sig, out, python);
      const d = p.default;
      out[i] = Array.isArray(d) ? d.slice() : d;
      continue;
    }
    out[i] = convert(sig, p, out[i], byKeyword & (1 << i) ? 0 : i + 1, first);
  }
  return out;
}

const UNSET = Symbol('unset');

/** `n` positional arguments for a signature taking fewer: Python's words (CPython's for a method without arguments). */
function tooMany(sig: Signature, n: number, first: unknown): TypeError {
  if (sig.label.startsWith('TensorBase.')) return new TypeError(`${sig.label}() takes no arguments (${n} given)`);
  const words = (less: number) => {
    const [lo, hi, got] = [sig.required + sig.self - less, sig.positional + sig.self - less, n + sig.self - less];
    const range = lo === hi ? `${hi}` : `from ${lo} to ${hi}`;
    return `${sig.label}() takes ${range} positional argument${lo === hi && hi === 1 ? '' : 's'} but ${got} ${got === 1 ? 'was' : 'were'} given`;
  };
  return new ArgumentError(words(0), first, sig.params.length === 1 ? `TensorBase.${sig.label}() takes no arguments (${n - 1} given)` : words(1));
}

/**
 * The error for required arguments left out: PyTorch's parser's words for an op (its plural is as printed:
 * "1 required positional arguments", "2 required positional argument"), Python's for a class, a method or (`python`)
 * a Python function.
 */
function missing(sig: Signature, values: unknown[], python: boolean): TypeError {
  const absent = sig.params.filter((p, i) => p.required && values[i] === UNSET);
  if (!sig.self && !python) {
    return new TypeError(`${sig.label}() missing ${absent.length} required positional argument${absent.length === 1 ? 's' : ''}: ` +
      absent.map((p) => `"${p.name}"`).join(', '));
  }
  const q = absent.map((p) => `'${p.name}'`);
  const list = q.length <= 2 ? q.join(' and ') : `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
  const kind = absent[0].keywordOnly ? 'keyword-only' : 'positional';
  return new TypeError(`${sig.label}() missing ${absent.length} required ${kind} argument${absent.length === 1 ? '' : 's'}: ${list}`);
}

/**
 * `zeros(2, 3)` is `zeros([2, 3])`: the positional arguments from the `int...` parameter on, before the options, as
 * one list. Python's `*args` (`Any...`: Sequential(*args)) gathers them all, one list included.
 */
function gatherVarargs(at: number, args: ArrayLike<unknown>, star: boolean): ArrayLike<unknown> {
  let end = args.length;
  while (end > at && (args[end - 1] === undefined || isOptions(args[end - 1]))) end--;
  if (end <= at + 1 && !star) return args; // one list, or one int (int[] takes it as a list of one)
  if (end < at) return args; // a parameter before *args is missing: the binder says so
  const out = Array.prototype.slice.call(args, 0, at) as unknown[];
  out.push(Array.prototype.slice.call(args, at, end));
  for (let i = end; i < args.length; i++) out.push(args[i]);
  return out;
}

/**
 * Binds a call to the first of several forms it fits (PyTorch's overloads: arange(end), arange(start, end,
 * step)), returning which one and its values; fitting none is PyTorch's "invalid combination" TypeError,
 * listing the forms. A form whose only failure is a value check (a negative size) reports that error itself.
 */
export function overloads(sigs: Signature[], args: ArrayLike<unknown>): [number, unknown[]] {
  let unsupported: ArgumentError | null = null;
  for (let k = 0; k < sigs.length; k++) {
    try {
      return [k, bind(sigs[k], args)];
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
      if (e instanceof ArgumentError && e.unsupported) unsupported ??= e;
    }
  }
  if (unsupported) throw unsupported;
  const got = Array.prototype.slice.call(args).filter((a) => a !== undefined).map((a) =>
    isOptions(a) ? Object.keys(a).map((k) => `${k}=${pyType(a[k])}`).join(', ') : pyType(a)).filter((s) => s !== '');
  const forms = sigs.map((s) => {
    const arrow = s.schema.lastIndexOf('->'); // without the return type
    const head = (arrow >= 0 ? s.schema.slice(0, arrow) : s.schema).trim();
    return splitTop(head.slice(head.indexOf('(') + 1, head.lastIndexOf(')')));
  });
  // the method form (x.max('a')) lists neither self nor its type
  const words = (less: number) => `${sigs[0].label}() received an invalid combination of arguments - got (${got.slice(less).join(', ')}), ` +
    `but expected one of:\n${forms.map((f) => ` * (${f.slice(less).join(', ')})`).join('\n')}`;
  throw new ArgumentError(words(0), sigs[0].methodOnly ? UNSET : args[0], words(1));
}

/** bind() into an object keyed by parameter name. */
export function bindNamed(sig: Signature, args: ArrayLike<unknown>, python = false): Record<string, unknown> {
  const values = bind(sig, args, python);
  const out: Record<string, unknown> = {};
  sig.params.forEach((p, i) => (out[p.name] = values[i]));
  return out;
}


/**
 * A public callable from its schema line and its implementation, which receives the checked values in the
 * schema's parameter order. `T` is the TypeScript type users see.
 */
export function op<T extends (...args: never[]) => unknown>(schema: string, impl: (...values: never[]) => unknown): T & { signature: Signature } {
  return callable<T>(schema, impl, null, false);
}

/**
 * A public callable on a hot path: a call of exactly `plain` positional arguments, each already of its parameter's
 * type (a Tensor where one is due, a number where a Scalar or float is), goes straight to `impl`, whose own
 * defaults are the schema's; any other call is bound and checked. (`plain` may be a test of its own.)
 */
export function hotOp<T extends (...args: never[]) => unknown>(schema: string, impl: (...values: never[]) => unknown,
  plain: number | ((args: unknown[]) => boolean)): T & { signature: Signature } {
  return callable<T>(schema, impl, plain, false);
}

/**
 * op and hotOp, and (`python`: Python's words for missing arguments) pyfunction.ts's pyFunction: calls that `plain`
 * recognises go straight to `impl`; the others are bound, checked, and rolled back if `impl` throws.
 */
export function callable<T extends (...args: never[]) => unknown>(schema: string, impl: (...values: never[]) => unknown,
  plain: number | ((args: unknown[]) => boolean) | null, python: boolean): T & { signature: Signature } {
  const sig = signature(schema);
  const run = impl as (...v: unknown[]) => unknown;
  const checked = (args: ArrayLike<unknown>) => {
    const values = bind(sig, args, python);
    return rollbackOnError(() => run(...values));
  };
  let f: (...args: unknown[]) => unknown;
  if (plain === null) {
    f = function (...args: unknown[]) { return checked(args); };
  } else if (plain === 1 || plain === 2) {
    // the commonest arities without a rest array: x.exp(), x.add(y), one test per place
    const [ok0, ok1] = [placeTest(sig, 0), placeTest(sig, 1)];
    const run1 = impl as (a: unknown) => unknown, run2 = impl as (a: unknown, b: unknown) => unknown;
    f = plain === 1
      ? function (a: unknown) { return arguments.length === 1 && ok0(a) ? run1(a) : checked(arguments); }
      : function (a: unknown, b: unknown) { return arguments.length === 2 && ok0(a) && ok1(b) ? run2(a, b) : checked(arguments); };
  } else {
    const isPlain = typeof plain === 'number' ? plainTest(sig, plain) : plain;
    f = function (...args: unknown[]) {
      return isPlain(args) ? run(...args) : checked(args);
    };
  }
  Object.defineProperty(f, 'name', { value: sig.name.split('.').pop() });
  return Object.assign(f, { signature: sig }) as unknown as T & { signature: Signature };
}

/** hotOp's test for one place: a Tensor where the parameter takes one, a number where it takes a Scalar or float. */
function placeTest(sig: Signature, i: number): (a: unknown) => boolean {
  const p = sig.params[i];
  const tensorOk = p !== undefined && p.types.includes('Tensor');
  const numberOk = p !== undefined && (p.types.includes('Scalar') || p.types.includes('float'));
  return (a) => (a instanceof Tensor ? tensorOk : typeof a === 'number' && numberOk);
}

/** hotOp's test for n positional arguments of their parameters' types: per place, whether a Tensor and a number may come. */
function plainTest(sig: Signature, n: number): (args: unknown[]) => boolean {
  const ok = Array.from({ length: n }, (_, i) => placeTest(sig, i));
  return (args) => {
    if (args.length !== n) return false;
    for (let i = 0; i < n; i++) if (!ok[i](args[i])) return false;
    return true;
  };
}

/** A public callable with several forms: `impl` receives which form the call fits and its checked values. */
export function overloadedOp<T extends (...args: never[]) => unknown>(schemas: string[], impl: (form: number, values: unknown[]) => unknown): T & { signatures: Signature[] } {
  const sigs = schemas.map(signature);
  const f = function (...args: unknown[]) {
    const [form, values] = overloads(sigs, args);
    return rollbackOnError(() => impl(form, values));
  };
  Object.defineProperty(f, 'name', { value: sigs[0].name.split('.').pop() });
  return Object.assign(f, { signatures: sigs }) as unknown as T & { signatures: Signature[] };
}

const INT: Kind = { t: 'int', n: 0 };

/** One int argument of a hot op that checks its own arguments (select, narrow): the value, or PyTorch's TypeError. */
export function intArg(fn: string, name: string, v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v; // the common case, without a conversion record
  const r = convertTo(INT, v);
  if (r === NO) throw new TypeError(`${fn}(): argument '${name}' ${(convertTo(INT, v, true) as Failed).why}`);
  return r as number;
}

type Prefixes<P extends unknown[]> = P extends [...infer H, unknown] ? P | Prefixes<H> : [];
/** A call's arguments as TypeScript sees them: leading positional arguments in PyTorch's order, optionally followed by keyword arguments as one object. */
export type CallArgs<P extends unknown[], O> = Prefixes<P> extends infer Q ? (Q extends unknown[] ? Q | [...Q, O] : never) : never;
