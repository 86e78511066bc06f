// Tensor creation: from nested arrays or typed arrays, constant fills,
// ranges and random draws. Data made in JS starts in a host array and enters
// linear memory only when an op first reads it.
import { pyRepr } from '../pyrepr.js';
import { checkStorageSize } from '../backend/memory.js';
import { Tensor, fromArray, numelOf, type NestedArray } from '../tensor.js';
import { type DType, isIntegral, scalarTypeName } from '../dtype.js';
import { op, overloadedOp, pyType } from '../signature.js';
import { checkDevice, type Device } from '../device.js';
import { default_generator, Generator } from '../random.js';
import { setRequiresGrad, no_grad } from '../autograd/engine.js';
import { K, tick, empty, ptr, broadcastShapes, fillInteger } from './core.js';

export interface CreateOptions {
  dtype?: DType;
  requires_grad?: boolean;
  generator?: Generator;
  device?: string | Device;
}
type SizeArgs = (number | readonly number[] | CreateOptions)[];

// PyTorch's keyword-only tail of the factories (layout and memory_format accepted as given: there is one of each)
const FACTORY = 'ScalarType? dtype=None, Any layout=None, Any device=None, bool requires_grad=False, bool pin_memory=False';
const LIKE = 'ScalarType? dtype=None, Any layout=None, Any device=None, bool requires_grad=False, Any memory_format=None';

/** A size PyTorch would refuse: negative, or past what linear memory holds. */
function checkSize(dims: readonly number[]): void {
  for (const d of dims) if (d < 0) throw new Error(`Trying to create tensor with negative dimension ${d}: [${dims.join(', ')}]`);
  checkStorageSize(numelOf(dims));
}

/** dtype/device/requires_grad/generator of a factory's keyword tail, checked; the device must be the CPU. */
function options(dtype: unknown, device: unknown, requires_grad: unknown, generator?: unknown): CreateOptions {
  if (device !== null && device !== undefined) checkDevice(device as string | Device);
  if (generator !== null && generator !== undefined && !(generator instanceof Generator)) {
    throw new TypeError(`argument 'generator' must be torch.Generator, not ${typeof generator}`);
  }
  const o: CreateOptions = { requires_grad: requires_grad as boolean };
  if (dtype !== null) o.dtype = dtype as DType;
  if (generator) o.generator = generator as Generator;
  if (o.requires_grad && o.dtype !== undefined && o.dtype !== 'float32') {
    throw new Error('Only Tensors of floating point and complex dtype can require gradients');
  }
  return o;
}

function finish(t: Tensor, opts: CreateOptions): Tensor {
  if (opts.requires_grad) setRequiresGrad(t, true);
  return t;
}

const INT64_MIN = -(2n ** 63n), INT64_MAX = 2n ** 63n - 1n;

/** A value stored as an integer dtype, as PyTorch converts it: floats truncate toward zero; what does not fit is refused. */
function integerValue(v: number | bigint, dtype: DType): bigint {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`value cannot be converted to type ${dtype} without overflow`);
  const b = typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
  const [lo, hi] = dtype === 'int64' ? [INT64_MIN, INT64_MAX] : [-(2n ** 31n), 2n ** 31n - 1n];
  if (b < lo || b > hi) {
    if (typeof v === 'bigint' && dtype === 'int64') throw new Error('Overflow when unpacking long long');
    throw new Error(`value cannot be converted to type ${dtype} without overflow`);
  }
  return b;
}

/** Host values for a dtype's storage (int64 takes numbers here, exact to 2^53; fromArray stores them as int64). */
function typedFor(dtype: DType, n: number): Float32Array | Int32Array | Float64Array {
  return dtype === 'int64' ? new Float64Array(n) : isIntegral(dtype) ? new Int32Array(n) : new Float32Array(n);
}

