// Tensor creation: from nested arrays or typed arrays, constant fills,
// ranges and random draws. Data made in JS starts in a host array and enters
// linear memory only when an op first reads it.
import { checkStorageSize } from '../backend/memory.js';
import { Tensor, fromArray, numelOf, type NestedArray } from '../tensor.js';
import { type DType, isIntegral } from '../dtype.js';
import { default_generator, Generator } from '../random.js';
import { setRequiresGrad, no_grad } from '../autograd/engine.js';
import { K, tick, empty, ptr, broadcastShapes } from './core.js';

export interface CreateOptions {
  dtype?: DType;
  requires_grad?: boolean;
  generator?: Generator;
}
type SizeArgs = (number | number[] | CreateOptions)[];

/** Splits PyTorch's `(*size, options)` or `(size, options)` argument forms. */
export function sizeArgs(args: SizeArgs): [number[], CreateOptions] {
  let opts: CreateOptions = {};
  const dims: number[] = [];
  for (const a of args) {
    if (Array.isArray(a)) dims.push(...a);
    else if (typeof a === 'number') dims.push(a);
    else if (a !== null && typeof a === 'object') opts = a;
  }
  dims.forEach((d, i) => {
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      throw new TypeError(`argument 'size' must be tuple of ints, but found element of type ${typeof d === 'number' ? 'float' : typeof d} at pos ${i}`);
    }
    if (d < 0) throw new Error(`Trying to create tensor with negative dimension ${d}: [${dims.join(', ')}]`);
  });
  checkStorageSize(numelOf(dims));
  return [dims, opts];
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requires_grad) setRequiresGrad(t, true);
  return t;
}

function checkInt64(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 2147483647 || v < -2147483648) {
      throw new Error(`wasmtorch stores int64 as int32: value ${v} is out of range [-2147483648, 2147483647]`);
    }
  }
}

function typedFor(dtype: DType, n: number): Float32Array | Int32Array {
  return isIntegral(dtype) ? new Int32Array(n) : new Float32Array(n);
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let d: NestedArray = data;
  while (Array.isArray(d)) {
    shape.push(d.length);
    if (d.length === 0) break;
    d = d[0];
  }
  return shape;
}

