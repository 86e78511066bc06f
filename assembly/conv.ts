import { checkRange } from "./common";

// Short runs (a conv row is often 10-30 floats) are copied, added and cleared with
// plain loops: a bulk-memory call per row costs more than the row.
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}
@inline function addRun(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), load<f32>(dst + (<usize>i << 2)) + load<f32>(src + (<usize>i << 2)));
}
@inline function zeroRun(dst: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), 0);
}

// Convolution is unfold (im2col) + the packed GEMM; its adjoint fold
// (col2im) carries gradients back. Both read a geometry block `geo` of i32:
//   [C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, outH, outW]
// Positions outside the input read as 0 (zero padding).

// cols [C*kh*kw, batch*outH*outW] <- x [batch, C, H, W]: row by row, each row written in order
// across the batch (image by image, the rows are a power of two apart and each image would write
// a short piece of every one of them).
export function unfold(x: usize, cols: usize, geo: usize, batch: i32): void {
  walkWindows(x, cols, geo, batch, false);
}

// x [batch, C, H, W] += cols [C*kh*kw, batch*outH*outW] summed back to the positions they were read
// from, reading cols in the order unfold writes it.
export function fold(cols: usize, x: usize, geo: usize, batch: i32): void {
  walkWindows(x, cols, geo, batch, true);
}

// The one walk of unfold and its adjoint: every (channel, kernel offset) row of cols, across the
// batch and the output rows, as runs of outW columns; `adjoint` adds the runs back into x.
@inline function walkWindows(x: usize, cols: usize, geo: usize, batch: i32, adjoint: bool): void {
  const C = load<i32>(geo), H = load<i32>(geo, 4), W = load<i32>(geo, 8);
  const kh = load<i32>(geo, 12), kw = load<i32>(geo, 16), sh = load<i32>(geo, 20), sw = load<i32>(geo, 24);
  const ph = load<i32>(geo, 28), pw = load<i32>(geo, 32), dh = load<i32>(geo, 36), dw = load<i32>(geo, 40);
  const oh = load<i32>(geo, 44), ow = load<i32>(geo, 48);
  const planeBytes = <usize>H * <usize>W << 2, imageBytes = <usize>C * planeBytes;
  checkRange(x, <usize>batch * imageBytes);
  checkRange(cols, <usize>(C * kh * kw) * <usize>batch * <usize>(oh * ow) << 2);
  let run = cols;
  for (let c = 0; c < C; c++) {
    for (let ki = 0; ki < kh; ki++) {
      for (let kj = 0; kj < kw; kj++) {
        const ix0 = kj * dw - pw;
        // unit stride: the columns [lo, hi) read one contiguous piece of an input row
        const lo = min(max(-ix0, 0), ow), hi = max(min(W - ix0, ow), lo);
        for (let n = 0; n < batch; n++) {
          const plane = x + <usize>n * imageBytes + <usize>c * planeBytes;
          for (let y = 0; y < oh; y++) {
            const iy = y * sh - ph + ki * dh;
            const row = plane + (<usize>iy * <usize>W << 2);
            if (iy < 0 || iy >= H) {
              if (!adjoint) zeroRun(run, ow);
            } else if (sw == 1) {
              const piece = row + (<usize>(ix0 + lo) << 2), inRun = run + (<usize>lo << 2);
              if (adjoint) {
                addRun(piece, inRun, hi - lo);
              } else {
                zeroRun(run, lo);
                copyRun(inRun, piece, hi - lo);
                zeroRun(run + (<usize>hi << 2), ow - hi);
              }
            } else {
              let ix = ix0;
              for (let xo = 0; xo < ow; xo++) {
                const p = row + (<usize>ix << 2), q = run + (<usize>xo << 2);
                const inside = ix >= 0 && ix < W;
                if (adjoint) {
                  if (inside) store<f32>(p, load<f32>(p) + load<f32>(q));
                } else {
                  store<f32>(q, inside ? load<f32>(p) : 0);
                }
                ix += sw;
              }
            }
            run += <usize>ow << 2;
          }
        }
      }
    }
  }
}

// Max pooling over planes [planes, H, W] with the same geometry (C unused):
// out [planes, outH, outW], idx = the flat index (iy * W + ix) of each max,
// for the backward scatter. Padding never wins (it is -inf); a NaN does.
// Elements at `at` of four windows sw apart (full), or of one window in lane 0.
@inline function gatherWindows(plane: usize, at: i32, sw: i32, full: bool): v128 {
  const p = plane + (<usize>at << 2);
  if (!full) return v128.load32_zero(p);
  if (sw == 1) return v128.load(p);
  const step = <usize>sw << 2;
  let v = v128.load32_zero(p);
  v = v128.load32_lane(p + step, v, 1);
  v = v128.load32_lane(p + 2 * step, v, 2);
  return v128.load32_lane(p + 3 * step, v, 3);
}