/** The typed array of a dtype's storage from JS values (numbers, booleans, BigInts), checked as PyTorch checks them. */
function storageValues(flat: (number | bigint)[], dtype: DType): Float32Array | Int32Array | BigInt64Array {
  if (dtype === 'int64') return BigInt64Array.from(flat, (v) => integerValue(v, dtype));
  if (dtype === 'int32') return Int32Array.from(flat, (v) => Number(integerValue(v, dtype)));
  return Float32Array.from(flat, Number);
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

function flattenData(data: NestedArray, shape: number[], depth: number, out: (number | bigint)[]): void {
  if (depth === shape.length) {
    if (Array.isArray(data)) throw new Error(`expected a number at depth ${depth}, got a sequence`);
    if (typeof data === 'boolean') out.push(data ? 1 : 0);
    else if (typeof data === 'number' || typeof data === 'bigint') out.push(data);
    else if ((data as unknown) instanceof Tensor && (data as unknown as Tensor).numel() === 1) out.push((data as unknown as Tensor).item());
    else throw new TypeError(`new(): invalid data type '${pyType(data)}'`);
    return;
  }
  if (!Array.isArray(data) || data.length !== shape[depth]) {
    throw new Error(`expected sequence of length ${shape[depth]} at dim ${depth} (got ${Array.isArray(data) ? data.length : 'a number'})`);
  }
  for (const x of data) flattenData(x, shape, depth + 1, out);
}

/** torch.tensor(data, { dtype, requires_grad }): copies data; numbers are float32 unless dtype says otherwise. */
export const tensor = op<(data: NestedArray | Float32Array | Int32Array | Tensor, options?: CreateOptions & { pin_memory?: boolean }) => Tensor>(
  'tensor(Any data, *, ScalarType? dtype=None, Any device=None, bool requires_grad=False, bool pin_memory=False) -> Tensor',
  (data: NestedArray | Float32Array | Int32Array | Tensor, dtype: DType | null, device: unknown, requires_grad: boolean) =>
    fromData(data, options(dtype, device, requires_grad)));

/** tensor() after its arguments are checked; what the library's own code calls. */
export function fromData(data: NestedArray | Float32Array | Int32Array | Tensor, opts: CreateOptions = {}): Tensor {
  if (data instanceof Tensor) return finish(data.detach().clone().to(opts.dtype ?? data.dtype), opts);
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = opts.dtype ?? (data instanceof Int32Array ? 'int64' : 'float32');
    const values = typedFor(dtype, data.length);
    values.set(data);
    return finish(fromArray(values, [data.length], dtype), opts);
  }
  const shape = inferShape(data);
  const flat: (number | bigint)[] = [];
  flattenData(data, shape, 0, flat);
  let dtype = opts.dtype;
  if (dtype === undefined) {
    const leaf = firstLeaf(data);
    // JS numbers give float32 (see below); data with a BigInt is integers: int64
    dtype = typeof leaf === 'boolean' ? 'bool' : flat.some((v) => typeof v === 'bigint') ? 'int64' : 'float32';
  }
  const values = dtype === 'bool' ? Float32Array.from(flat, (v) => (v ? 1 : 0)) : storageValues(flat, dtype);
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

/** A tensor of `shape` filled with v: full() after its arguments are checked. */
export function filled(shape: readonly number[], v: number | boolean, opts: CreateOptions = {}): Tensor {
  checkSize(shape);
  const dtype = opts.dtype ?? (typeof v === 'boolean' ? 'bool' : 'float32');
  tick();
  const t = empty(shape.slice(), dtype);
  const n = t.numel();
  if (n > 0) {
    if (isIntegral(dtype)) fillInteger(dtype, ptr(t), n, integerValue(typeof v === 'boolean' ? Number(v) : v, dtype));
    else K.fill(ptr(t), n, Number(v));
  }
  return finish(t, opts);
}

type Factory = (...size: SizeArgs) => Tensor;
const sized = (name: string, tail: string, make: (shape: number[], opts: CreateOptions) => Tensor): Factory =>
  op<Factory>(`${name}(int... size, *, ${tail}) -> Tensor`, (size: number[], ...rest: unknown[]) => {
    const generator = tail.startsWith('Generator') ? rest.shift() : undefined;
    const [dtype, , device, requires_grad] = rest;
    checkSize(size);
    return make(size, options(dtype, device, requires_grad, generator));
  });

export const full = op<(size: number[] | number, fill_value: number | boolean, options?: CreateOptions) => Tensor>(
  `full(int[] size, Scalar fill_value, *, ${FACTORY}) -> Tensor`,
  (size: number[], v: number | boolean, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) =>
    filled(size, v, options(dtype, device, requires_grad)));
export const zeros = sized('zeros', FACTORY, (shape, o) => filled(shape, 0, o));
export const ones = sized('ones', FACTORY, (shape, o) => filled(shape, 1, o));
// empty() is zero-filled: the same bytes every run (PyTorch leaves them undefined)
export const empty_ = sized('empty', `${FACTORY}, Any memory_format=None`, (shape, o) => filled(shape, 0, o));

type Like = (input: Tensor, options?: CreateOptions) => Tensor;
const like = (name: string, make: (t: Tensor, o: CreateOptions) => Tensor): Like =>
  op<Like>(`${name}(Tensor input, *, ${LIKE}) -> Tensor`, (t: Tensor, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) =>
    make(t, options(dtype ?? t.dtype, device, requires_grad)));
export const zeros_like = like('zeros_like', (t, o) => filled(t.shape, 0, o));
export const ones_like = like('ones_like', (t, o) => filled(t.shape, 1, o));
export const empty_like = like('empty_like', (t, o) => filled(t.shape, 0, o));
export const full_like = op<(input: Tensor, fill_value: number | boolean, options?: CreateOptions) => Tensor>(
  `full_like(Tensor input, Scalar fill_value, *, ${LIKE}) -> Tensor`,
  (t: Tensor, v: number, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) =>
    filled(t.shape, v, options(dtype ?? t.dtype, device, requires_grad)));

/** torch.arange(end) / (start, end) / (start, end, step). */
export const arange = overloadedOp<{
  (end: number, options?: CreateOptions): Tensor;
  (start: number, end: number, step?: number | CreateOptions, options?: CreateOptions): Tensor;
}>([`arange(Scalar end, *, ${FACTORY}) -> Tensor`, `arange(Scalar start, Scalar end, Scalar step=1, *, ${FACTORY}) -> Tensor`], (form, v) => {
  const [s, e, st, dtype, , device, requires_grad] = (form === 0 ? [0, ...v.slice(0, 1), 1, ...v.slice(1)] : v) as
    [number, number, number, DType | null, unknown, unknown, boolean];
  if (!Number.isFinite(s) || !Number.isFinite(e)) throw new Error(`unsupported range: ${pyRepr(s)} -> ${pyRepr(e)}`);
  if (st === 0) throw new Error('step must be nonzero');
  if ((e - s) / st < 0) throw new Error('upper bound and larger bound inconsistent with step sign');
  const n = Math.ceil((e - s) / st);
  checkStorageSize(n);
  const opts = options(dtype, device, requires_grad);
  const type = opts.dtype ?? ([s, e, st].every(Number.isInteger) ? 'int64' : 'float32');
  const values = typedFor(type, n);
  if (isIntegral(type)) for (const v of [s, s + (n - 1) * st]) integerValue(v, type);
  for (let i = 0; i < n; i++) values[i] = s + i * st;
  return finish(fromArray(values, [n], type), opts);
});

export const linspace = op<(start: number, end: number, steps: number, options?: CreateOptions) => Tensor>(
  `linspace(float start, float end, int steps, *, ${FACTORY}) -> Tensor`,
  (start: number, end: number, steps: number, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) => {
    if (steps < 0) throw new Error('number of steps must be non-negative');
    checkStorageSize(steps);
    const opts = options(dtype, device, requires_grad);
    const values = new Float32Array(steps);
    const step = steps > 1 ? (end - start) / (steps - 1) : 0;
    // PyTorch fills the second half from the end, so the last value is exactly `end`
    const half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) values[i] = steps === 1 ? start : i < half ? start + step * i : end - step * (steps - 1 - i);
    const type = opts.dtype ?? 'float32';
    return finish(fromArray(isIntegral(type) ? Int32Array.from(values, Math.trunc) : values, [steps], type), opts);
  });

