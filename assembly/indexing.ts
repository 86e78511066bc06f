import { checkRange } from "./common";

// Indices are int64 (PyTorch's index dtype); one past i32's range saturates, so it stays out of range.
@inline function indexAt(idx: usize, t: usize): i32 {
  const k = load<i64>(idx + (t << 3));
  return k > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : k < <i64>i32.MIN_VALUE ? i32.MIN_VALUE : <i32>k;
}

// Index kernels return -1 when every index is in [0, size), else the position
// of the first bad one, which the JS side turns into PyTorch's error; they
// check all indices before writing anything.

@inline function firstBadIndex(idx: usize, count: i32, size: i32): i32 {
  for (let t = 0; t < count; t++) {
    const k = indexAt(idx, <usize>t);
    if (k < 0 || k >= size) return t;
  }
  return -1;
}

// Row copies between x [outer, size, inner] and rows [outer, n, inner]:
// gather (index_select) reads x's rows idx[j]; scatter (index_copy) writes them.
@inline function copyRows(x: usize, idx: usize, rows: usize, outer: i32, size: i32, inner: i32, n: i32, gather: bool): i32 {
  const bad = firstBadIndex(idx, n, size);
  if (bad >= 0) return bad;
  const rowBytes = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const k = indexAt(idx, <usize>j);
      const xr = x + (<usize>o * <usize>size + <usize>k) * rowBytes, r = rows + (<usize>o * <usize>n + <usize>j) * rowBytes;
      if (gather) memory.copy(r, xr, rowBytes);
      else memory.copy(xr, r, rowBytes);
    }
  }
  return -1;
}

// out[o, j, i] = src[o, idx[j], i]; src is [outer, size, inner].
export function index_select(src: usize, idx: usize, out: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  return copyRows(src, idx, out, outer, size, inner, n, true);
}

// dst[o, idx[j], i] += src[o, j, i]: the backward of index_select/embedding.
export function index_add(dst: usize, idx: usize, src: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  const bad = firstBadIndex(idx, n, size);
  if (bad >= 0) return bad;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const k = indexAt(idx, <usize>j);
      const d = dst + ((<usize>o * <usize>size + <usize>k) * <usize>inner << 2);
      const s = src + ((<usize>o * <usize>n + <usize>j) * <usize>inner << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = <usize>i << 2;
        v128.store(d + off, f32x4.add(v128.load(d + off), v128.load(s + off)));
      }
      for (; i < inner; i++) {
        const off = <usize>i << 2;
        store<f32>(d + off, load<f32>(d + off) + load<f32>(s + off));
      }
    }
  }
  return -1;
}

// The same for int64 dst and src, exactly (wrapping): index_add of integer tensors.
export function index_add_i64(dst: usize, idx: usize, src: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  const bad = firstBadIndex(idx, n, size);
  if (bad >= 0) return bad;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < n; j++) {
      const k = indexAt(idx, <usize>j);
      const d = dst + ((<usize>o * <usize>size + <usize>k) * <usize>inner << 3);
      const s = src + ((<usize>o * <usize>n + <usize>j) * <usize>inner << 3);
      for (let i = 0; i < inner; i++) {
        const off = <usize>i << 3;
        store<i64>(d + off, load<i64>(d + off) + load<i64>(s + off));
      }
    }
  }
  return -1;
}

// dst[o, idx[j], i] = src[o, j, i]: index_copy and index_put (a repeated index keeps its last row).
export function index_copy(dst: usize, idx: usize, src: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  return copyRows(dst, idx, src, outer, size, inner, n, false);
}

// gather: out[o, j, i] = src[o, idx[o, j, i], i], src [outer, size, inner],
// idx and out [outer, n, inner]. scatter_add is its adjoint.
export function gather(src: usize, idx: usize, out: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  const total = outer * n * inner;
  checkRange(idx, <usize>total << 3);
  const bad = firstBadIndex(idx, total, size);
  if (bad >= 0) return bad;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < inner; i++) {
        const t = (<usize>o * <usize>n + <usize>j) * <usize>inner + <usize>i;
        const k = indexAt(idx, <usize>t);
        store<f32>(out + (t << 2), load<f32>(src + (((<usize>o * <usize>size + <usize>k) * <usize>inner + <usize>i) << 2)));
      }
  return -1;
}

export function scatter_add(dst: usize, idx: usize, src: usize, outer: i32, size: i32, inner: i32, n: i32): i32 {
  const total = outer * n * inner;
  const bad = firstBadIndex(idx, total, size);
  if (bad >= 0) return bad;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < n; j++)
      for (let i = 0; i < inner; i++) {
        const t = (<usize>o * <usize>n + <usize>j) * <usize>inner + <usize>i;
        const k = indexAt(idx, <usize>t);
        const d = dst + (((<usize>o * <usize>size + <usize>k) * <usize>inner + <usize>i) << 2);
        store<f32>(d, load<f32>(d) + load<f32>(src + (t << 2)));
      }
  return -1;
}
