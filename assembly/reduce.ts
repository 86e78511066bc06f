import { checkRange } from "./common";

// Reductions over the middle axis of a contiguous [outer, len, inner] block:
// every reduction along one dim (or a run of adjacent dims) has this shape.
export const R_SUM: i32 = 0;
export const R_MAX: i32 = 1;
export const R_MIN: i32 = 2;
export const R_PROD: i32 = 3;

@inline function rInit(op: i32): f32 {
  switch (op) {
    case R_MAX: return -Infinity;
    case R_MIN: return Infinity;
    case R_PROD: return 1;
  }
  return 0;
}
@inline function rScalar(op: i32, acc: f32, x: f32): f32 {
  switch (op) {
    case R_MAX: return x > acc || x != x ? x : acc;
    case R_MIN: return x < acc || x != x ? x : acc;
    case R_PROD: return acc * x;
  }
  return acc + x;
}
@inline function rVector(op: i32, acc: v128, x: v128): v128 {
  switch (op) {
    case R_MAX: return f32x4.max(acc, x);
    case R_MIN: return f32x4.min(acc, x);
    case R_PROD: return f32x4.mul(acc, x);
  }
  return f32x4.add(acc, x);
}

// A sum's error must not grow with its length (full([1e7], 0.1).sum() was 0.6% off): a contiguous row is summed
// in blocks of ROW_BLOCK by 16 f32 lanes (128 adds each), a column in blocks of COLUMN_BLOCK rows by one lane,
// and the blocks' sums added in f64. (Smaller row blocks cost the 1M-element sum its speed.)
const ROW_BLOCK: i32 = 2048;
const COLUMN_BLOCK: i32 = 256;

/** One contiguous row's sum, block by block. */
@inline function sumRow(row: usize, len: i32): f32 {
  let total: f64 = 0;
  for (let b = 0; b < len; b += ROW_BLOCK) {
    const n = min(ROW_BLOCK, len - b);
    const p0 = row + (<usize>b << 2);
    let acc0 = f32x4.splat(0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    let i = 0;
    for (; i + 16 <= n; i += 16) {
      const p = p0 + (<usize>i << 2);
      acc0 = f32x4.add(acc0, v128.load(p));
      acc1 = f32x4.add(acc1, v128.load(p, 16));
      acc2 = f32x4.add(acc2, v128.load(p, 32));
      acc3 = f32x4.add(acc3, v128.load(p, 48));
    }
    for (; i + 4 <= n; i += 4) acc0 = f32x4.add(acc0, v128.load(p0 + (<usize>i << 2)));
    acc0 = f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3));
    let s = (f32x4.extract_lane(acc0, 0) + f32x4.extract_lane(acc0, 1)) + (f32x4.extract_lane(acc0, 2) + f32x4.extract_lane(acc0, 3));
    for (; i < n; i++) s += load<f32>(p0 + (<usize>i << 2));
    total += <f64>s;
  }
  return <f32>total;
}

/** The f64 totals of 4 columns (t0: the first two, t1: the last two) plus a block's f32 sums of them. */
@inline function addHalves(t: v128, acc: v128, high: bool): v128 {
  return f64x2.add(t, f64x2.promote_low_f32x4(high ? v128.shuffle<f32>(acc, acc, 2, 3, 2, 3) : acc));
}
@inline function store4(dst: usize, t0: v128, t1: v128): void {
  store<f32>(dst, <f32>f64x2.extract_lane(t0, 0));
  store<f32>(dst, <f32>f64x2.extract_lane(t0, 1), 4);
  store<f32>(dst, <f32>f64x2.extract_lane(t1, 0), 8);
  store<f32>(dst, <f32>f64x2.extract_lane(t1, 1), 12);
}