function flatten(data: NestedArray, shape: number[], depth: number, out: number[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new Error(`expected a number at depth ${depth}, got a sequence`);
    out.push(typeof data === 'boolean' ? (data ? 1 : 0) : data);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new Error(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(data) ? data.length : 'a number'})`);
  }
  for (const x of data) flatten(x, shape, depth + 1, out);
}

/** torch.tensor(data, { dtype, requires_grad }): copies data; numbers are float32 unless dtype says otherwise. */
export function tensor(data: NestedArray | Float32Array | Int32Array | Tensor, opts: CreateOptions = {}): Tensor {
  if (data instanceof Tensor) return finish(data.detach().clone().to(opts.dtype ?? data.dtype), opts);
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = opts.dtype ?? (data instanceof Int32Array ? 'int64' : 'float32');
    const values = typedFor(dtype, data.length);
    values.set(data);
    return finish(fromArray(values, [data.length], dtype), opts);
  }
  const shape = inferShape(data);
  const flat: number[] = [];
  flatten(data, shape, 0, flat);
  let dtype = opts.dtype;
  if (dtype === undefined) {
    const leaf = firstLeaf(data);
    dtype = typeof leaf === 'boolean' ? 'bool' : 'float32';
  }
  if (isIntegral(dtype)) checkInt64(flat);
  const values = typedFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) values[i] = dtype === 'bool' ? (flat[i] ? 1 : 0) : flat[i];
  return finish(fromArray(values, shape, dtype), opts);
}

// JS has no 1.0 vs 1 distinction, so numbers become float32 (the common case
// in ported tutorials: torch.tensor([[1.0], [2.0]])); labels and indices say
// { dtype: torch.long } or use torch.LongTensor([...]).

function firstLeaf(data: NestedArray): NestedArray {
  let d = data;
  while (Array.isArray(d) && d.length > 0) d = d[0];
  return d;
}

/** A 0-d float tensor holding v (operands that are plain numbers). */
export function scalarTensor(v: number, dtype: DType = 'float32'): Tensor {
  const values = typedFor(dtype, 1);
  values[0] = v;
  return fromArray(values, [], dtype);
}

export function full(size: number[] | number, fill_value: number | boolean, opts: CreateOptions = {}): Tensor {
  const shape = Array.isArray(size) ? size.slice() : [size];
  sizeArgs(shape);
  const dtype = opts.dtype ?? (typeof fill_value === 'boolean' ? 'bool' : 'float32');
  tick();
  const t = empty(shape, dtype);
  const n = t.numel();
  const v = Number(fill_value);
  if (n > 0) {
    if (isIntegral(dtype)) K.fill_i32(ptr(t), n, v);
    else K.fill(ptr(t), n, v);
  }
  return finish(t, opts);
}

export function zeros(...args: SizeArgs): Tensor {
  const [shape, opts] = sizeArgs(args);
  return full(shape, 0, opts);
}
export function ones(...args: SizeArgs): Tensor {
  const [shape, opts] = sizeArgs(args);
  return full(shape, 1, opts);
}
export function empty_(...args: SizeArgs): Tensor {
  const [shape, opts] = sizeArgs(args);
  return full(shape, 0, opts);
}
export const zeros_like = (t: Tensor, opts: CreateOptions = {}): Tensor => full(t.shape, 0, { dtype: t.dtype, ...opts });
export const ones_like = (t: Tensor, opts: CreateOptions = {}): Tensor => full(t.shape, 1, { dtype: t.dtype, ...opts });
export const empty_like = zeros_like;
export const full_like = (t: Tensor, v: number, opts: CreateOptions = {}): Tensor => full(t.shape, v, { dtype: t.dtype, ...opts });

/** torch.arange(end) / (start, end) / (start, end, step). */
export function arange(start: number, end?: number | CreateOptions, step?: number | CreateOptions, opts: CreateOptions = {}): Tensor {
  const nums: number[] = [];
  for (const a of [start, end, step]) {
    if (typeof a === 'number') nums.push(a);
    else if (a !== undefined) opts = a;
  }
  const [s, e, st] = nums.length === 1 ? [0, nums[0], 1] : nums.length === 2 ? [nums[0], nums[1], 1] : [nums[0], nums[1], nums[2]];
  if (st === 0) throw new Error('step must be nonzero');
  if ((e - s) / st < 0) throw new Error('upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((e - s) / st);
  const dtype = opts.dtype ?? (nums.every(Number.isInteger) ? 'int64' : 'float32');
  const values = typedFor(dtype, n);
  for (let i = 0; i < n; i++) values[i] = s + i * st;
  return finish(fromArray(values, [n], dtype), opts);
}

export function linspace(start: number, end: number, steps: number, opts: CreateOptions = {}): Tensor {
  if (steps < 0) throw new Error('number of steps must be non-negative');
  const values = new Float32Array(steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  if (steps === 1) return finish(fromArray(new Float32Array([start]), [1], opts.dtype ?? 'float32'), opts);
  // PyTorch fills the second half from the end, so the last value is exactly `end`
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(fromArray(values, [steps], opts.dtype ?? 'float32'), opts);
}

export function eye(n: number, m?: number | CreateOptions, opts: CreateOptions = {}): Tensor {
  let cols = n;
  if (typeof m === 'number') cols = m;
  else if (m !== undefined) opts = m;
  for (const [name, v] of [['n', n], ['m', cols]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError(`eye(): argument '${name}' must be int, not ${typeof v === 'number' ? 'float' : typeof v}`);
    if (v < 0) throw new Error(`${name} must be greater or equal to 0, got ${v}`);
  }
  const dtype = opts.dtype ?? 'float32';
  const values = typedFor(dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
  return finish(fromArray(values, [n, cols], dtype), opts);
}

function randomTensor(args: SizeArgs, draw: (g: Generator, n: number) => Float32Array): Tensor {
  const [shape, opts] = sizeArgs(args);
  const values = draw(opts.generator ?? default_generator, numelOf(shape));
  return finish(fromArray(values, shape, opts.dtype ?? 'float32'), opts);
}

/** n float32 uniforms in [from, to) (Tensor.uniform_, torch.rand). */
export function uniformFloats(g: Generator, n: number, from = 0, to = 1): Float32Array {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = g.nextUniform(from, to);
  return values;
}

export const rand = (...args: SizeArgs): Tensor => randomTensor(args, (g, n) => uniformFloats(g, n));
export const randn = (...args: SizeArgs): Tensor => randomTensor(args, (g, n) => g.normalFloats(n));
export const rand_like = (t: Tensor, opts: CreateOptions = {}): Tensor => rand(t.shape, opts);
export const randn_like = (t: Tensor, opts: CreateOptions = {}): Tensor => randn(t.shape, opts);

/** torch.randint(high, size) or (low, high, size). */
export function randint(a: number, b: number | number[], c?: number[] | CreateOptions, opts: CreateOptions = {}): Tensor {
  let low = 0, high: number, size: number[];
  if (Array.isArray(b)) {
    high = a;
    size = b;
    if (c !== undefined && !Array.isArray(c)) opts = c;
  } else {
    low = a;
    high = b;
    size = c as number[];
  }
  if (high <= low) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const g = opts.generator ?? default_generator;
  const dtype = opts.dtype ?? 'int64';
  const n = numelOf(size);
  const values = typedFor(dtype, n);
  for (let i = 0; i < n; i++) values[i] = g.nextInt(low, high);
  return finish(fromArray(values, size.slice(), dtype), opts);
}

/** torch.normal(mean, std, size). */
/**
 * torch.normal(mean, std, size) with numbers, or with tensors for mean and/or std (broadcast): PyTorch draws
 * standard normals of the result's shape, then scales by std and adds mean, so seeded results equal its own.
 */
export function normal(mean: number | Tensor, std: number | Tensor, size?: number[] | CreateOptions, opts: CreateOptions = {}): Tensor {
  if (!(mean instanceof Tensor) && !(std instanceof Tensor)) {
    if (!Array.isArray(size)) throw new TypeError("normal(): argument 'size' must be tuple of ints when mean and std are numbers");
    return randomTensor([size, opts], (g, n) => g.normalFloats(n, mean, std));
  }
  const o = Array.isArray(size) ? opts : size ?? opts;
  if (typeof std === 'number' && !(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${std}`);
  const shape = mean instanceof Tensor && std instanceof Tensor ? broadcastShapes(mean.shape, std.shape)
    : (mean instanceof Tensor ? mean : std as Tensor).shape.slice();
  const g = o.generator ?? default_generator;
  return no_grad(() => {
    const z = fromArray(g.normalFloats(numelOf(shape), 0, 1), shape, 'float32');
    return z.mul(std).add(mean);
  });
}