export const eye = op<(n: number, m?: number | null | CreateOptions, options?: CreateOptions) => Tensor>(
  `eye(int n, int? m=None, *, ${FACTORY}) -> Tensor`,
  (n: number, m: number | null, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) => {
    const cols = m ?? n;
    for (const [name, v] of [['n', n], ['m', cols]] as const) if (v < 0) throw new Error(`${name} must be greater or equal to 0, got ${v}`);
    checkStorageSize(n * cols);
    const opts = options(dtype, device, requires_grad);
    const type = opts.dtype ?? 'float32';
    const values = typedFor(type, n * cols);
    for (let i = 0; i < Math.min(n, cols); i++) values[i * cols + i] = 1;
    return finish(fromArray(values, [n, cols], type), opts);
  });

/** n float32 uniforms in [from, to) (Tensor.uniform_, torch.rand). */
export function uniformFloats(g: Generator, n: number, from = 0, to = 1): Float32Array {
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = g.nextUniform(from, to);
  return values;
}

function drawn(shape: number[], opts: CreateOptions, draw: (g: Generator, n: number) => Float32Array): Tensor {
  const dtype = opts.dtype ?? 'float32';
  if (dtype !== 'float32') throw new Error(`"${draw === drawNormal ? 'normal' : 'uniform'}_kernel_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  return finish(fromArray(draw(opts.generator ?? default_generator, numelOf(shape)), shape, dtype), opts);
}
const drawUniform = (g: Generator, n: number): Float32Array => uniformFloats(g, n);
const drawNormal = (g: Generator, n: number): Float32Array => g.normalFloats(n);

const RANDOM = `Generator? generator=None, ${FACTORY}`;
export const rand = sized('rand', RANDOM, (shape, o) => drawn(shape, o, drawUniform));
export const randn = sized('randn', RANDOM, (shape, o) => drawn(shape, o, drawNormal));
const randomLike = (name: string, draw: (g: Generator, n: number) => Float32Array): Like =>
  op<Like>(`${name}(Tensor input, *, Generator? generator=None, ${LIKE}) -> Tensor`,
    (t: Tensor, generator: unknown, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) =>
      drawn(t.shape.slice(), options(dtype ?? t.dtype, device, requires_grad, generator), draw));
export const rand_like = randomLike('rand_like', drawUniform);
export const randn_like = randomLike('randn_like', drawNormal);

/** torch.randint(high, size) or (low, high, size). */
export const randint = overloadedOp<{
  (high: number, size: number[], options?: CreateOptions): Tensor;
  (low: number, high: number, size: number[], options?: CreateOptions): Tensor;
}>([`randint(int high, int[] size, *, ${RANDOM}) -> Tensor`, `randint(int low, int high, int[] size, *, ${RANDOM}) -> Tensor`], (form, v) => {
  const [low, high, size, generator, dtype, , device, requires_grad] = (form === 0 ? [0, ...v] : v) as
    [number, number, number[], unknown, DType | null, unknown, unknown, boolean];
  if (high <= low) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  checkSize(size);
  const opts = options(dtype ?? 'int64', device, requires_grad, generator);
  const g = opts.generator ?? default_generator;
  const n = numelOf(size);
  const dtypeOut = opts.dtype!;
  if (isIntegral(dtypeOut)) for (const v of [low, high - 1]) integerValue(v, dtypeOut);
  // a range of 2^32 or more takes 64 random bits a value, as PyTorch's random_from_to
  const values = high - low >= 2 ** 32
    ? BigInt64Array.from({ length: n }, () => g.nextInt64(low, high))
    : (() => { const v = typedFor(dtypeOut, n); for (let i = 0; i < n; i++) v[i] = g.nextInt(low, high); return v; })();
  return finish(fromArray(values instanceof BigInt64Array && dtypeOut !== 'int64' ? Float32Array.from(values, Number) : values, size, dtypeOut), opts);
});

/**
 * torch.normal(mean, std, size) with numbers, or with tensors for mean and/or std (broadcast): PyTorch draws
 * standard normals of the result's shape, then scales by std and adds mean, so seeded results equal its own.
 */
export const normal = overloadedOp<{
  (mean: Tensor, std?: Tensor | number, options?: { generator?: Generator }): Tensor;
  (mean: number, std: Tensor, options?: { generator?: Generator }): Tensor;
  (mean: number, std: number, size: number[], options?: CreateOptions): Tensor;
}>([
  'normal(Tensor mean, Tensor std, *, Generator? generator=None) -> Tensor',
  'normal(Tensor mean, float std=1, *, Generator? generator=None) -> Tensor',
  'normal(float mean, Tensor std, *, Generator? generator=None) -> Tensor',
  `normal(float mean, float std, int[] size, *, ${RANDOM}) -> Tensor`,
], (form, v) => {
  if (form === 3) {
    const [mean, std, size, generator, dtype, , device, requires_grad] = v as [number, number, number[], unknown, DType | null, unknown, unknown, boolean];
    if (!(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${std}`);
    checkSize(size);
    return drawn(size, options(dtype, device, requires_grad, generator), (g, n) => g.normalFloats(n, mean, std));
  }
  const [mean, std, generator] = v as [Tensor | number, Tensor | number, Generator | null];
  if (typeof std === 'number' && !(std >= 0)) throw new Error(`normal expects std >= 0.0, but found std ${std}`);
  const shape = mean instanceof Tensor && std instanceof Tensor ? broadcastShapes(mean.shape, std.shape)
    : (mean instanceof Tensor ? mean : std as Tensor).shape.slice();
  const g = generator ?? default_generator;
  return no_grad(() => {
    const z = fromArray(g.normalFloats(numelOf(shape), 0, 1), shape, 'float32');
    return z.mul(std).add(mean);
  });
});

