// What every op shares: argument checks (one place each), output allocation,
// pointers, broadcasting and the strided-meta scratch for kernels.
import { bindNamed, type Signature } from '../signature.js';
import { Tensor, contiguousStrides, numelOf, type Shape } from '../tensor.js';
import { type DType, isIntegral, itemsize, scalarTypeName, parseDType } from '../dtype.js';
import { Storage, allocate, ptrOf, staticBlock, tick, withScope, I32, F32, type Slot } from '../backend/memory.js';
import { nodeWatermark, type Node } from '../autograd/node.js';
import { K, codes } from '../backend/wasm.js';

export { K, codes, tick };

const META_INTS = 256;
const meta = staticBlock(META_INTS * 4);
const scalarSlot = staticBlock(16);
export const gemmScratch = staticBlock(codes.GEMM_SCRATCH_BYTES);

/** The meta of a contiguous elementwise op over n elements: one row, strides sa and sb. */
export function rowMeta(n: number, sa: number, sb: number): number {
  const base = meta >> 2;
  I32[base] = n;
  I32[base + 1] = sa;
  I32[base + 2] = sb;
  return meta;
}

/** Writes ints into the kernel meta scratch and returns its address. */
export function writeMeta(values: number[]): number {
  // kernels use one more nd-int counter after the 3 nd-int arrays they are given
  if ((values.length / 3) * 4 > META_INTS) throw new Error(`wasmtorch: tensors with more than ${META_INTS >> 2} dimensions are not supported`);
  const base = meta >> 2;
  for (let i = 0; i < values.length; i++) I32[base + i] = values[i];
  return meta;
}