/** The column sums of a [len, inner] block into dst: 16 columns a pass (a cache line a row), then 4, then one. */
@inline function sumColumns(src: usize, dst: usize, len: i32, inner: i32): void {
  const stride = <usize>inner << 2;
  let j = 0;
  for (; j + 16 <= inner; j += 16) {
    let a0 = f64x2.splat(0), a1 = a0, b0 = a0, b1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0;
    for (let blk = 0; blk < len; blk += COLUMN_BLOCK) {
      const n = min(COLUMN_BLOCK, len - blk);
      let p = src + <usize>blk * stride + (<usize>j << 2);
      let va = f32x4.splat(0), vb = va, vc = va, vd = va;
      for (let r = 0; r < n; r++, p += stride) {
        va = f32x4.add(va, v128.load(p));
        vb = f32x4.add(vb, v128.load(p, 16));
        vc = f32x4.add(vc, v128.load(p, 32));
        vd = f32x4.add(vd, v128.load(p, 48));
      }
      a0 = addHalves(a0, va, false); a1 = addHalves(a1, va, true);
      b0 = addHalves(b0, vb, false); b1 = addHalves(b1, vb, true);
      c0 = addHalves(c0, vc, false); c1 = addHalves(c1, vc, true);
      d0 = addHalves(d0, vd, false); d1 = addHalves(d1, vd, true);
    }
    const q = dst + (<usize>j << 2);
    store4(q, a0, a1); store4(q + 16, b0, b1); store4(q + 32, c0, c1); store4(q + 48, d0, d1);
  }
  for (; j + 4 <= inner; j += 4) {
    let t0 = f64x2.splat(0), t1 = t0;
    for (let blk = 0; blk < len; blk += COLUMN_BLOCK) {
      const n = min(COLUMN_BLOCK, len - blk);
      let p = src + <usize>blk * stride + (<usize>j << 2);
      let v = f32x4.splat(0);
      for (let r = 0; r < n; r++, p += stride) v = f32x4.add(v, v128.load(p));
      t0 = addHalves(t0, v, false); t1 = addHalves(t1, v, true);
    }
    store4(dst + (<usize>j << 2), t0, t1);
  }
  for (; j < inner; j++) {
    let total: f64 = 0;
    for (let blk = 0; blk < len; blk += COLUMN_BLOCK) {
      const n = min(COLUMN_BLOCK, len - blk);
      let p = src + <usize>blk * stride + (<usize>j << 2);
      let s: f32 = 0;
      for (let r = 0; r < n; r++, p += stride) s += load<f32>(p);
      total += <f64>s;
    }
    store<f32>(dst + (<usize>j << 2), <f32>total);
  }
}

@inline function reduceImpl(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  if (op == R_SUM) {
    for (let o = 0; o < outer; o++) {
      const src = x + (<usize>o * <usize>len * <usize>inner << 2);
      if (inner == 1) store<f32>(out + (<usize>o << 2), sumRow(src, len));
      else sumColumns(src, out + (<usize>o * <usize>inner << 2), len, inner);
    }
    return;
  }
  if (inner == 1) {
    // contiguous rows: four vector accumulators (enough to hide the add
    // latency and run at memory speed), then lanes, then the tail
    for (let o = 0; o < outer; o++) {
      const row = x + (<usize>o * <usize>len << 2);
      let acc0 = f32x4.splat(rInit(op)), acc1 = acc0, acc2 = acc0, acc3 = acc0;
      let i = 0;
      for (; i + 16 <= len; i += 16) {
        const p = row + (<usize>i << 2);
        acc0 = rVector(op, acc0, v128.load(p));
        acc1 = rVector(op, acc1, v128.load(p, 16));
        acc2 = rVector(op, acc2, v128.load(p, 32));
        acc3 = rVector(op, acc3, v128.load(p, 48));
      }
      for (; i + 4 <= len; i += 4) acc0 = rVector(op, acc0, v128.load(row + (<usize>i << 2)));
      acc0 = rVector(op, rVector(op, acc0, acc1), rVector(op, acc2, acc3));
      let s = rScalar(op, rScalar(op, f32x4.extract_lane(acc0, 0), f32x4.extract_lane(acc0, 1)),
        rScalar(op, f32x4.extract_lane(acc0, 2), f32x4.extract_lane(acc0, 3)));
      for (; i < len; i++) s = rScalar(op, s, load<f32>(row + (<usize>i << 2)));
      store<f32>(out + (<usize>o << 2), s);
    }
    return;
  }
  // strided: accumulate whole inner rows into out, vector body + scalar tail
  for (let o = 0; o < outer; o++) {
    const dst = out + (<usize>o * <usize>inner << 2);
    const init = f32x4.splat(rInit(op));
    let i = 0;
    for (; i + 4 <= inner; i += 4) v128.store(dst + (<usize>i << 2), init);
    for (; i < inner; i++) store<f32>(dst + (<usize>i << 2), rInit(op));
    for (let r = 0; r < len; r++) {
      const src = x + ((<usize>o * <usize>len + <usize>r) * <usize>inner << 2);
      i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = <usize>i << 2;
        v128.store(dst + off, rVector(op, v128.load(dst + off), v128.load(src + off)));
      }
      for (; i < inner; i++) {
        const off = <usize>i << 2;
        store<f32>(dst + off, rScalar(op, load<f32>(dst + off), load<f32>(src + off)));
      }
    }
  }
}

