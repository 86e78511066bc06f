// The torch.* functions that are not ops (seeding, threads, grad mode, determinism, type tests, legacy
// constructors, save/load), each with its PyTorch signature and PyTorch's words for what it refuses. The
// implementations live with what they drive (random.ts, backend/threads.ts, autograd/engine.ts, ...).
import { Tensor, fromArray, type NestedArray } from './tensor.js';
import * as ops from './ops/index.js';
import * as random from './random.js';
import * as threads from './backend/threads.js';
import * as engine from './autograd/engine.js';
import * as wasm from './backend/wasm.js';
import * as io from './io/serialization.js';
import { op, pyType } from './signature.js';
import { pyFunction } from './pyfunction.js';
import { promoteTypes, isFloating, type DType } from './dtype.js';

/** Python's int(x) of a seed: an int, a float truncated, a bool, a string of digits; anything else is its error. */
function pythonInt(x: unknown): number | bigint {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.trunc(x);
  if (typeof x === 'bigint') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'string') {
    if (/^\s*[+-]?\d+\s*$/.test(x)) return BigInt(x.trim());
    throw new Error(`invalid literal for int() with base 10: '${x}'`);
  }
  if (typeof x === 'number') throw new Error(`cannot convert float ${Number.isNaN(x) ? 'NaN' : 'infinity'} to integer`);
  throw new TypeError(`int() argument must be a string, a bytes-like object or a real number, not '${pyType(x)}'`);
}

/** torch.manual_seed(seed): int(seed) seeds the default generator, as PyTorch's does. */
export const manual_seed = pyFunction<(seed: number | bigint | string) => random.Generator>('manual_seed(Any seed) -> Generator',
  (seed: unknown) => random.manual_seed(pythonInt(seed)));

/** torch.initial_seed(). */
export const initial_seed = pyFunction<() => number>('initial_seed() -> int', () => random.initial_seed());

/** A builtin of torch's C module taking exactly one argument: CPython's words when it gets another number. */
function exactlyOne(name: string, args: unknown[]): unknown {
  if (args.length !== 1) throw new TypeError(`torch.${name}() takes exactly one argument (${args.length} given)`);
  return args[0];
}
function noArguments(name: string, args: unknown[]): void {
  if (args.length !== 0) throw new TypeError(`torch.${name}() takes no arguments (${args.length} given)`);
}

/** torch.set_num_threads(int): intra-op threads (the kernels' workers). */
export function set_num_threads(...args: [n: number]): void {
  const n = exactlyOne('set_num_threads', args);
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new Error(`set_num_threads expects an int, but got ${pyType(n)}`);
  if (n < 1) throw new Error('set_num_threads expects a positive integer');
  threads.set_num_threads(n);
}
/** torch.get_num_threads(). */
export function get_num_threads(...args: []): number {
  noArguments('get_num_threads', args);
  return threads.get_num_threads();
}

/** torch.is_grad_enabled(). */
export function is_grad_enabled(...args: []): boolean {
  noArguments('is_grad_enabled', args);
  return engine.is_grad_enabled();
}
/** torch.set_grad_enabled(mode): sets grad mode (PyTorch's context manager form is a function call here). */
export const set_grad_enabled = pyFunction<(mode: boolean | { mode: boolean }) => void>('set_grad_enabled(bool mode) -> None',
  (mode: boolean) => engine.set_grad_enabled(mode));

/** The function of no_grad(fn) / enable_grad(fn) (PyTorch's `with torch.no_grad():` block). */
function block<T>(name: string, fn: unknown): () => T {
  if (typeof fn !== 'function') throw new TypeError(`${name}() takes the block to run as a function, not ${pyType(fn)}: torch.${name}(() => ...)`);
  return fn as () => T;
}
/** torch.no_grad(fn): runs fn without recording a graph (PyTorch's `with torch.no_grad():`). */
export function no_grad<T>(fn: () => T): T {
  return engine.no_grad(block<T>('no_grad', fn));
}
/** torch.enable_grad(fn): runs fn recording a graph, inside no_grad too. */
export function enable_grad<T>(fn: () => T): T {
  return engine.enable_grad(block<T>('enable_grad', fn));
}

