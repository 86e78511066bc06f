import { checkRange, startRows, nextRow, rowStep } from "./common";

// Elements are 4 bytes (f32 data, int32, f32 0/1 masks) or 8 (int64): the copy
// kernels come in those two widths and serve every dtype.

export function fill(ptr: usize, n: i32, value: f32): void {
  checkRange(ptr, <usize>n << 2);
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(ptr + (<usize>i << 2), v);
  for (; i < n; i++) store<f32>(ptr + (<usize>i << 2), value);
}

export function fill_i32(ptr: usize, n: i32, value: i32): void {
  checkRange(ptr, <usize>n << 2);
  for (let i = 0; i < n; i++) store<i32>(ptr + (<usize>i << 2), value);
}

// int64 elements: the value as two 32-bit halves (JS numbers cannot carry every int64 into wasm).
export function fill_i64(ptr: usize, n: i32, lo: i32, hi: i32): void {
  checkRange(ptr, <usize>n << 3);
  const value = (<i64>hi << 32) | <i64><u32>lo;
  for (let i = 0; i < n; i++) store<i64>(ptr + (<usize>i << 3), value);
}

export function copy(src: usize, dst: usize, n: i32): void {
  checkRange(src, <usize>n << 2);
  checkRange(dst, <usize>n << 2);
  memory.copy(dst, src, <usize>n << 2);
}

// Strided copy: dst[idx] = src[idx] for every multi-index of shape, both read
// through element strides. meta = [shape(nd), srcStrides(nd), dstStrides(nd),
// counter scratch(nd)]. Makes views contiguous and writes into views.
export function copy_strided(src: usize, dst: usize, nd: i32, meta: usize): void {
  copyStrided<i32>(src, dst, nd, meta);
}

export function copy_strided64(src: usize, dst: usize, nd: i32, meta: usize): void {
  copyStrided<i64>(src, dst, nd, meta);
}

@inline function copyStrided<T>(src: usize, dst: usize, nd: i32, meta: usize): void {
  const shift: usize = sizeof<T>() == 8 ? 3 : 2;
  const last = nd - 1;
  const n = load<i32>(meta + (<usize>last << 2));
  const ss = load<i32>(meta + (<usize>(nd + last) << 2));
  const ds = load<i32>(meta + (<usize>(2 * nd + last) << 2));
  const counter = meta + (<usize>(3 * nd) << 2);
  const rows = startRows(meta, nd, counter);
  let offS: isize = 0, offD: isize = 0;
  const ssb = <usize>ss << shift, dsb = <usize>ds << shift;
  const lanes = 16 >> <i32>shift;
  for (let r = 0; r < rows; r++) {
    let p = src + (offS << shift);
    let q = dst + (offD << shift);
    if (ss == 1 && ds == 1) {
      memory.copy(q, p, <usize>n << shift);
    } else if (ss == 0 && ds == 1) {
      const v = sizeof<T>() == 8 ? v128.load64_splat(p) : v128.load32_splat(p);
      let i = 0;
      for (; i + lanes <= n; i += lanes) v128.store(q + (<usize>i << shift), v);
      for (; i < n; i++) store<T>(q + (<usize>i << shift), load<T>(p));
    } else {
      for (let i = 0; i < n; i++) { store<T>(q, load<T>(p)); p += ssb; q += dsb; }
    }
    const d = nextRow(meta, nd, counter);
    if (d >= 0) {
      offS += rowStep(meta, nd, 1, d);
      offD += rowStep(meta, nd, 2, d);
    }
  }
}

export function cast_i32_f32(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<i32>(src + (<usize>i << 2)));
}

// Truncates toward zero, as PyTorch's float -> int64 conversion.
export function cast_f32_i32(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), <i32>load<f32>(src + (<usize>i << 2)));
}

// int64 from and to the other dtypes: exact where the target holds the value; float to int64 truncates toward zero
// (NaN and what is out of range saturate, where PyTorch leaves them undefined); int64 to int32 wraps, as PyTorch's.
export function cast_i64_f32(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), <f32>load<i64>(src + (<usize>i << 3)));
}

export function cast_f32_i64(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i64>(dst + (<usize>i << 3), <i64>load<f32>(src + (<usize>i << 2)));
}

export function cast_i32_i64(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i64>(dst + (<usize>i << 3), <i64>load<i32>(src + (<usize>i << 2)));
}

export function cast_i64_i32(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(dst + (<usize>i << 2), <i32>load<i64>(src + (<usize>i << 3)));
}

// dst[i] += alpha * src[i]: gradient accumulation and axpy.
export function axpy(dst: usize, src: usize, n: i32, alpha: f32): void {
  checkRange(dst, <usize>n << 2);
  checkRange(src, <usize>n << 2);
  let i = 0;
  if (alpha == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
    }
  } else {
    const va = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(dst + o, f32x4.add(v128.load(dst + o), f32x4.mul(va, v128.load(src + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dst + o, load<f32>(dst + o) + alpha * load<f32>(src + o));
  }
}