export function reduce(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  checkRange(x, <usize>outer * <usize>len * <usize>inner << 2);
  checkRange(out, <usize>outer * <usize>inner << 2);
  // One function per common op, each with reduceImpl inlined for its constant op: cases that
  // inline it directly are identical but for that constant, and Binaryen folds them back into
  // one body that switches on op for every vector (2.7x slower sums).
  switch (op) {
    case R_SUM: reduceSum(x, out, outer, len, inner); break;
    case R_MAX: reduceMax(x, out, outer, len, inner); break;
    case R_MIN: reduceMin(x, out, outer, len, inner); break;
    default: reduceImpl(op, x, out, outer, len, inner);
  }
}
function reduceSum(x: usize, out: usize, outer: i32, len: i32, inner: i32): void { reduceImpl(R_SUM, x, out, outer, len, inner); }
function reduceMax(x: usize, out: usize, outer: i32, len: i32, inner: i32): void { reduceImpl(R_MAX, x, out, outer, len, inner); }
function reduceMin(x: usize, out: usize, outer: i32, len: i32, inner: i32): void { reduceImpl(R_MIN, x, out, outer, len, inner); }

// Index (int32) of the max (isMax) or min along the middle axis; the first
// one on ties, a NaN wins (as PyTorch). Values go to vals if it is non-zero.
export function argreduce(isMax: i32, x: usize, vals: usize, idx: usize, outer: i32, len: i32, inner: i32): void {
  checkRange(x, <usize>outer * <usize>len * <usize>inner << 2);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + ((<usize>o * <usize>len * <usize>inner + <usize>i) << 2);
      const step = <usize>inner << 2;
      let best = load<f32>(base);
      let bi = 0;
      for (let r = 1; r < len && best == best; r++) {
        const v = load<f32>(base + <usize>r * step);
        if (v != v || (isMax ? v > best : v < best)) { best = v; bi = r; }
      }
      const k = <usize>o * <usize>inner + <usize>i;
      if (vals) store<f32>(vals + (k << 2), best);
      store<i64>(idx + (k << 3), <i64>bi);
    }
  }
}

// softmax / log_softmax along the middle axis, max-subtracted; logsumexp
// writes one value per (outer, inner).
export const S_SOFTMAX: i32 = 0;
export const S_LOG_SOFTMAX: i32 = 1;
export const S_LOGSUMEXP: i32 = 2;