// The max (and its flat index) of the window(s) starting at base: take a larger value, or the first NaN.
@inline function windowsMax(plane: usize, base: i32, W: i32, kh: i32, kw: i32, dh: i32, dw: i32, sw: i32, lanes: v128,
  out: usize, idx: usize, full: bool): void {
  let best = gatherWindows(plane, base, sw, full);
  let bi = i32x4.add(i32x4.splat(base), lanes);
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      const at = base + ki * dh * W + kj * dw;
      const v = gatherWindows(plane, at, sw, full);
      const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
      best = v128.bitselect(v, best, take);
      bi = v128.bitselect(i32x4.add(i32x4.splat(at), lanes), bi, take);
    }
  }
  if (full) {
    v128.store(out, best);
    v128.store(idx, i64x2.extend_low_i32x4_s(bi)); // int64 indices
    v128.store(idx, i64x2.extend_high_i32x4_s(bi), 16);
  } else {
    v128.store32_lane(out, best, 0);
    store<i64>(idx, <i64>i32x4.extract_lane(bi, 0));
  }
}

export function max_pool2d(x: usize, out: usize, idx: usize, planes: i32, geo: usize): void {
  const H = load<i32>(geo, 4), W = load<i32>(geo, 8);
  const kh = load<i32>(geo, 12), kw = load<i32>(geo, 16), sh = load<i32>(geo, 20), sw = load<i32>(geo, 24);
  const ph = load<i32>(geo, 28), pw = load<i32>(geo, 32), dh = load<i32>(geo, 36), dw = load<i32>(geo, 40);
  const oh = load<i32>(geo, 44), ow = load<i32>(geo, 48);
  checkRange(out, <usize>planes * <usize>(oh * ow) << 2);
  let o: usize = 0;
  if (ph == 0 && pw == 0 && (oh - 1) * sh + (kh - 1) * dh < H && (ow - 1) * sw + (kw - 1) * dw < W) {
    // every window inside the input: no bounds checks, and four adjacent windows at a time in f32x4
    // (x64 has no conditional move for floats: a scalar select would branch, and mispredict on random data)
    const lanes = i32x4.replace_lane(i32x4.replace_lane(i32x4.replace_lane(i32x4.splat(0), 1, sw), 2, 2 * sw), 3, 3 * sw);
    for (let p = 0; p < planes; p++) {
      const plane = x + (<usize>p * <usize>H * <usize>W << 2);
      for (let y = 0; y < oh; y++) {
        let xo = 0;
        for (; xo + 4 <= ow; xo += 4, o += 4) windowsMax(plane, y * sh * W + xo * sw, W, kh, kw, dh, dw, sw, lanes, out + (o << 2), idx + (o << 3), true);
        for (; xo < ow; xo++, o++) windowsMax(plane, y * sh * W + xo * sw, W, kh, kw, dh, dw, sw, lanes, out + (o << 2), idx + (o << 3), false);
      }
    }
    return;
  }
  for (let p = 0; p < planes; p++) {
    const plane = x + (<usize>p * <usize>H * <usize>W << 2);
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        let best: f32 = -Infinity;
        let bi = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = y * sh - ph + ki * dh;
          if (iy < 0 || iy >= H) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = xo * sw - pw + kj * dw;
            if (ix < 0 || ix >= W) continue;
            const v = load<f32>(plane + (<usize>(iy * W + ix) << 2));
            if (v > best || v != v || bi < 0) { best = v; bi = iy * W + ix; }
            if (v != v) break;
          }
          if (best != best) break;
        }
        store<f32>(out + (o << 2), best);
        store<i64>(idx + (o << 3), <i64>bi);
        o++;
      }
    }
  }
}

// Adaptive average pooling: output cell (i, j) averages rows
// [floor(i H / oh), ceil((i + 1) H / oh)) and the same for columns.
// adjoint = 1 spreads out [planes, oh, ow] back over x instead (x += g / count).
export function adaptive_avg_pool2d(x: usize, out: usize, planes: i32, H: i32, W: i32, oh: i32, ow: i32, adjoint: i32): void {
  let o: usize = 0;
  for (let p = 0; p < planes; p++) {
    const plane = x + (<usize>p * <usize>H * <usize>W << 2);
    for (let i = 0; i < oh; i++) {
      const y0 = <i32>Math.floor(<f64>i * H / oh), y1 = <i32>Math.ceil(<f64>(i + 1) * H / oh);
      for (let j = 0; j < ow; j++) {
        const x0 = <i32>Math.floor(<f64>j * W / ow), x1 = <i32>Math.ceil(<f64>(j + 1) * W / ow);
        const count = <f32>((y1 - y0) * (x1 - x0));
        if (adjoint) {
          const g = load<f32>(out + (o << 2)) / count;
          for (let y = y0; y < y1; y++)
            for (let xx = x0; xx < x1; xx++) {
              const q = plane + (<usize>(y * W + xx) << 2);
              store<f32>(q, load<f32>(q) + g);
            }
        } else {
          let s: f32 = 0;
          for (let y = y0; y < y1; y++)
            for (let xx = x0; xx < x1; xx++) s += load<f32>(plane + (<usize>(y * W + xx) << 2));
          store<f32>(out + (o << 2), s / count);
        }
        o++;
      }
    }
  }
}