/** torch.randperm(n): ATen's CPU shuffle (forward Fisher-Yates, z = random() % (n - i)). */
export const randperm = op<(n: number, options?: CreateOptions) => Tensor>(
  `randperm(int n, *, Generator? generator=None, ScalarType? dtype=None, Any layout=None, Any device=None, bool requires_grad=False, bool pin_memory=False) -> Tensor`,
  (n: number, generator: unknown, dtype: DType | null, _l: unknown, device: unknown, requires_grad: boolean) => {
    checkSize([n]);
    const opts = options(dtype ?? 'int64', device, requires_grad, generator);
    return finish(permutation(n, opts.generator ?? default_generator, opts.dtype!), opts);
  });

/** randperm() after its arguments are checked (the samplers' shuffles). */
export function permutation(n: number, g: Generator = default_generator, dtype: DType = 'int64'): Tensor {
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) values[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = i + (g.nextUint32() % (n - i));
    const t = values[i];
    values[i] = values[z];
    values[z] = t;
  }
  return fromArray(isIntegral(dtype) ? values : Float32Array.from(values), [n], dtype);
}

/** The generator argument of the in-place draws: a Generator (nn.init's positional form) or { generator } (Tensor's). */
function generatorOf(arg: Generator | { generator?: Generator } | undefined): Generator | undefined {
  return arg !== undefined && !(arg instanceof Generator) ? arg.generator : arg;
}

// Drawn as PyTorch's Tensor.uniform_ / normal_ draw them, so seeded initialisation gives PyTorch's initial weights.
/** Tensor.uniform_(from=0, to=1, *, generator=None) and nn.init.uniform_: fills t in place, outside autograd. */
export function uniform_(t: Tensor, a = 0, b = 1, generator?: Generator | { generator?: Generator }): Tensor {
  if (a > b) throw new Error(`uniform_ expects to return a [from, to) range, but found from=${pyRepr(a)} > to=${pyRepr(b)}`);
  const g = generatorOf(generator);
  no_grad(() => t.copy_(fromData(uniformFloats(g ?? default_generator, t.numel(), a, b)).reshape(t.shape)));
  return t;
}
/** Tensor.normal_(mean=0, std=1, *, generator=None) and nn.init.normal_. */
export function normal_(t: Tensor, mean = 0, std = 1, generator?: Generator | { generator?: Generator }): Tensor {
  if (std < 0) throw new Error(`normal expects std >= 0.0, but found std ${pyRepr(std)}`);
  const g = generatorOf(generator);
  no_grad(() => t.copy_(fromData((g ?? default_generator).normalFloats(t.numel(), mean, std)).reshape(t.shape)));
  return t;
}