export function softmax(mode: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  checkRange(x, <usize>outer * <usize>len * <usize>inner << 2);
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const off = (<usize>o * <usize>len * <usize>inner + <usize>i) << 2;
      const src = x + off;
      let m: f32 = -Infinity;
      for (let r = 0; r < len; r++) {
        const v = load<f32>(src + <usize>r * step);
        if (v > m || v != v) m = v;
      }
      // logsumexp takes an infinite max as 0 (as ATen: inf stays inf, an all -inf row is -inf); softmax keeps it, so
      // inf - inf is NaN and the row is NaN (softmax([inf, 0]) is [nan, nan] in PyTorch)
      if (mode == S_LOGSUMEXP && (m == -Infinity || m == Infinity)) m = 0;
      let s: f64 = 0;
      for (let r = 0; r < len; r++) s += Math.exp(<f64>(load<f32>(src + <usize>r * step) - m));
      if (mode == S_LOGSUMEXP) {
        store<f32>(out + ((<usize>o * <usize>inner + <usize>i) << 2), <f32>(Math.log(s) + <f64>m));
      } else if (mode == S_LOG_SOFTMAX) {
        const ls = <f32>Math.log(s);
        const dst = out + off;
        for (let r = 0; r < len; r++) store<f32>(dst + <usize>r * step, load<f32>(src + <usize>r * step) - m - ls);
      } else {
        const inv = 1.0 / s;
        const dst = out + off;
        for (let r = 0; r < len; r++) store<f32>(dst + <usize>r * step, <f32>(Math.exp(<f64>(load<f32>(src + <usize>r * step) - m)) * inv));
      }
    }
  }
}

// Cross entropy with class indices, fused: for x [outer, C, inner] and target
// [outer, inner] (i32), writes logp = log_softmax over C and, per (o, i),
// loss = -logp[target] (0 where target == ignoreIndex). Returns -1, or the
// position of the first target outside [0, C) that is not ignoreIndex
// (checked before anything is written).
// int64 class indices; one past i32's range saturates, so it stays out of range
@inline function targetAt(target: usize, k: usize): i32 {
  const t = load<i64>(target + (k << 3));
  return t > <i64>i32.MAX_VALUE ? i32.MAX_VALUE : t < <i64>i32.MIN_VALUE ? i32.MIN_VALUE : <i32>t;
}

export function log_softmax_nll(x: usize, target: usize, logp: usize, loss: usize, outer: i32, classes: i32, inner: i32,
  ignoreIndex: i32): i32 {
  const count = outer * inner;
  checkRange(target, <usize>count << 3);
  checkRange(loss, <usize>count << 2);
  for (let k = 0; k < count; k++) {
    const t = targetAt(target, <usize>k);
    if (t != ignoreIndex && (t < 0 || t >= classes)) return k;
  }
  softmax(S_LOG_SOFTMAX, x, logp, outer, classes, inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const k = <usize>o * <usize>inner + <usize>i;
      const t = targetAt(target, k);
      const v: f32 = t == ignoreIndex ? 0 : -load<f32>(logp + (((<usize>o * <usize>classes + <usize>t) * <usize>inner + <usize>i) << 2));
      store<f32>(loss + (k << 2), v);
    }
  }
  return -1;
}

// int64 reductions of the middle axis of [outer, len, inner], exact (sums wrap on overflow, as PyTorch's).
export function reduce_i64(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  checkRange(x, <usize>outer * <usize>len * <usize>inner << 3);
  checkRange(out, <usize>outer * <usize>inner << 3);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = x + ((<usize>o * <usize>len * <usize>inner + <usize>i) << 3);
      const step = <usize>inner << 3;
      let acc: i64 = op == R_PROD ? 1 : op == R_SUM ? 0 : load<i64>(p);
      for (let r = 0; r < len; r++, p += step) {
        const v = load<i64>(p);
        if (op == R_SUM) acc += v;
        else if (op == R_PROD) acc *= v;
        else if (op == R_MAX) acc = v > acc ? v : acc;
        else acc = v < acc ? v : acc;
      }
      store<i64>(out + ((<usize>o * <usize>inner + <usize>i) << 3), acc);
    }
  }
}