/** torch.use_deterministic_algorithms(mode, *, warn_only=False): true runs the plain build, whose sums round the same everywhere. */
export const use_deterministic_algorithms = pyFunction<(mode: boolean, options?: { warn_only?: boolean }) => void>(
  'use_deterministic_algorithms(bool mode, *, bool warn_only=False) -> None', (mode: boolean) => wasm.use_deterministic_algorithms(mode));
/** torch.are_deterministic_algorithms_enabled(). */
export function are_deterministic_algorithms_enabled(...args: []): boolean {
  noArguments('are_deterministic_algorithms_enabled', args);
  return wasm.are_deterministic_algorithms_enabled();
}

/** torch.is_tensor(obj). */
export const is_tensor = pyFunction<(obj: unknown) => boolean>('is_tensor(Any obj) -> bool', (obj: unknown) => obj instanceof Tensor);
/** torch.numel(input). */
export const numel = op<(input: Tensor) => number>('numel(Tensor input) -> int', (t: Tensor) => t.numel());
/** torch.is_floating_point(input). */
export const is_floating_point = op<(input: Tensor) => boolean>('is_floating_point(Tensor input) -> bool', (t: Tensor) => isFloating(t.dtype));
/** torch.promote_types(type1, type2): the dtype arithmetic on the two gives. */
export const promote_types = op<(type1: DType, type2: DType) => DType>('promote_types(ScalarType type1, ScalarType type2) -> ScalarType',
  (a: DType, b: DType) => promoteTypes(a, b));

/** Legacy constructors the course uses: torch.FloatTensor([...]), torch.LongTensor([...]). */
export function FloatTensor(data: NestedArray): Tensor {
  return ops.tensor(data, { dtype: 'float32' });
}
export function LongTensor(data: NestedArray): Tensor {
  return ops.tensor(data, { dtype: 'int64' });
}
/**
 * torch.from_numpy(ndarray): a typed array (JS's ndarray) as a tensor, float32 for a Float32Array, int64 for an
 * Int32Array; `shape` (wasmtorch's) gives its dimensions.
 */
export function from_numpy(data: Float32Array | Int32Array, shape?: number[]): Tensor {
  if (!(data instanceof Float32Array) && !(data instanceof Int32Array)) {
    throw new TypeError(`expected np.ndarray (got ${pyType(data)}): a Float32Array or an Int32Array`);
  }
  return fromArray(data, shape ?? [data.length], data instanceof Int32Array ? 'int64' : 'float32');
}

/** torch.save(obj, f): f a path (Node, written synchronously) or none (the bytes are returned). */
export const save = pyFunction<typeof io.save>('save(Any obj, Any f=None, *, Any metadata=None) -> Any',
  (obj: unknown, f: unknown, metadata: unknown) => {
    if (f !== null && typeof f !== 'string') throw new TypeError(`save(): f must be a path (str), or left out for the bytes, not ${pyType(f)}`);
    return io.save(obj as io.Saveable, f, metadata === null ? {} : { metadata: metadata as Record<string, string> });
  });
/** torch.load(f): f a path (Node) or the file's bytes. */
export const load = pyFunction<typeof io.load>('load(Any f, *, bool with_metadata=False) -> Any',
  (f: unknown, with_metadata: boolean) => {
    if (typeof f !== 'string' && !(f instanceof Uint8Array) && !(f instanceof ArrayBuffer)) {
      throw new TypeError(`load(): f must be a path (str) or the file's bytes (Uint8Array or ArrayBuffer), not ${pyType(f)}`);
    }
    return io.load(f, { with_metadata } as { with_metadata: true });
  });
