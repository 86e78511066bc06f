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
  add(other: TensorOrScalar, options?: { alpha?: number }): Tensor { return ops.add(this, other, options); }
  sub(other: TensorOrScalar, options?: { alpha?: number }): Tensor { return ops.sub(this, other, options); }
  mul(other: TensorOrScalar): Tensor { return ops.mul(this, other); }
  div(other: TensorOrScalar, options?: { rounding_mode?: 'trunc' | 'floor' | null }): Tensor { return ops.div(this, other, options); }
  pow(exponent: TensorOrScalar): Tensor { return ops.pow(this, exponent); }
  maximum(other: Tensor): Tensor { return ops.maximum(this, other); }
  minimum(other: Tensor): Tensor { return ops.minimum(this, other); }
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
  round(options?: { decimals?: number }): Tensor { return ops.round(this, options); }
  where(condition: Tensor, other: TensorOrScalar): Tensor { return ops.where(condition, this, other); }
  unbind(dim = 0): Tensor[] { return ops.unbind(this, dim); }
  unflatten(dim: number, sizes: number[]): Tensor { return ops.unflatten(this, dim, sizes); }
  multinomial(num_samples: number, replacement: Parameters<typeof ops.multinomial>[2] = false): Tensor { return ops.multinomial(this, num_samples, replacement); }
  uniform_(from = 0, to = 1, options?: { generator?: import('./random.js').Generator }): this { ops.uniform_(this, from, to, options); return this; }
  normal_(mean = 0, std = 1, options?: { generator?: import('./random.js').Generator }): this { ops.normal_(this, mean, std, options); return this; }
  clamp(min?: number | Tensor | null | { min?: number | Tensor | null; max?: number | Tensor | null }, max?: number | Tensor | null): Tensor {
    return ops.clamp(this, min, max);
  }
  clip(min?: number | Tensor | null | { min?: number | Tensor | null; max?: number | Tensor | null }, max?: number | Tensor | null): Tensor {
    return ops.clamp(this, min, max);
  }
  eq(other: TensorOrScalar): Tensor { return ops.eq(this, other); }
  ne(other: TensorOrScalar): Tensor { return ops.ne(this, other); }
  gt(other: TensorOrScalar): Tensor { return ops.gt(this, other); }
  lt(other: TensorOrScalar): Tensor { return ops.lt(this, other); }
  ge(other: TensorOrScalar): Tensor { return ops.ge(this, other); }
  le(other: TensorOrScalar): Tensor { return ops.le(this, other); }
  logical_not(): Tensor { return ops.logical_not(this); }
  logical_and(other: Tensor): Tensor { return ops.logical_and(this, other); }
  logical_or(other: Tensor): Tensor { return ops.logical_or(this, other); }
  masked_fill(mask: Tensor, value: number | Tensor): Tensor { return ops.masked_fill(this, mask, value); }

  // ---- reductions -------------------------------------------------------------
  sum(dim?: number | number[] | DimOptions | null, keepdim?: boolean | DimOptions, ...extra: unknown[]): Tensor { return ops.sum(this, dim, keepdim, ...extra); }
  mean(dim?: number | number[] | DimOptions | null, keepdim?: boolean | DimOptions, ...extra: unknown[]): Tensor { return ops.mean(this, dim, keepdim, ...extra); }
  amax(dim?: number | number[] | DimOptions | null, keepdim?: boolean | DimOptions, ...extra: unknown[]): Tensor { return ops.amax(this, dim, keepdim, ...extra); }
  amin(dim?: number | number[] | DimOptions | null, keepdim?: boolean | DimOptions, ...extra: unknown[]): Tensor { return ops.amin(this, dim, keepdim, ...extra); }
  max(): Tensor;
  max(other: Tensor): Tensor;
  max(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ops.ValuesIndices;
  max(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean): Tensor | ops.ValuesIndices {
    return ops.max(this, dim as number, keepdim);
  }
  min(): Tensor;
  min(other: Tensor): Tensor;
  min(dim: number | { dim: number; keepdim?: boolean }, keepdim?: boolean): ops.ValuesIndices;
  min(dim?: number | Tensor | { dim: number; keepdim?: boolean }, keepdim?: boolean): Tensor | ops.ValuesIndices {
    return ops.min(this, dim as number, keepdim);
  }
  argmax(dim?: number | { dim?: number; keepdim?: boolean }, keepdim?: boolean): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number | { dim?: number; keepdim?: boolean }, keepdim?: boolean): Tensor { return ops.argmin(this, dim, keepdim); }
  logsumexp(dim: number | number[] | DimOptions, keepdim?: boolean | DimOptions, ...extra: unknown[]): Tensor { return ops.logsumexp(this, dim, keepdim, ...extra); }
  softmax(dim: number | { dim: number; dtype?: DType }, ...extra: unknown[]): Tensor { return ops.softmax(this, dim, ...extra); }
  log_softmax(dim: number | { dim: number; dtype?: DType }, ...extra: unknown[]): Tensor { return ops.log_softmax(this, dim, ...extra); }
  var(dim?: number | number[] | boolean | ops.VarOptions | null, options?: ops.VarOptions | boolean, keepdim?: boolean): Tensor { return ops.var_(this, dim, options, keepdim); }
  std(dim?: number | number[] | boolean | ops.VarOptions | null, options?: ops.VarOptions | boolean, keepdim?: boolean): Tensor { return ops.std(this, dim, options, keepdim); }

  // ---- linear algebra -------------------------------------------------------------
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  mm(other: Tensor): Tensor { return ops.mm(this, other); }
  bmm(other: Tensor): Tensor { return ops.bmm(this, other); }
  dot(other: Tensor): Tensor { return ops.dot(this, other); }

  // ---- shape -------------------------------------------------------------
  view(...shape: (number | number[])[]): Tensor { return ops.view(this, ...shape); }
  view_as(other: Tensor): Tensor { return ops.view(this, other.shape); }
  reshape(...shape: (number | number[])[]): Tensor { return ops.reshape(this, ...shape); }
  reshape_as(other: Tensor): Tensor { return ops.reshape(this, other.shape); }
  transpose(dim0: number, dim1: number): Tensor { return ops.transpose(this, dim0, dim1); }
  t(): Tensor { return ops.t(this); }
  get T(): Tensor { return ops.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i)); }
  permute(...dims: (number | number[])[]): Tensor { return ops.permute(this, ...dims); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  flatten(start_dim?: number | { start_dim?: number; end_dim?: number }, end_dim?: number): Tensor { return ops.flatten(this, start_dim, end_dim); }
  expand(...sizes: (number | number[])[]): Tensor { return ops.expand(this, ...sizes); }
  expand_as(other: Tensor): Tensor { return ops.expand(this, other.shape); }
  narrow(dim: number, start: number | Tensor, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  select(dim: number, index: number | Tensor): Tensor { return ops.select(this, dim, index); }
  index_select(dim: number, index: Tensor): Tensor { return ops.index_select(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  index_put(indices: Tensor[], values: Tensor | number, accumulate: boolean | { accumulate?: boolean } = false): Tensor { return ops.index_put(this, indices, values, accumulate); }
  index_put_(indices: Tensor[], values: Tensor | number, accumulate: boolean | { accumulate?: boolean } = false): this { ops.index_put_(this, indices, values, accumulate); return this; }
  index_copy(dim: number, index: Tensor, source: Tensor): Tensor { return ops.index_copy(this, dim, index, source); }
  index_copy_(dim: number, index: Tensor, source: Tensor): this { ops.index_copy_(this, dim, index, source); return this; }
  index_add(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): Tensor { return ops.index_add(this, dim, index, source, options); }
  index_add_(dim: number, index: Tensor, source: Tensor, options?: { alpha?: number }): this { ops.index_add_(this, dim, index, source, options); return this; }
  chunk(chunks: number, dim = 0): Tensor[] { return ops.chunk(this, chunks, dim); }
  sort(dim: number | { dim?: number; descending?: boolean } = -1, descending = false): ops.ValuesIndices { return ops.sort(this, dim, descending); }
  argsort(dim: number | { dim?: number; descending?: boolean } = -1, descending = false): Tensor { return ops.argsort(this, dim, descending); }
  topk(k: number, dim: number | { dim?: number; largest?: boolean } = -1, largest = true): ops.ValuesIndices { return ops.topk(this, k, dim, largest); }
  split(split_size: number | number[], dim = 0): Tensor[] { return ops.split(this, split_size, dim); }

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
