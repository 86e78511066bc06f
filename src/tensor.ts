// The Tensor: shape, strides and offset over a Storage (views share it),
// a dtype, and the autograd fields. Op methods delegate to src/ops.
import { type DType, isFloating, isIntegral, viewOf, parseDType, typeName, itemsize, elementKind } from './dtype.js';
import { Storage, readBytes, readElement, disposeStorage, hostStorage, disposeSlot, int64Value } from './backend/memory.js';
import type { Node } from './autograd/node.js';
import * as ops from './ops/index.js';
import * as autograd from './autograd/engine.js';
import { formatTensor } from './format.js';
import { Device, checkDevice } from './device.js';
import { signature, bind, overloads, ArgumentError, type CallArgs, type Signature } from './signature.js';
import type { Generator } from './random.js';

export type Shape = readonly number[];
export type Scalar = number | boolean;
export type TensorOrScalar = Tensor | number;
export type NestedArray = number | bigint | boolean | NestedArray[];
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

// The methods PyTorch has only as methods, in its parser's words (`Tensor.x`: self not counted; `TensorBase.x`: a
// method taking no arguments, CPython's words). The methods of ops are declared by the ops.
const NEW_TAIL = 'ScalarType? dtype=None, Any layout=None, Any device=None, bool requires_grad=False, bool pin_memory=False';
const METHOD = {
  size: signature('Tensor.size(int? dim=None) -> int[]'),
  stride: signature('Tensor.stride(int? dim=None) -> int[]'),
  dim: signature('TensorBase.dim() -> int'),
  numel: signature('TensorBase.numel() -> int'),
  nelement: signature('TensorBase.nelement() -> int'),
  is_contiguous: signature('Tensor.is_contiguous() -> bool'),
  is_floating_point: signature('TensorBase.is_floating_point() -> bool'),
  item: signature('TensorBase.item() -> Scalar'),
  tolist: signature('TensorBase.tolist() -> Any'),
  detach: signature('TensorBase.detach() -> Tensor'),
  detach_: signature('TensorBase.detach_() -> Tensor'),
  requires_grad_: signature('Tensor.requires_grad_(bool requires_grad=True) -> Tensor'),
  retain_grad: signature('TensorBase.retain_grad() -> None'),
  to: [
    signature('Tensor.to(ScalarType dtype, bool non_blocking=False, bool copy=False) -> Tensor'),
    signature('Tensor.to(Tensor other, bool non_blocking=False, bool copy=False) -> Tensor'),
    signature('Tensor.to(Device? device=None, ScalarType? dtype=None, bool non_blocking=False, bool copy=False) -> Tensor'),
  ],
  float: signature('Tensor.float() -> Tensor'),
  long: signature('Tensor.long() -> Tensor'),
  int: signature('Tensor.int() -> Tensor'),
  bool: signature('Tensor.bool() -> Tensor'),
  type: signature('Tensor.type(Any dtype=None, bool non_blocking=False) -> Tensor|str'),
  cpu: signature('Tensor.cpu() -> Tensor'),
  numpy: signature('Tensor.numpy(*, bool force=False) -> Any'),
  uniform_: signature('Tensor.uniform_(float from=0, float to=1, *, Generator? generator=None) -> Tensor'),
  normal_: signature('Tensor.normal_(float mean=0, float std=1, *, Generator? generator=None) -> Tensor'),
  view_as: signature('Tensor.view_as(Tensor other) -> Tensor'),
  reshape_as: signature('Tensor.reshape_as(Tensor other) -> Tensor'),
  expand_as: signature('Tensor.expand_as(Tensor other) -> Tensor'),
  index_copy_: signature('Tensor.index_copy_(int dim, Tensor index, Tensor source) -> Tensor'),
  index_add_: signature('Tensor.index_add_(int dim, Tensor index, Tensor source, *, Scalar alpha=1) -> Tensor'),
  add_: signature('Tensor.add_(Tensor|Scalar other, *, Scalar alpha=1) -> Tensor'),
  sub_: signature('Tensor.sub_(Tensor|Scalar other, *, Scalar alpha=1) -> Tensor'),
  mul_: signature('Tensor.mul_(Tensor|Scalar other) -> Tensor'),
  div_: signature('Tensor.div_(Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor'),
  zero_: signature('TensorBase.zero_() -> Tensor'),
  fill_: signature('Tensor.fill_(Tensor|Scalar value) -> Tensor'),
  copy_: signature('Tensor.copy_(Tensor other, bool non_blocking=False) -> Tensor'),
  new_zeros: signature(`Tensor.new_zeros(int... size, *, ${NEW_TAIL})`),
  new_ones: signature(`Tensor.new_ones(int... size, *, ${NEW_TAIL})`),
  new_empty: signature(`Tensor.new_empty(int... size, *, ${NEW_TAIL})`),
  new_full: signature(`Tensor.new_full(int[] size, Scalar fill_value, *, ${NEW_TAIL})`),
  new_tensor: signature('Tensor.new_tensor(Any data, *, ScalarType? dtype=None, Any device=None, bool requires_grad=False, bool pin_memory=False) -> Tensor'),
  backward: signature('Tensor.backward(Tensor? gradient=None, bool? retain_graph=None, bool create_graph=False, Tensor[]? inputs=None) -> None'),
};
// Tensor.backward is Python code in PyTorch: Python's words, counting self
METHOD.backward.label = 'Tensor.backward';
METHOD.backward.self = 1;

