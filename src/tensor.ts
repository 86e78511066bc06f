// The Tensor: shape, strides and offset over a Storage (views share it),
// a dtype, and the autograd fields. Op methods delegate to src/ops.
import { type DType, isFloating, isIntegral, viewOf, parseDType, typeName } from './dtype.js';
import { Storage, readBytes, readElement, disposeStorage, hostStorage, disposeSlot } from './backend/memory.js';
import type { Node } from './autograd/node.js';
import * as ops from './ops/index.js';
import * as autograd from './autograd/engine.js';
import { formatTensor } from './format.js';
import { Device, checkDevice } from './device.js';

export type Shape = readonly number[];
export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | number;
export type NestedArray = number | boolean | NestedArray[];
type DimOptions = { dim?: number | number[] | null; keepdim?: boolean; dtype?: DType };

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function numelOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** A method's parameters: its op's, after the tensor itself (the method variants are declared by the ops). */
type Rest<F> = F extends (input: never, ...rest: infer R) => unknown ? R : never;

export class Tensor {
  requires_grad = false;
  /** the gradient as the library holds it; `.grad` is the user's view of it */
  _grad: Tensor | null = null;
  grad_fn: Node | null = null;
  /** set by retain_grad(): a non-leaf keeps its .grad */
  _retains_grad = false;
  /** the tensor this one is a view of (PyTorch's ._base), for in-place checks */
  _base: Tensor | null = null;

  constructor(
    public storage: Storage,
    public shape: number[],
    public _strides: number[],
    public offset: number,
    public dtype: DType,
  ) {}