/** The address of a one-element f32 holding v (stride-0 operand for scalar ops). */
export function scalarPtr(v: number): number {
  F32[scalarSlot >> 2] = v;
  return scalarSlot;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function normalizeDim(dim: number, ndim: number): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new Error(`Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/**
 * The one check every new storage's shape passes before anything is allocated: sizes are non-negative integers.
 * Arguments are checked where they are parsed, with PyTorch's messages; a shape that fails here was computed from
 * arguments that escaped those checks, and an allocation of NaN or negative bytes would hand out overlapping
 * blocks to every later tensor, so it is refused here whatever the caller.
 */
export function checkShape(shape: Shape): void {
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`wasmtorch: invalid tensor shape ${shapeStr(shape)}: sizes must be non-negative integers ` +
        `(the size at pos ${i} is ${d}); nothing was allocated`);
    }
  }
}

/** A new contiguous resident tensor with undefined contents. */
export function empty(shape: number[], dtype: DType = 'float32'): Tensor {
  checkShape(shape);
  const storage = new Storage(numelOf(shape), itemsize(dtype));
  allocate(storage);
  return new Tensor(storage, shape, contiguousStrides(shape), 0, dtype);
}

/** Byte address of the tensor's first element (makes it resident). */
export function ptr(t: Tensor): number {
  return ptrOf(t.storage) + t.offset * itemsize(t.dtype);
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** PyTorch's broadcasting rule; the one place its error is raised. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** t's strides when read as `shape` (broadcast dims get stride 0). */
export function broadcastStrides(t: Tensor, shape: Shape): number[] {
  const out = new Array<number>(shape.length).fill(0);
  const off = shape.length - t.shape.length;
  for (let i = 0; i < t.shape.length; i++) out[off + i] = t.shape[i] === 1 ? 0 : t._strides[i];
  return out;
}

/**
 * Merges adjacent dims that every operand walks contiguously, so kernels loop
 * over as few (and as long) rows as possible. Returns [shape, ...strides].
 */
export function collapse(shape: Shape, strides: number[][]): [number[], number[][]] {
  const s: number[] = [];
  const st: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const k = s.length - 1;
    if (k >= 0 && strides.every((str, j) => st[j][k] === str[d] * shape[d])) {
      s[k] *= shape[d];
      strides.forEach((str, j) => (st[j][k] = str[d]));
    } else {
      s.push(shape[d]);
      strides.forEach((str, j) => st[j].push(str[d]));
    }
  }
  if (s.length === 0) {
    s.push(1);
    st.forEach((x) => x.push(0));
  }
  return [s, st];
}

/** Copies t (any strides) into a new contiguous tensor. */
export function contiguousCopy(t: Tensor): Tensor {
  const out = empty(t.shape.slice(), t.dtype);
  if (out.numel() > 0) copyInto(out, t);
  return out;
}

/** dst[...] = src[...] for same-shaped (src broadcastable) tensors of any strides. */
export function copyInto(dst: Tensor, src: Tensor): void {
  if (itemsize(src.dtype) !== itemsize(dst.dtype)) src = toDtypeRaw(src, dst.dtype);
  tick();
  const words = itemsize(dst.dtype) >> 2; // the copy kernels move 4-byte words, or 8-byte elements
  if (dst.is_contiguous() && src.is_contiguous() && src.numel() === dst.numel()) {
    K.copy(ptr(src), ptr(dst), dst.numel() * words);
    return;
  }
  const [shape, [ss, ds]] = collapse(dst.shape, [broadcastStrides(src, dst.shape), dst._strides]);
  const nd = shape.length;
  const m = writeMeta([...shape, ...ss, ...ds]);
  const sp = ptr(src), dp = ptr(dst);
  if (nd === 1 && ss[0] === 1 && ds[0] === 1) K.copy(sp, dp, shape[0] * words);
  else if (words === 2) K.copy_strided64(sp, dp, nd, m);
  else K.copy_strided(sp, dp, nd, m);
}

/**
 * The same values in another dtype's storage, no autograd: between the integer widths exactly (int64 to int32
 * wraps, as PyTorch's), int64 to float32 rounding, float32 (and bool) to an integer truncating toward zero.
 */
export function toDtypeRaw(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  const src = dense(t);
  tick();
  const out = empty(t.shape.slice(), dtype);
  const n = out.numel();
  if (n === 0) return out;
  const from = src.dtype === 'bool' ? 'float32' : src.dtype, to = dtype === 'bool' ? 'float32' : dtype;
  if (from === to) K.copy(ptr(src), ptr(out), n);
  else if (from === 'int64') (to === 'int32' ? K.cast_i64_i32 : K.cast_i64_f32)(ptr(src), ptr(out), n);
  else if (from === 'int32') (to === 'int64' ? K.cast_i32_i64 : K.cast_i32_f32)(ptr(src), ptr(out), n);
  else (to === 'int64' ? K.cast_f32_i64 : K.cast_f32_i32)(ptr(src), ptr(out), n);
  return out;
}

/**
 * Data for the kernels that only move elements (index_select, gather, index_copy, where): float32 and bools as
 * they are, int32 as float32 (exact: its values fit), int64 as itself; `words` is how many 4-byte words the
 * kernels move per element (2 for int64, whose bits they copy untouched). `back(out)` gives the result dtype.
 */
export function moved(t: Tensor): { data: Tensor; words: number; store: DType; back: (out: Tensor) => Tensor } {
  if (t.dtype === 'int64') return { data: t, words: 2, store: 'int64', back: (out) => out };
  return { data: asFloat(t), words: 1, store: 'float32', back: (out) => fromFloat(out, t.dtype) };
}

/** Index data for the index kernels, which read int64: int64 as it is (made contiguous), int32 widened. */
export function asIndex(t: Tensor): Tensor {
  return t.dtype === 'int64' ? dense(t) : toDtypeRaw(t, 'int64');
}

/** Fills n elements at p with an integer of t's width (int64: exactly, through its two 32-bit halves). */
export function fillInteger(dtype: DType, p: number, n: number, value: number | bigint): void {
  if (dtype !== 'int64') {
    K.fill_i32(p, n, Number(value));
    return;
  }
  const v = BigInt.asIntN(64, BigInt(value));
  K.fill_i64(p, n, Number(BigInt.asIntN(32, v)), Number(v >> 32n));
}

/** The tensor itself when contiguous, else a contiguous copy (no autograd). */
export function dense(t: Tensor): Tensor {
  return t.is_contiguous() ? t : contiguousCopy(t);
}

/** Float32 data for a kernel: float and bool tensors as they are (strides kept), ints converted. */
export function asFloat(t: Tensor): Tensor {
  if (t.dtype === 'float32' || t.dtype === 'bool') return t;
  return toDtypeRaw(t, 'float32');
}

/** Converts float32 data to an integer dtype (truncating) or keeps it. */
export function fromFloat(t: Tensor, dtype: DType): Tensor {
  if (!isIntegral(dtype)) {
    t.dtype = dtype;
    return t;
  }
  return toDtypeRaw(t, dtype);
}

export function checkFloat(t: Tensor, op: string): void {
  if (t.dtype !== 'float32') {
    throw new Error(`"${op}" not implemented for '${scalarTypeName(t.dtype)}'`);
  }
}

const isIntList = (v: unknown): boolean => Array.isArray(v) && v.every((d) => Number.isInteger(d));

/**
 * A reduction's (dim, keepdim, dtype) from PyTorch's calling forms, checked against its signature line
 * (`sum(Tensor input, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None)`). Plain positional calls
 * with well-typed values (the library's own, and most users') take a fast path with the same result; anything
 * else (options, extra arguments, a wrong type, an unknown keyword) goes through the one parser.
 */
export function dimArgs(
  sig: Signature, x: Tensor,
  dimOrOpts: number | number[] | { dim?: number | number[] | null; keepdim?: boolean } | null | undefined,
  keepdim?: boolean | object, extra: unknown[] = [],
): { dim: number | number[] | null; keepdim: boolean; dtype: DType | null } {
  if (x instanceof Tensor && extra.length === 0 && (dimOrOpts == null || Number.isInteger(dimOrOpts) || isIntList(dimOrOpts)) &&
    (keepdim === undefined || typeof keepdim === 'boolean') && !(dimOrOpts == null && sig.required > 1)) {
    return { dim: (dimOrOpts as number | number[] | null | undefined) ?? null, keepdim: keepdim ?? false, dtype: null };
  }
  const v = bindNamed(sig, [x, dimOrOpts, keepdim, ...extra]);
  const dtype = v.dtype === undefined || v.dtype === null ? null : parseDType(v.dtype);
  return { dim: (v.dim as number[] | null) ?? null, keepdim: v.keepdim as boolean, dtype };
}

/**
 * Runs an op composed of other ops and frees, at once, the temporaries it
 * made: everything but what it returns and what its recorded nodes saved for
 * backward (marked internal, so backward frees those once it has used them).
 */
export function composite<T>(fn: () => T): T {
  const mark = nodeWatermark();
  return withScope(fn, (result, madeSlots) => {
    const made = new Set(madeSlots);
    const keep = new Set<Slot>();
    const nodes: Node[] = [];
    const visit = (v: unknown) => {
      if (v instanceof Tensor) {
        keep.add(v.storage.slot);
        if (v.grad_fn !== null && v.grad_fn.id > mark) nodes.push(v.grad_fn);
      } else if (Array.isArray(v)) v.forEach(visit);
    };
    visit(result);
    const seen = new Set<Node>();
    while (nodes.length > 0) {
      const n = nodes.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const t of n.saved) {
        const slot = t.storage.slot;
        if (made.has(slot) && !keep.has(slot)) {
          keep.add(slot);
          slot.internal = true; // only what this op made itself, never an input or a view of one
        }
      }
      for (const t of n.inputs) if (t !== null && t.grad_fn !== null && t.grad_fn.id > mark) nodes.push(t.grad_fn);
    }
    return keep;
  });
}