/** torch.randperm(n): ATen's CPU shuffle (forward Fisher-Yates, z = random() % (n - i)). */
export function randperm(n: number, opts: CreateOptions = {}): Tensor {
  const g = opts.generator ?? default_generator;
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (g.nextUint32() % (n - i));
    const t = values[i];
    values[i] = values[z];
    values[z] = t;
  }
  return fromArray(values, [n], opts.dtype ?? 'int64');
}

/** The generator argument of the in-place draws: a Generator (nn.init's positional form) or { generator } (Tensor's). */
function generatorOf(arg: Generator | { generator?: Generator } | undefined): Generator | undefined {
  return arg !== undefined && !(arg instanceof Generator) ? arg.generator : arg;
}

// Drawn as PyTorch's Tensor.uniform_ / normal_ draw them, so seeded initialisation gives PyTorch's initial weights.
/** Tensor.uniform_(from=0, to=1, *, generator=None) and nn.init.uniform_: fills t in place, outside autograd. */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Generator | { generator?: Generator }): Tensor {
  const g = generatorOf(generator);
  no_grad(() => t.copy_(tensor(uniformFloats(g ?? default_generator, t.numel(), a, b)).reshape(t.shape)));
  return t;
}
/** Tensor.normal_(mean=0, std=1, *, generator=None) and nn.init.normal_. */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator | { generator?: Generator }): Tensor {
  const g = generatorOf(generator);
  no_grad(() => t.copy_(tensor((g ?? default_generator).normalFloats(t.numel(), mean, std)).reshape(t.shape)));
  return t;
}