/** The one argument of an in-place binary method's plain call (x.add_(y), x.mul_(2)): no parsing. */
const plainOperand = (args: unknown[]): boolean => args.length === 1 && (args[0] instanceof Tensor || typeof args[0] === 'number');

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
  size(dim: number | { dim: number }): number;
  size(...args: unknown[]): number[] | number {
    const dim = args.length === 0 ? null : args.length === 1 && Number.isInteger(args[0]) ? args[0] : bind(METHOD.size, args)[0];
    if (dim === null) return this.shape.slice();
    return this.shape[ops.normalizeDim(dim as number, this.shape.length)];
  }
  stride(): number[];
  stride(dim: number | { dim: number }): number;
  stride(...args: unknown[]): number[] | number {
    const dim = args.length === 0 ? null : bind(METHOD.stride, args)[0];
    if (dim === null) return this._strides.slice();
    return this._strides[ops.normalizeDim(dim as number, this.shape.length)];
  }
  dim(...args: []): number {
    if (args.length > 0) bind(METHOD.dim, args);
    return this.shape.length;
  }
  get ndim(): number { return this.shape.length; }
  numel(...args: []): number {
    if (args.length > 0) bind(METHOD.numel, args);
    return numelOf(this.shape);
  }
  nelement(...args: []): number {
    if (args.length > 0) bind(METHOD.nelement, args);
    return numelOf(this.shape);
  }
  get is_leaf(): boolean { return this.grad_fn === null; }
  get _version(): number { return this.storage.version; }
  is_contiguous(...args: []): boolean {
    if (args.length > 0) bind(METHOD.is_contiguous, args);
    let s = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this._strides[i] !== s) return false;
      s *= this.shape[i];
    }
    return true;
  }
  is_floating_point(...args: []): boolean {
    if (args.length > 0) bind(METHOD.is_floating_point, args);
    return isFloating(this.dtype);
  }

  /**
   * The elements in row-major order, as a fresh typed array of numbers: Float32Array (float32, bool), Int32Array
   * (int32), Float64Array (int64: exact to 2^53; tolist() and item() give BigInts past it).
   */
  dataSync(): Float32Array | Int32Array | Float64Array {
    const raw = storedElements(this);
    return raw instanceof BigInt64Array ? Float64Array.from(raw, Number) : raw;
  }

  item(...args: []): number {
    if (args.length > 0) bind(METHOD.item, args);
    if (this.numel() !== 1) {
      throw new Error(`a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    const v = readElement(this.storage, this.offset, elementKind(this.dtype));
    // a bool tensor's item is a boolean, as in PyTorch (typed number for the many callers that do arithmetic on it)
    if (this.dtype === 'bool') return (v !== 0) as unknown as number;
    return v as number; // an int64 past 2^53 is a BigInt (typed number, like the boolean above)
  }

  tolist(...args: []): NestedArray {
    if (args.length > 0) bind(METHOD.tolist, args);
    const raw = storedElements(this);
    const flat: NestedArray[] = raw instanceof BigInt64Array ? Array.from(raw, int64Value)
      : Array.from(raw, (v) => (this.dtype === 'bool' ? v !== 0 : v));
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

  detach(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.detach, args);
    return new Tensor(this.storage, this.shape, this._strides, this.offset, this.dtype);
  }
  detach_(...args: []): this {
    if (args.length > 0) bind(METHOD.detach_, args);
    this.grad_fn = null;
    this.requires_grad = false;
    return this;
  }
  requires_grad_(...args: CallArgs<[requires_grad: boolean], { requires_grad?: boolean }>): this {
    const requires_grad = args.length === 0 ? true : args.length === 1 && typeof args[0] === 'boolean' ? args[0] : bind(METHOD.requires_grad_, args)[0] as boolean;
    autograd.setRequiresGrad(this, requires_grad);
    return this;
  }
  retain_grad(...args: []): void {
    if (args.length > 0) bind(METHOD.retain_grad, args);
    autograd.retainGrad(this);
  }
  /** backward(gradient=None, retain_graph=None, create_graph=False, inputs=None). */
  backward(...args: CallArgs<[gradient: Tensor | null, retain_graph: boolean | null, create_graph: boolean, inputs: Tensor[] | null],
    { gradient?: Tensor | null; retain_graph?: boolean | null; create_graph?: boolean; inputs?: Tensor[] | null }>): void {
    if (args.length === 0) return autograd.backward([this], [null], {});
    const [gradient, retain_graph, create_graph, inputs] = bind(METHOD.backward, args) as [Tensor | null, boolean | null, boolean, Tensor[] | null];
    if (inputs !== null) throw new Error('wasmtorch: backward(inputs=...) is not supported; torch.autograd.grad(outputs, inputs) computes the gradients of given inputs');
    autograd.backward([this], [gradient], { retain_graph: retain_graph ?? undefined, create_graph });
  }
  /** Frees this tensor's memory now (its storage, shared by its views). */
  dispose(): void { disposeStorage(this.storage); }

  // ---- conversions ------------------------------------------------------------
  /**
   * to(dtype, non_blocking=False, copy=False), to(other, ...) (other's dtype), to(device=None, dtype=None, ...):
   * 'cpu' is a no-op (there is no other device); this tensor itself when nothing changes, unless copy.
   */
  to(...args: CallArgs<[dtype: DType | Device | string | Tensor, non_blocking: boolean, copy: boolean], { non_blocking?: boolean; copy?: boolean }>
    | CallArgs<[device: Device | string | null, dtype: DType | null, non_blocking: boolean, copy: boolean],
      { device?: Device | string | null; dtype?: DType | null; non_blocking?: boolean; copy?: boolean }>): Tensor {
    const [form, values] = overloads(METHOD.to, args);
    let dtype: DType | null;
    if (form === 1) dtype = (values[0] as Tensor).dtype;
    else if (form === 0) dtype = values[0] as DType;
    else {
      if (values[0] !== null) checkDevice(values[0] as string | Device);
      dtype = values[1] as DType | null;
    }
    const copy = values[values.length - 1] as boolean;
    if (dtype !== null && dtype !== this.dtype) return ops.toDtype(this, dtype);
    return copy ? ops.clone(this) : this;
  }
  float(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.float, args);
    return ops.toDtype(this, 'float32');
  }
  long(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.long, args);
    return ops.toDtype(this, 'int64');
  }
  int(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.int, args);
    return ops.toDtype(this, 'int32');
  }
  bool(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.bool, args);
    return ops.toDtype(this, 'bool');
  }
  /** type() names the type ('torch.FloatTensor'); type(dtype or torch.LongTensor) converts. */
  type(): string;
  type(dtype: DType | string | ((...a: never[]) => unknown) | { dtype?: unknown; non_blocking?: boolean }, non_blocking?: boolean): Tensor;
  type(...args: unknown[]): Tensor | string {
    const [dtype] = args.length === 0 ? [null] : bind(METHOD.type, args);
    if (dtype === null) return typeName(this.dtype);
    const d = parseDType(dtype as DType);
    return d === null ? this : ops.toDtype(this, d);
  }
  declare clone: (...args: Rest<typeof ops.clone>) => Tensor;
  declare contiguous: (...args: Rest<typeof ops.contiguous>) => Tensor;
  cpu(...args: []): Tensor {
    if (args.length > 0) bind(METHOD.cpu, args);
    return this;
  }
  /** The elements as dataSync() gives them (int64 as a Float64Array: exact to 2^53; tolist() is exact past it). */
  numpy(...args: [] | [options: { force?: boolean }]): Float32Array | Int32Array | Float64Array {
    if (args.length > 0) bind(METHOD.numpy, args);
    return this.dataSync();
  }

  // ---- elementwise -------------------------------------------------------------
  declare add: (...args: Rest<typeof ops.add>) => Tensor;
  declare sub: (...args: Rest<typeof ops.sub>) => Tensor;
  declare mul: (...args: Rest<typeof ops.mul>) => Tensor;
  declare div: (...args: Rest<typeof ops.div>) => Tensor;
  declare pow: (...args: Rest<typeof ops.pow>) => Tensor;
  declare maximum: (...args: Rest<typeof ops.maximum>) => Tensor;
  declare minimum: (...args: Rest<typeof ops.minimum>) => Tensor;
  declare neg: (...args: Rest<typeof ops.neg>) => Tensor;
  declare exp: (...args: Rest<typeof ops.exp>) => Tensor;
  declare log: (...args: Rest<typeof ops.log>) => Tensor;
  declare sqrt: (...args: Rest<typeof ops.sqrt>) => Tensor;
  declare rsqrt: (...args: Rest<typeof ops.rsqrt>) => Tensor;
  declare abs: (...args: Rest<typeof ops.abs>) => Tensor;
  declare sigmoid: (...args: Rest<typeof ops.sigmoid>) => Tensor;
  declare tanh: (...args: Rest<typeof ops.tanh>) => Tensor;
  declare relu: (...args: Rest<typeof ops.relu>) => Tensor;
  declare sin: (...args: Rest<typeof ops.sin>) => Tensor;
  declare cos: (...args: Rest<typeof ops.cos>) => Tensor;
  declare reciprocal: (...args: Rest<typeof ops.reciprocal>) => Tensor;
  declare square: (...args: Rest<typeof ops.square>) => Tensor;
  declare sign: (...args: Rest<typeof ops.sign>) => Tensor;
  declare log1p: (...args: Rest<typeof ops.log1p>) => Tensor;
  declare expm1: (...args: Rest<typeof ops.expm1>) => Tensor;
  declare erf: (...args: Rest<typeof ops.erf>) => Tensor;
  declare floor: (...args: Rest<typeof ops.floor>) => Tensor;
  declare ceil: (...args: Rest<typeof ops.ceil>) => Tensor;
  declare round: (...args: Rest<typeof ops.round>) => Tensor;
  where(condition: Tensor, other: TensorOrScalar): Tensor { return ops.where(condition, this, other); }
  declare unbind: (...args: Rest<typeof ops.unbind>) => Tensor[];
  declare unflatten: (...args: Rest<typeof ops.unflatten>) => Tensor;
  declare multinomial: (...args: Rest<typeof ops.multinomial>) => Tensor;
  /** uniform_(from=0, to=1, *, generator=None): fills this tensor in place, outside autograd. */
  uniform_(...args: CallArgs<[from: number, to: number], { from?: number; to?: number; generator?: Generator | null }>): this {
    const [from, to, generator] = bind(METHOD.uniform_, args) as [number, number, Generator | null];
    ops.uniform_(this, from, to, generator ?? undefined);
    return this;
  }
  /** normal_(mean=0, std=1, *, generator=None). */
  normal_(...args: CallArgs<[mean: number, std: number], { mean?: number; std?: number; generator?: Generator | null }>): this {
    const [mean, std, generator] = bind(METHOD.normal_, args) as [number, number, Generator | null];
    ops.normal_(this, mean, std, generator ?? undefined);
    return this;
  }
  declare clamp: (...args: Rest<typeof ops.clamp>) => Tensor;
  declare clip: (...args: Rest<typeof ops.clip>) => Tensor;
  declare eq: (...args: Rest<typeof ops.eq>) => Tensor;
  declare ne: (...args: Rest<typeof ops.ne>) => Tensor;
  declare gt: (...args: Rest<typeof ops.gt>) => Tensor;
  declare lt: (...args: Rest<typeof ops.lt>) => Tensor;
  declare ge: (...args: Rest<typeof ops.ge>) => Tensor;
  declare le: (...args: Rest<typeof ops.le>) => Tensor;
  declare logical_not: (...args: Rest<typeof ops.logical_not>) => Tensor;
  declare logical_and: (...args: Rest<typeof ops.logical_and>) => Tensor;
  declare logical_or: (...args: Rest<typeof ops.logical_or>) => Tensor;
  declare masked_fill: (...args: Rest<typeof ops.masked_fill>) => Tensor;

  // ---- reductions -------------------------------------------------------------
  declare sum: (...args: Rest<typeof ops.sum>) => Tensor;
  declare mean: (...args: Rest<typeof ops.mean>) => Tensor;
  declare amax: (...args: Rest<typeof ops.amax>) => Tensor;
  declare amin: (...args: Rest<typeof ops.amin>) => Tensor;
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
  declare argmax: (...args: Rest<typeof ops.argmax>) => Tensor;
  declare argmin: (...args: Rest<typeof ops.argmin>) => Tensor;
  declare logsumexp: (...args: Rest<typeof ops.logsumexp>) => Tensor;
  declare softmax: (...args: Rest<typeof ops.softmax>) => Tensor;
  declare log_softmax: (...args: Rest<typeof ops.log_softmax>) => Tensor;
  declare var: (...args: Rest<typeof ops.var_>) => Tensor;
  declare std: (...args: Rest<typeof ops.std>) => Tensor;

  // ---- linear algebra -------------------------------------------------------------
  declare matmul: (...args: Rest<typeof ops.matmul>) => Tensor;
  declare mm: (...args: Rest<typeof ops.mm>) => Tensor;
  declare bmm: (...args: Rest<typeof ops.bmm>) => Tensor;
  declare dot: (...args: Rest<typeof ops.dot>) => Tensor;

  // ---- shape -------------------------------------------------------------
  declare view: (...args: Rest<typeof ops.view>) => Tensor;
  view_as(...args: [other: Tensor] | [options: { other: Tensor }]): Tensor { return ops.view(this, (bind(METHOD.view_as, args)[0] as Tensor).shape); }
  declare reshape: (...args: Rest<typeof ops.reshape>) => Tensor;
  reshape_as(...args: [other: Tensor] | [options: { other: Tensor }]): Tensor { return ops.reshape(this, (bind(METHOD.reshape_as, args)[0] as Tensor).shape); }
  declare transpose: (...args: Rest<typeof ops.transpose>) => Tensor;
  declare t: (...args: Rest<typeof ops.t>) => Tensor;
  get T(): Tensor { return ops.permute(this, this.shape.map((_, i) => this.shape.length - 1 - i)); }
  declare permute: (...args: Rest<typeof ops.permute>) => Tensor;
  declare unsqueeze: (...args: Rest<typeof ops.unsqueeze>) => Tensor;
  declare squeeze: (...args: Rest<typeof ops.squeeze>) => Tensor;
  declare flatten: (...args: Rest<typeof ops.flatten>) => Tensor;
  declare expand: (...args: Rest<typeof ops.expand>) => Tensor;
  expand_as(...args: [other: Tensor] | [options: { other: Tensor }]): Tensor { return ops.expand(this, (bind(METHOD.expand_as, args)[0] as Tensor).shape); }
  declare narrow: (...args: Rest<typeof ops.narrow>) => Tensor;
  declare select: (...args: Rest<typeof ops.select>) => Tensor;
  declare index_select: (...args: Rest<typeof ops.index_select>) => Tensor;
  declare gather: (...args: Rest<typeof ops.gather>) => Tensor;
  declare index_put: (...args: Rest<typeof ops.index_put>) => Tensor;
  index_put_(...args: Rest<typeof ops.index_put_>): this { ops.index_put_(this, ...args); return this; }
  declare index_copy: (...args: Rest<typeof ops.index_copy>) => Tensor;
  index_copy_(...args: CallArgs<[dim: number, index: Tensor, source: Tensor], { dim?: number; index?: Tensor; source?: Tensor }>): this {
    const [dim, index, source] = bind(METHOD.index_copy_, args) as [number, Tensor, Tensor];
    ops.index_copy_(this, dim, index, source);
    return this;
  }
  declare index_add: (...args: Rest<typeof ops.index_add>) => Tensor;
  index_add_(...args: CallArgs<[dim: number, index: Tensor, source: Tensor], { dim?: number; index?: Tensor; source?: Tensor; alpha?: number }>): this {
    const [dim, index, source, alpha] = bind(METHOD.index_add_, args) as [number, Tensor, Tensor, number];
    ops.index_add_(this, dim, index, source, { alpha });
    return this;
  }
  /**
   * Python's x[...]: x.get(':', 0) is x[:, 0], x.get(`:, -${n}:`) is x[:, -n:], x.get(torch.arange(n), target) is
   * x[range(n), target], x.get(mask) is x[mask]; keys are integers, slices (text or torch.slice), null (None),
   * '...', boolean masks, integer tensors and lists, as Python's brackets take them.
   */
  get(...keys: ops.IndexKey[]): Tensor { return ops.getitem(this, keys); }
  /** Python's x[...] = value: x.set(mask, 0) is x[mask] = 0; the keys as get's, the value last. */
  set(...keysAndValue: [...keys: ops.IndexKey[], value: Tensor | number | boolean]): this {
    if (keysAndValue.length === 0) throw new TypeError('set() takes the keys and then the value to assign: x.set(...keys, value)');
    ops.setitem(this, keysAndValue.slice(0, -1) as ops.IndexKey[], keysAndValue[keysAndValue.length - 1] as Tensor | number | boolean);
    return this;
  }
  declare chunk: (...args: Rest<typeof ops.chunk>) => Tensor[];
  declare sort: (...args: Rest<typeof ops.sort>) => ops.ValuesIndices;
  declare argsort: (...args: Rest<typeof ops.argsort>) => Tensor;
  declare topk: (...args: Rest<typeof ops.topk>) => ops.ValuesIndices;
  declare split: (...args: Rest<typeof ops.split>) => Tensor[];


  // ---- the ops beyond the course (issue 17) -------------------------------------------------
  declare tan: (...args: Rest<typeof ops.tan>) => Tensor;
  declare asin: (...args: Rest<typeof ops.asin>) => Tensor;
  declare acos: (...args: Rest<typeof ops.acos>) => Tensor;
  declare atan: (...args: Rest<typeof ops.atan>) => Tensor;
  declare atan2: (...args: Rest<typeof ops.atan2>) => Tensor;
  declare log2: (...args: Rest<typeof ops.log2>) => Tensor;
  declare log10: (...args: Rest<typeof ops.log10>) => Tensor;
  declare lgamma: (...args: Rest<typeof ops.lgamma>) => Tensor;
  declare digamma: (...args: Rest<typeof ops.digamma>) => Tensor;
  declare isnan: (...args: Rest<typeof ops.isnan>) => Tensor;
  declare isinf: (...args: Rest<typeof ops.isinf>) => Tensor;
  declare isfinite: (...args: Rest<typeof ops.isfinite>) => Tensor;
  declare isposinf: (...args: Rest<typeof ops.isposinf>) => Tensor;
  declare isneginf: (...args: Rest<typeof ops.isneginf>) => Tensor;
  declare isclose: (...args: Rest<typeof ops.isclose>) => Tensor;
  declare clamp_min: (...args: Rest<typeof ops.clamp_min>) => Tensor;
  declare clamp_max: (...args: Rest<typeof ops.clamp_max>) => Tensor;
  declare repeat: (...args: Rest<typeof ops.repeat>) => Tensor;
  declare tile: (...args: Rest<typeof ops.tile>) => Tensor;
  declare repeat_interleave: (...args: Rest<typeof ops.repeat_interleave>) => Tensor;
  declare roll: (...args: Rest<typeof ops.roll>) => Tensor;
  declare tril: (...args: Rest<typeof ops.tril>) => Tensor;
  declare triu: (...args: Rest<typeof ops.triu>) => Tensor;
  declare diag: (...args: Rest<typeof ops.diag>) => Tensor;
  declare diagonal: (...args: Rest<typeof ops.diagonal>) => Tensor;
  declare trace: (...args: Rest<typeof ops.trace>) => Tensor;
  declare ravel: (...args: Rest<typeof ops.ravel>) => Tensor;
  declare flip: (...args: Rest<typeof ops.flip>) => Tensor;
  declare cumsum: (...args: Rest<typeof ops.cumsum>) => Tensor;
  declare cumprod: (...args: Rest<typeof ops.cumprod>) => Tensor;
  declare prod: (...args: Rest<typeof ops.prod>) => Tensor;
  declare all: (...args: Rest<typeof ops.all>) => Tensor;
  declare any: (...args: Rest<typeof ops.any>) => Tensor;
  declare norm: (...args: Rest<typeof ops.norm>) => Tensor;
  declare outer: (...args: Rest<typeof ops.outer>) => Tensor;
  declare mv: (...args: Rest<typeof ops.mv>) => Tensor;
  declare nonzero: (...args: Rest<typeof ops.nonzero>) => Tensor | Tensor[];
  declare argwhere: (...args: Rest<typeof ops.argwhere>) => Tensor;
  declare masked_select: (...args: Rest<typeof ops.masked_select>) => Tensor;
  declare take: (...args: Rest<typeof ops.take>) => Tensor;
  declare unique: (...args: Rest<typeof ops.unique>) => Tensor | Tensor[];
  declare bincount: (...args: Rest<typeof ops.bincount>) => Tensor;
  declare scatter: (...args: Rest<typeof ops.scatter>) => Tensor;
  declare scatter_add: (...args: Rest<typeof ops.scatter_add>) => Tensor;
  declare scatter_reduce: (...args: Rest<typeof ops.scatter_reduce>) => Tensor;
  declare addcmul: (...args: Rest<typeof ops.addcmul>) => Tensor;
  declare addcdiv: (...args: Rest<typeof ops.addcdiv>) => Tensor;
  declare lerp: (...args: Rest<typeof ops.lerp>) => Tensor;
  declare allclose: (...args: Rest<typeof ops.allclose>) => boolean;
  declare equal: (...args: Rest<typeof ops.equal>) => boolean;
  /** new_zeros(size, *, dtype=None, ...): zeros of this tensor's dtype unless told (and new_ones, new_full, new_empty, new_tensor). */
  new_zeros(...args: unknown[]): Tensor { return this.newFilled(METHOD.new_zeros, args, 0); }
  new_ones(...args: unknown[]): Tensor { return this.newFilled(METHOD.new_ones, args, 1); }
  new_empty(...args: unknown[]): Tensor { return this.newFilled(METHOD.new_empty, args, 0); }
  new_full(...args: unknown[]): Tensor {
    const [size, value, dtype, , , requires_grad] = bind(METHOD.new_full, args) as [number[], number, DType | null, unknown, unknown, boolean];
    return ops.full(size, value, { dtype: dtype ?? this.dtype, requires_grad });
  }
  new_tensor(...args: unknown[]): Tensor {
    const [data, dtype, , requires_grad] = bind(METHOD.new_tensor, args) as [NestedArray, DType | null, unknown, boolean];
    return ops.tensor(data instanceof Tensor ? data.detach().clone() : data, { dtype: dtype ?? this.dtype, requires_grad });
  }
  private newFilled(sig: Signature, args: unknown[], value: number): Tensor {
    const [size, dtype, , , requires_grad] = bind(sig, args) as [number[], DType | null, unknown, unknown, boolean];
    return ops.full(size, value, { dtype: dtype ?? this.dtype, requires_grad });
  }

  // in place: x.exp_() writes x.exp() into x (the IN_PLACE list below)
  declare abs_: (...args: Rest<typeof ops.abs>) => this;
  declare neg_: (...args: Rest<typeof ops.neg>) => this;
  declare exp_: (...args: Rest<typeof ops.exp>) => this;
  declare log_: (...args: Rest<typeof ops.log>) => this;
  declare sqrt_: (...args: Rest<typeof ops.sqrt>) => this;
  declare rsqrt_: (...args: Rest<typeof ops.rsqrt>) => this;
  declare sigmoid_: (...args: Rest<typeof ops.sigmoid>) => this;
  declare tanh_: (...args: Rest<typeof ops.tanh>) => this;
  declare relu_: (...args: Rest<typeof ops.relu>) => this;
  declare sin_: (...args: Rest<typeof ops.sin>) => this;
  declare cos_: (...args: Rest<typeof ops.cos>) => this;
  declare tan_: (...args: Rest<typeof ops.tan>) => this;
  declare asin_: (...args: Rest<typeof ops.asin>) => this;
  declare acos_: (...args: Rest<typeof ops.acos>) => this;
  declare atan_: (...args: Rest<typeof ops.atan>) => this;
  declare reciprocal_: (...args: Rest<typeof ops.reciprocal>) => this;
  declare square_: (...args: Rest<typeof ops.square>) => this;
  declare sign_: (...args: Rest<typeof ops.sign>) => this;
  declare erf_: (...args: Rest<typeof ops.erf>) => this;
  declare log1p_: (...args: Rest<typeof ops.log1p>) => this;
  declare expm1_: (...args: Rest<typeof ops.expm1>) => this;
  declare floor_: (...args: Rest<typeof ops.floor>) => this;
  declare ceil_: (...args: Rest<typeof ops.ceil>) => this;
  declare round_: (...args: Rest<typeof ops.round>) => this;
  declare log2_: (...args: Rest<typeof ops.log2>) => this;
  declare log10_: (...args: Rest<typeof ops.log10>) => this;
  declare lgamma_: (...args: Rest<typeof ops.lgamma>) => this;
  declare digamma_: (...args: Rest<typeof ops.digamma>) => this;
  declare clamp_: (...args: Rest<typeof ops.clamp>) => this;
  declare clip_: (...args: Rest<typeof ops.clip>) => this;
  declare clamp_min_: (...args: Rest<typeof ops.clamp_min>) => this;
  declare clamp_max_: (...args: Rest<typeof ops.clamp_max>) => this;
  declare pow_: (...args: Rest<typeof ops.pow>) => this;
  declare atan2_: (...args: Rest<typeof ops.atan2>) => this;
  declare addcmul_: (...args: Rest<typeof ops.addcmul>) => this;
  declare addcdiv_: (...args: Rest<typeof ops.addcdiv>) => this;
  declare lerp_: (...args: Rest<typeof ops.lerp>) => this;
  declare masked_fill_: (...args: Rest<typeof ops.masked_fill>) => this;
  declare scatter_: (...args: Rest<typeof ops.scatter>) => this;
  declare scatter_add_: (...args: Rest<typeof ops.scatter_add>) => this;
  declare scatter_reduce_: (...args: Rest<typeof ops.scatter_reduce>) => this;
  declare tril_: (...args: Rest<typeof ops.tril>) => this;
  declare triu_: (...args: Rest<typeof ops.triu>) => this;
  declare cumsum_: (...args: Rest<typeof ops.cumsum>) => this;
  declare cumprod_: (...args: Rest<typeof ops.cumprod>) => this;
  declare logical_not_: (...args: Rest<typeof ops.logical_not>) => this;
  declare logical_and_: (...args: Rest<typeof ops.logical_and>) => this;
  declare logical_or_: (...args: Rest<typeof ops.logical_or>) => this;
  declare eq_: (...args: Rest<typeof ops.eq>) => this;
  declare ne_: (...args: Rest<typeof ops.ne>) => this;
  declare gt_: (...args: Rest<typeof ops.gt>) => this;
  declare lt_: (...args: Rest<typeof ops.lt>) => this;
  declare ge_: (...args: Rest<typeof ops.ge>) => this;
  declare le_: (...args: Rest<typeof ops.le>) => this;
  declare maximum_: (...args: Rest<typeof ops.maximum>) => this;
  declare minimum_: (...args: Rest<typeof ops.minimum>) => this;
  declare silu_: (...args: Rest<typeof ops.silu>) => this;
  declare gelu_: (...args: Rest<typeof ops.gelu>) => this;
  declare leaky_relu_: (...args: Rest<typeof ops.leaky_relu>) => this;
  declare softplus_: (...args: Rest<typeof ops.softplus>) => this;
  // ---- in place -------------------------------------------------------------
  add_(...args: [other: TensorOrScalar, options?: { alpha?: number }] | [options: { other: TensorOrScalar; alpha?: number }]): this {
    if (plainOperand(args)) ops.add_(this, args[0] as TensorOrScalar);
    else {
      const [other, alpha] = bind(METHOD.add_, args) as [TensorOrScalar, number];
      ops.add_(this, other, { alpha });
    }
    return this;
  }
  sub_(...args: [other: TensorOrScalar, options?: { alpha?: number }] | [options: { other: TensorOrScalar; alpha?: number }]): this {
    if (plainOperand(args)) ops.sub_(this, args[0] as TensorOrScalar);
    else {
      const [other, alpha] = bind(METHOD.sub_, args) as [TensorOrScalar, number];
      ops.sub_(this, other, { alpha });
    }
    return this;
  }
  mul_(...args: [other: TensorOrScalar] | [options: { other: TensorOrScalar }]): this {
    ops.mul_(this, (plainOperand(args) ? args[0] : bind(METHOD.mul_, args)[0]) as TensorOrScalar);
    return this;
  }
  /** div_(other, *, rounding_mode=None): 'trunc' and 'floor' as div's. */
  div_(...args: [other: TensorOrScalar, options?: { rounding_mode?: 'trunc' | 'floor' | null }]
    | [options: { other: TensorOrScalar; rounding_mode?: 'trunc' | 'floor' | null }]): this {
    if (plainOperand(args)) ops.div_(this, args[0] as TensorOrScalar);
    else {
      const [other, rounding_mode] = bind(METHOD.div_, args) as [TensorOrScalar, 'trunc' | 'floor' | null];
      if (rounding_mode === null) ops.div_(this, other);
      else ops.applyInPlace(this, (old) => ops.div(old, other, { rounding_mode }));
    }
    return this;
  }
  zero_(...args: []): this {
    if (args.length > 0) bind(METHOD.zero_, args);
    ops.fill_(this, 0);
    return this;
  }
  /** fill_(value): a number, or a 0-dim tensor's value (with its gradient), as PyTorch takes. */
  fill_(...args: [value: number | boolean | Tensor] | [options: { value: number | boolean | Tensor }]): this {
    const value = args.length === 1 && typeof args[0] === 'number' ? args[0] : bind(METHOD.fill_, args)[0] as number | boolean | Tensor;
    if (value instanceof Tensor) {
      if (value.dim() !== 0) throw new Error(`fill_ only supports 0-dimension value tensor but got tensor with ${value.dim()} dimensions.`);
      ops.copy_(this, value);
    } else ops.fill_(this, Number(value));
    return this;
  }
  /** copy_(other, non_blocking=False): other's values (broadcast, converted to this dtype). */
  copy_(...args: CallArgs<[other: Tensor, non_blocking: boolean], { other?: Tensor; non_blocking?: boolean }>): this {
    ops.copy_(this, (args.length === 1 && args[0] instanceof Tensor ? args[0] : bind(METHOD.copy_, args)[0]) as Tensor);
    return this;
  }
}

// The methods of ops: each calls its op with this tensor first. PyTorch's messages for a method call leave self out
// (x.narrow(0.5, 0, 1): "argument 'dim' (position 1)", where torch.narrow(x, 0.5, 0, 1) says position 2): each
// re-throws the parser's error for its own call so.
const OP_METHODS = [
  'clone', 'contiguous', 'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'neg', 'exp', 'log', 'sqrt',
  'rsqrt', 'abs', 'sigmoid', 'tanh', 'relu', 'sin', 'cos', 'reciprocal', 'square', 'sign', 'log1p', 'expm1', 'erf',
  'floor', 'ceil', 'round', 'unbind', 'unflatten', 'multinomial', 'clamp', 'clip', 'eq', 'ne', 'gt', 'lt', 'ge',
  'le', 'logical_not', 'logical_and', 'logical_or', 'masked_fill', 'sum', 'mean', 'amax', 'amin', 'argmax', 'argmin',
  'logsumexp', 'softmax', 'log_softmax', 'var', 'std', 'matmul', 'mm', 'bmm', 'dot', 'view', 'reshape', 'transpose',
  't', 'permute', 'unsqueeze', 'squeeze', 'flatten', 'expand', 'narrow', 'select', 'index_select', 'gather',
  'index_put', 'index_copy', 'index_add', 'chunk', 'sort', 'argsort', 'topk', 'split',
  'tan', 'asin', 'acos', 'atan', 'atan2', 'log2', 'log10', 'lgamma', 'digamma', 'isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf', 'isclose', 'clamp_min', 'clamp_max', 'repeat', 'tile', 'repeat_interleave', 'roll', 'tril', 'triu', 'diag', 'diagonal', 'trace', 'ravel', 'flip', 'cumsum', 'cumprod', 'prod', 'all', 'any', 'norm', 'outer', 'mv', 'nonzero', 'argwhere', 'masked_select', 'take', 'unique', 'bincount', 'scatter', 'scatter_add', 'scatter_reduce', 'addcmul', 'addcdiv', 'lerp', 'allclose', 'equal',
];
/** where a method's op has another name */
const OP_NAMES: Record<string, string> = { var: 'var_' };
for (const name of OP_METHODS) {
  const opName = OP_NAMES[name] ?? name;
  // the op is looked up at the first call: an op module imported first is still loading when this runs
  let op: ((...a: unknown[]) => unknown) | undefined;
  const method = {
    [name](this: Tensor, ...args: unknown[]): unknown {
      try {
        return (op ??= (ops as unknown as Record<string, (...a: unknown[]) => unknown>)[opName])(this, ...args);
      } catch (e) {
        throw asMethodError(e, this);
      }
    },
  }[name];
  Object.defineProperty(Tensor.prototype, name, { value: method, writable: true, configurable: true });
}

/** The parser's error for a method call on t, in the method form; any other error as it is. */
function asMethodError(e: unknown, t: Tensor): unknown {
  return e instanceof ArgumentError && e.first === t ? new TypeError(e.asMethod) : e;
}

// The methods of ops written out above (typed overloads, index_put_'s result) the same way, around their bodies.
// (The methods PyTorch has only as methods bind their own signatures, self left out: no wrapper.)
for (const name of ['max', 'min', 'index_put_']) {
  const d = Object.getOwnPropertyDescriptor(Tensor.prototype, name)!;
  const method = d.value as (...a: unknown[]) => unknown;
  const wrapped = {
    [name](this: Tensor, ...args: unknown[]): unknown {
      try {
        return method.apply(this, args);
      } catch (e) {
        throw asMethodError(e, this);
      }
    },
  }[name];
  Object.defineProperty(Tensor.prototype, name, { ...d, value: wrapped });
}

// The in-place variants PyTorch has for these ops: x.exp_() is x's storage overwritten with x.exp(), through
// autograd as the other in-place ops (version counters bumped, views' bases rewritten). The result must keep x's
// shape and fit its dtype, in PyTorch's words when it does not.
const IN_PLACE = [
  'abs', 'neg', 'exp', 'log', 'sqrt', 'rsqrt', 'sigmoid', 'tanh', 'relu', 'sin', 'cos', 'tan',
  'asin', 'acos', 'atan', 'reciprocal', 'square', 'sign', 'erf', 'log1p', 'expm1', 'floor', 'ceil', 'round',
  'log2', 'log10', 'lgamma', 'digamma', 'clamp', 'clip', 'clamp_min', 'clamp_max', 'pow', 'atan2', 'addcmul', 'addcdiv',
  'lerp', 'masked_fill', 'scatter', 'scatter_add', 'scatter_reduce', 'tril', 'triu', 'cumsum', 'cumprod', 'logical_not', 'logical_and', 'logical_or',
  'eq', 'ne', 'gt', 'lt', 'ge', 'le', 'maximum', 'minimum', 'silu', 'gelu', 'leaky_relu', 'softplus'
];
for (const name of IN_PLACE) {
  const opName = OP_NAMES[name] ?? name;
  let op: ((...a: unknown[]) => Tensor) | undefined;
  const method = {
    [`${name}_`](this: Tensor, ...args: unknown[]): Tensor {
      try {
        op ??= (ops as unknown as Record<string, (...a: unknown[]) => Tensor>)[opName];
        return ops.applyInPlace(this, (old) => inPlaceResult(this, op!(old, ...args)));
      } catch (e) {
        throw asMethodError(e, this);
      }
    },
  }[`${name}_`];
  Object.defineProperty(Tensor.prototype, `${name}_`, { value: method, writable: true, configurable: true });
}

/** An in-place op's result, checked against the tensor it is written into. */
function inPlaceResult(t: Tensor, result: Tensor): Tensor {
  if (!ops.sameShape(result.shape, t.shape)) {
    throw new Error(`output with shape ${ops.shapeStr(t.shape)} doesn't match the broadcast shape ${ops.shapeStr(result.shape)}`);
  }
  const narrowing = (result.dtype === 'float32' && t.dtype !== 'float32') || (result.dtype !== 'bool' && t.dtype === 'bool');
  if (narrowing) {
    const name = (d: DType) => ({ float32: 'Float', int64: 'Long', int32: 'Int', bool: 'Bool' } as Record<string, string>)[d] ?? d;
    throw new Error(`result type ${name(result.dtype)} can't be cast to the desired output type ${name(t.dtype)}`);
  }
  return result;
}

/** Drops t's gradient, freeing its memory now if user code never saw it. */
export function releaseGrad(t: Tensor): void {
  const g = t._grad;
  if (g === null) return;
  t._grad = null;
  if (!g.storage.slot.exposed) disposeSlot(g.storage.slot);
}

/** t's elements in row-major order, in the typed array of their storage (int64: BigInt64Array, exact). */
export function storedElements(t: Tensor): Float32Array | Int32Array | BigInt64Array {
  // contiguous: read just this tensor's elements, not its whole storage
  const c = t.is_contiguous() ? t : ops.contiguousCopy(t);
  return viewOf(c.dtype, readBytes(c.storage, c.offset, c.numel()));
}

/**
 * A tensor over a fresh host array: creation never touches linear memory. int64 takes a BigInt64Array, or an
 * Int32Array or Float64Array of integers (widened); the others take the typed array of their 4-byte storage.
 */
export function fromArray(values: Float32Array | Int32Array | Float64Array | BigInt64Array, shape: number[], dtype: DType): Tensor {
  ops.checkShape(shape);
  const n = numelOf(shape);
  if (values.length !== n) throw new Error(`shape '[${shape.join(', ')}]' is invalid for input of size ${values.length}`);
  if (dtype === 'int64' && !(values instanceof BigInt64Array)) values = BigInt64Array.from(values as Float64Array, (v) => BigInt(Math.trunc(v)));
  const size = itemsize(dtype);
  const storage = hostStorage(values.buffer.slice(values.byteOffset, values.byteOffset + n * size) as ArrayBuffer, n, size);
  return new Tensor(storage, shape, contiguousStrides(shape), 0, dtype);
}

export { isIntegral };