  // ---- reading ------------------------------------------------------------
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    return this.shape[ops.normalizeDim(dim, this.shape.length)];
  }
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return this._strides.slice();
    return this._strides[ops.normalizeDim(dim, this.shape.length)];
  }
  dim(): number { return this.shape.length; }
  get ndim(): number { return this.shape.length; }
  numel(): number { return numelOf(this.shape); }
  nelement(): number { return this.numel(); }
  get is_leaf(): boolean { return this.grad_fn === null; }
  get _version(): number { return this.storage.version; }
  is_contiguous(): boolean {
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this._strides[i] !== s) return false;
      s *= this.shape[i];
    }
    return true;
  }
  is_floating_point(): boolean { return isFloating(this.dtype); }

  /** The elements in row-major order, as a fresh typed array. */
  dataSync(): Float32Array | Int32Array {
    // contiguous: read just this tensor's elements, not its whole storage
    const t = this.is_contiguous() ? this : ops.contiguousCopy(this);
    return viewOf(t.dtype, readBytes(t.storage, t.offset, t.numel()));
  }

  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    const v = readElement(this.storage, this.offset, isIntegral(this.dtype));
    // a bool tensor's item is a boolean, as in PyTorch (typed number for the many callers that do arithmetic on it)
    if (this.dtype === 'bool') return (v !== 0) as unknown as number;
    return v;
  }

  tolist(): NestedArray {
    const flat = Array.from(this.dataSync(), (v) => (this.dtype === 'bool' ? v !== 0 : v));
    const build = (d: number, off: number): NestedArray => {
      if (d === this.shape.length) return flat[off];
      const inner = numelOf(this.shape.slice(d + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(build(d + 1, off + i * inner));
      return out;
    };
    return build(0, 0);
  }

  toString(): string { return formatTensor(this); }
  /**
   * JS operators would turn a tensor into NaN or a string (`x ** 2`, `a + b`, `b -= lr * g`, `Number(t)`): they
   * throw instead, naming the methods to call. Template strings (`${t}`) still print it, as Python's f-strings do.
   */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw new TypeError('JS operators do not apply to tensors: use the methods, x.add(y) for x + y, x.sub(y) for x - y, ' +
      'x.mul(y) for x * y, x.div(y) for x / y, x.pow(2) for x ** 2, x.neg() for -x, x.sub_(y) for x -= y, x.eq(y) ' +
      'for x == y; x.item() gives the number of a one-element tensor');
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string { return this.toString(); }

  // ---- autograd -------------------------------------------------------------
  /**
   * The accumulated gradient. Reading it hands the storage to user code;
   * a gradient never read can be freed at once when it is reset
   * (zero_grad(set_to_none)), so training loops do not leave one behind.
   */
  get grad(): Tensor | null {
    if (this._grad !== null) this._grad.storage.slot.exposed = true;
    return this._grad;
  }
  set grad(value: Tensor | null) {
    releaseGrad(this);
    this._grad = value;
    if (value !== null) {
      value.storage.persistent = true;
      value.storage.slot.exposed = true; // it came from user code
    }
  }
  /** Detached tensor sharing storage; assigning replaces this tensor's contents in place. */
  get data(): Tensor { return this.detach(); }
  set data(value: Tensor) { ops.setData(this, value); }

  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this._strides, this.offset, this.dtype);
  }
  detach_(): this {
    this.grad_fn = null;
    this.requires_grad = false;
    return this;
  }
  requires_grad_(requires_grad = true): this {
    autograd.setRequiresGrad(this, requires_grad);
    return this;
  }
  retain_grad(): void { autograd.retainGrad(this); }
  backward(gradient?: Tensor | null, options: { retain_graph?: boolean; create_graph?: boolean } = {}): void {
    autograd.backward([this], [gradient ?? null], options);
  }
  /** Frees this tensor's memory now (its storage, shared by its views). */
  dispose(): void { disposeStorage(this.storage); }

  // ---- conversions ------------------------------------------------------------
  /** to(dtype), to('cpu') (a no-op: there is no other device), to({ dtype }). */
  to(dtype: DType | string | Device | { dtype?: DType; device?: string | Device }): Tensor {
    if (dtype instanceof Device) {
      checkDevice(dtype);
      return this;
    }
    if (typeof dtype === 'object' && dtype !== null && dtype.device !== undefined) checkDevice(dtype.device);
    if (typeof dtype === 'object' && dtype !== null && dtype.device !== undefined && dtype.dtype === undefined) return this;
    const arg = typeof dtype === 'object' && dtype !== null ? dtype.dtype ?? dtype.device ?? 'cpu' : dtype;
    const d = parseDType(arg);
    return d === null ? this : ops.toDtype(this, d);
  }
  float(): Tensor { return ops.toDtype(this, 'float32'); }
  long(): Tensor { return ops.toDtype(this, 'int64'); }
  int(): Tensor { return ops.toDtype(this, 'int32'); }
  bool(): Tensor { return ops.toDtype(this, 'bool'); }
  /** type() names the type ('torch.FloatTensor'); type(dtype or torch.LongTensor) converts. */
  type(): string;
  type(dtype: DType | string | ((...a: never[]) => unknown)): Tensor;
  type(dtype?: DType | string | ((...a: never[]) => unknown)): Tensor | string {
    if (dtype === undefined) return typeName(this.dtype);
    const d = parseDType(dtype);
    return d === null ? this : ops.toDtype(this, d);
  }
  clone(): Tensor { return ops.clone(this); }
  contiguous(): Tensor { return ops.contiguous(this); }
  cpu(): Tensor { return this; }
  numpy(): Float32Array | Int32Array { return this.dataSync(); }

  // ---- elementwise -------------------------------------------------------------
  add(...args: Rest<typeof ops.add>): Tensor { return ops.add(this, ...args); }
  sub(...args: Rest<typeof ops.sub>): Tensor { return ops.sub(this, ...args); }
  mul(...args: Rest<typeof ops.mul>): Tensor { return ops.mul(this, ...args); }
  div(...args: Rest<typeof ops.div>): Tensor { return ops.div(this, ...args); }
  pow(...args: Rest<typeof ops.pow>): Tensor { return ops.pow(this, ...args); }
  maximum(...args: Rest<typeof ops.maximum>): Tensor { return ops.maximum(this, ...args); }
  minimum(...args: Rest<typeof ops.minimum>): Tensor { return ops.minimum(this, ...args); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  rsqrt(): Tensor { return ops.rsqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  relu(): Tensor { return ops.relu(this); }
  sin(): Tensor { return ops.sin(this); }
  cos(): Tensor { return ops.cos(this); }
  reciprocal(): Tensor { return ops.reciprocal(this); }
  square(): Tensor { return ops.square(this); }
  sign(): Tensor { return ops.sign(this); }
  log1p(): Tensor { return ops.log1p(this); }
  expm1(): Tensor { return ops.expm1(this); }
  erf(): Tensor { return ops.erf(this); }
  floor(): Tensor { return ops.floor(this); }
  ceil(): Tensor { return ops.ceil(this); }
  round(...args: Rest<typeof ops.round>): Tensor { return ops.round(this, ...args); }
  where(condition: Tensor, other: TensorOrScalar): Tensor { return ops.where(condition, this, other); }
  unbind(...args: Rest<typeof ops.unbind>): Tensor[] { return ops.unbind(this, ...args); }
  unflatten(...args: Rest<typeof ops.unflatten>): Tensor { return ops.unflatten(this, ...args); }
  multinomial(...args: Rest<typeof ops.multinomial>): Tensor { return ops.multinomial(this, ...args); }
  uniform_(from = 0, to = 1, options?: { generator?: import('./random.js').Generator }): this { ops.uniform_(this, from, to, options); return this; }
  normal_(mean = 0, std = 1, options?: { generator?: import('./random.js').Generator }): this { ops.normal_(this, mean, std, options); return this; }
  clamp(...args: Rest<typeof ops.clamp>): Tensor { return ops.clamp(this, ...args); }
  clip(...args: Rest<typeof ops.clamp>): Tensor { return ops.clamp(this, ...args); }
  eq(...args: Rest<typeof ops.eq>): Tensor { return ops.eq(this, ...args); }
  ne(...args: Rest<typeof ops.ne>): Tensor { return ops.ne(this, ...args); }
  gt(...args: Rest<typeof ops.gt>): Tensor { return ops.gt(this, ...args); }
  lt(...args: Rest<typeof ops.lt>): Tensor { return ops.lt(this, ...args); }
  ge(...args: Rest<typeof ops.ge>): Tensor { return ops.ge(this, ...args); }
  le(...args: Rest<typeof ops.le>): Tensor { return ops.le(this, ...args); }
  logical_not(): Tensor { return ops.logical_not(this); }
  logical_and(...args: Rest<typeof ops.logical_and>): Tensor { return ops.logical_and(this, ...args); }
  logical_or(...args: Rest<typeof ops.logical_or>): Tensor { return ops.logical_or(this, ...args); }
  masked_fill(...args: Rest<typeof ops.masked_fill>): Tensor { return ops.masked_fill(this, ...args); }

  // ---- reductions -------------------------------------------------------------
  sum(...args: Rest<typeof ops.sum>): Tensor { return ops.sum(this, ...args); }
  mean(...args: Rest<typeof ops.mean>): Tensor { return ops.mean(this, ...args); }
  amax(...args: Rest<typeof ops.amax>): Tensor { return ops.amax(this, ...args); }
  amin(...args: Rest<typeof ops.amin>): Tensor { return ops.amin(this, ...args); }
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ops.ValuesIndices;
  max(...args: unknown[]): Tensor | ops.ValuesIndices {
    return (ops.max as (...a: unknown[]) => Tensor | ops.ValuesIndices)(this, ...args);
  }
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ops.ValuesIndices;
  min(...args: unknown[]): Tensor | ops.ValuesIndices {
    return (ops.min as (...a: unknown[]) => Tensor | ops.ValuesIndices)(this, ...args);
  }
  argmax(...args: Rest<typeof ops.argmax>): Tensor { return ops.argmax(this, ...args); }
  argmin(...args: Rest<typeof ops.argmin>): Tensor { return ops.argmin(this, ...args); }
  logsumexp(...args: Rest<typeof ops.logsumexp>): Tensor { return ops.logsumexp(this, ...args); }
  softmax(...args: Rest<typeof ops.softmax>): Tensor { return ops.softmax(this, ...args); }
  log_softmax(...args: Rest<typeof ops.log_softmax>): Tensor { return ops.log_softmax(this, ...args); }
  var(...args: Rest<typeof ops.var_>): Tensor { return ops.var_(this, ...args); }
  std(...args: Rest<typeof ops.std>): Tensor { return ops.std(this, ...args); }

  // ---- linear algebra -------------------------------------------------------------
  matmul(...args: Rest<typeof ops.matmul>): Tensor { return ops.matmul(this, ...args); }
  mm(...args: Rest<typeof ops.mm>): Tensor { return ops.mm(this, ...args); }
  bmm(...args: Rest<typeof ops.bmm>): Tensor { return ops.bmm(this, ...args); }
  dot(...args: Rest<typeof ops.dot>): Tensor { return ops.dot(this, ...args); }

  // ---- shape -------------------------------------------------------------
  view(...args: Rest<typeof ops.view>): Tensor { return ops.view(this, ...args); }
  view_as(other: Tensor): Tensor { return ops.view(this, other.shape); }
  reshape(...args: Rest<typeof ops.reshape>): Tensor { return ops.reshape(this, ...args); }
  reshape_as(other: Tensor): Tensor { return ops.reshape(this, other.shape); }
  transpose(...args: Rest<typeof ops.transpose>): Tensor { return ops.transpose(this, ...args); }
  t(): Tensor { return ops.t(this); }
  get T(): Tensor { return ops.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i)); }
  permute(...args: Rest<typeof ops.permute>): Tensor { return ops.permute(this, ...args); }
  unsqueeze(...args: Rest<typeof ops.unsqueeze>): Tensor { return ops.unsqueeze(this, ...args); }
  squeeze(...args: Rest<typeof ops.squeeze>): Tensor { return ops.squeeze(this, ...args); }
  flatten(...args: Rest<typeof ops.flatten>): Tensor { return ops.flatten(this, ...args); }
  expand(...args: Rest<typeof ops.expand>): Tensor { return ops.expand(this, ...args); }
  expand_as(other: Tensor): Tensor { return ops.expand(this, other.shape); }
  narrow(...args: Rest<typeof ops.narrow>): Tensor { return ops.narrow(this, ...args); }
  select(...args: Rest<typeof ops.select>): Tensor { return ops.select(this, ...args); }
  index_select(...args: Rest<typeof ops.index_select>): Tensor { return ops.index_select(this, ...args); }
  gather(...args: Rest<typeof ops.gather>): Tensor { return ops.gather(this, ...args); }
  index_put(...args: Rest<typeof ops.index_put>): Tensor { return ops.index_put(this, ...args); }
  index_put_(...args: Rest<typeof ops.index_put_>): this { ops.index_put_(this, ...args); return this; }
  index_copy(...args: Rest<typeof ops.index_copy>): Tensor { return ops.index_copy(this, ...args); }
  index_copy_(dim: number, index: Tensor, source: Tensor): this { ops.index_copy_(this, dim, index, source); return this; }
  index_add(...args: Rest<typeof ops.index_add>): Tensor { return ops.index_add(this, ...args); }
  index_add_(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): this { ops.index_add_(this, dim, index, source, options); return this; }
  chunk(...args: Rest<typeof ops.chunk>): Tensor[] { return ops.chunk(this, ...args); }
  sort(...args: Rest<typeof ops.sort>): ops.ValuesIndices { return ops.sort(this, ...args); }
  argsort(...args: Rest<typeof ops.argsort>): Tensor { return ops.argsort(this, ...args); }
  topk(...args: Rest<typeof ops.topk>): ops.ValuesIndices { return ops.topk(this, ...args); }
  split(...args: Rest<typeof ops.split>): Tensor[] { return ops.split(this, ...args); }

  // ---- in place -------------------------------------------------------------
  add_(other: TensorOrScalar, options?: { alpha?: number }): this { ops.add_(this, other, options); return this; }
  sub_(other: TensorOrScalar, options?: { alpha?: number }): this { ops.sub_(this, other, options); return this; }
  mul_(other: TensorOrScalar): this { ops.mul_(this, other); return this; }
  div_(other: TensorOrScalar): this { ops.div_(this, other); return this; }
  zero_(): this { ops.fill_(this, 0); return this; }
  fill_(value: number): this { ops.fill_(this, value); return this; }
  copy_(src: Tensor): this { ops.copy_(this, src); return this; }
}

/** Drops t's gradient, freeing its memory now if user code never saw it. */
export function releaseGrad(t: Tensor): void {
  const g = t._grad;
  if (g === null) return;
  t._grad = null;
  if (!g.storage.slot.exposed) disposeSlot(g.storage.slot);
}

/** A tensor over a fresh host array: creation never touches linear memory. */
export function fromArray(values: Float32Array | Int32Array, shape: number[], dtype: DType): Tensor {
  ops.checkShape(shape);
  const n = numelOf(shape);
  if (values.length !== n) throw new Error(`shape '[${shape.join(', ')}]' is invalid for input of size ${values.length}`);
  const storage = hostStorage(values.buffer.slice(values.byteOffset, values.byteOffset + n * 4) as ArrayBuffer, n);
  return new Tensor(storage, shape, contiguousStrides(shape), 0, dtype);
}

export { isIntegral };
