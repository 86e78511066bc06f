import { checkRange } from "./common";

// C[M,N] = A[M,K] @ B[K,N] (+ C when beta = 1). A and B are read through
// element strides, so transposed operands cost no copy: they are packed from
// strides into panels, and a 4x8 register-blocked f32x4 micro-kernel (8
// accumulators; 6x8 spills V8's 16 xmm registers) runs over the panels.
// Blocking: KC rows of K share a packed B block of KC x NC (L2) and an A
// block of MC x KC (L1/L2).
const MR = 4;
const NR = 8;
export const GEMM_MC: i32 = 64;
export const GEMM_KC: i32 = 320; // the most rows of K in a block: blocks are split evenly up to this

export const GEMM_NC: i32 = 1024;
// scratch needed: packed A + packed B + one edge tile
export const GEMM_SCRATCH_BYTES: i32 = (GEMM_MC * GEMM_KC + GEMM_KC * GEMM_NC + MR * NR) * 4;

// Pack rows [i0, i0+mc) x cols [p0, p0+kc) of A into MR-row panels, k-major,
// zero-padded to a multiple of MR rows.
function packA(a: usize, rsA: i32, csA: i32, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  const step = <usize>csA << 2;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    if (rows == MR && rsA == 1) {
      // A transposed (backward's A^T): the panel's 4 rows are adjacent, one vector per k
      let src = a + ((<usize>(i0 + ip) + <usize>p0 * <usize>csA) << 2);
      for (let k = 0; k < kc; k++) { v128.store(dst + (<usize>k << 4), v128.load(src)); src += step; }
    } else {
      for (let r = 0; r < MR; r++) {
        let d = dst + (<usize>r << 2);
        if (r < rows) {
          let src = a + ((<usize>(i0 + ip + r) * <usize>rsA + <usize>p0 * <usize>csA) << 2);
          for (let k = 0; k < kc; k++) { store<f32>(d, load<f32>(src)); src += step; d += MR << 2; }
        } else {
          for (let k = 0; k < kc; k++) { store<f32>(d, 0); d += MR << 2; }
        }
      }
    }
    dst += <usize>(MR * kc) << 2;
  }
}

// Four columns (colStep bytes apart) of 4 consecutive k at src, written k-major
// into a panel (rows of NR floats): dst[k * NR + c] = column c at k.
@inline function transpose4(src: usize, colStep: usize, dst: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + colStep);
  const r2 = v128.load(src + 2 * colStep), r3 = v128.load(src + 3 * colStep);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  const row = <usize>NR << 2;
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + row, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * row, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * row, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// Pack rows [p0, p0+kc) x cols [j0, j0+nc) of B into NR-column panels.
function packB(b: usize, rsB: i32, csB: i32, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const rowStep = <usize>rsB << 2, colStep = <usize>csB << 2;
  let jp = 0;
  if (csB == 1) {
    // contiguous rows: two panels at a time, so each 64-byte line of B is read once whole (rows a
    // power of two apart share a cache set, and a line's second half would be gone by the next panel)
    const panelBytes = <usize>(NR * kc) << 2;
    for (; jp + 2 * NR <= nc; jp += 2 * NR) {
      let src = b + ((<usize>p0 * <usize>rsB + <usize>(j0 + jp)) << 2);
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst + panelBytes, v128.load(src, 32));
        v128.store(dst + panelBytes, v128.load(src, 48), 16);
        src += rowStep; dst += NR << 2;
      }
      dst += panelBytes;
    }
  }
  for (; jp < nc; jp += NR) {
    const cols = min(NR, nc - jp);
    let src = b + ((<usize>p0 * <usize>rsB + <usize>(j0 + jp) * <usize>csB) << 2);
    if (cols == NR && csB == 1) {
      for (let k = 0; k < kc; k++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rowStep; dst += NR << 2;
      }
    } else if (cols == NR && rsB == 1) {
      // B transposed (linear's W^T): each column is contiguous along k, so 4 k x 4 columns are loaded
      // as four vectors and transposed in registers, for columns 0-3 and 4-7
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        transpose4(src, colStep, dst);
        transpose4(src + 4 * colStep, colStep, dst + 16);
        src += 16; dst += 4 * NR << 2;
      }
      for (; k < kc; k++) {
        let p = src;
        for (let c = 0; c < NR; c++) { store<f32>(dst + (<usize>c << 2), load<f32>(p)); p += colStep; }
        src += 4; dst += NR << 2;
      }
    } else if (cols == NR) {
      // strided both ways: eight column streams
      for (let k = 0; k < kc; k++) {
        let p = src;
        for (let c = 0; c < NR; c++) { store<f32>(dst + (<usize>c << 2), load<f32>(p)); p += colStep; }
        src += rowStep; dst += NR << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        let p = src;
        for (let c = 0; c < NR; c++) {
          store<f32>(dst + (<usize>c << 2), c < cols ? load<f32>(p) : 0);
          if (c < cols) p += colStep;
        }
        src += rowStep; dst += NR << 2;
      }
    }
  }
}

// c + a * b: one fused multiply-add in the relaxed-SIMD build (engines lower it to FMA where the
// CPU has one; on Zen 4 a separate multiply and add are as fast), a multiply then an add otherwise
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// 4x8 tile: c (row stride ldc bytes) = (accumulate ? c : 0) + Ap panel @ Bp panel
@inline function micro(kc: i32, ap: usize, bp: usize, bStep: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap), a1 = v128.load32_splat(ap, 4);
    const a2 = v128.load32_splat(ap, 8), a3 = v128.load32_splat(ap, 12);
    c00 = madd(a0, b0, c00); c01 = madd(a0, b1, c01);
    c10 = madd(a1, b0, c10); c11 = madd(a1, b1, c11);
    c20 = madd(a2, b0, c20); c21 = madd(a2, b1, c21);
    c30 = madd(a3, b0, c30); c31 = madd(a3, b1, c31);
    ap += MR << 2; bp += bStep;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c)); c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc)); c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc)); c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc)); c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

// Rows of K per block: K cut into equal blocks of at most GEMM_KC (a multiple of 4), so that no
// thin remainder block costs a pass over C for a few rows (K = 520: 260 + 260, not 256 + 256 + 8)
@inline function kcBlock(k: i32): i32 {
  if (k <= GEMM_KC) return GEMM_KC;
  const blocks = (k + GEMM_KC - 1) / GEMM_KC;
  return min(GEMM_KC, ((k + blocks - 1) / blocks + 3) & ~3);
}

// Whether kc rows `rowBytes` apart, read in place, stay in L1 (32 KB, 8 ways of 64-byte lines) next
// to A and C: they fall into 4096 / max(gcd(rowBytes, 4096), 64) sets, so a power-of-two stride
// (a convolution's columns: 4096 or 36864 floats) puts every row in one set and thrashes it.
@inline function rowsSpreadOverL1(rowBytes: usize, kc: i32): bool {
  const lowBit = rowBytes & (~rowBytes + 1); // gcd(rowBytes, 4096) for rowBytes not a multiple of 4096
  const g: usize = lowBit == 0 || lowBit > 4096 ? 4096 : max<usize>(lowBit, 64);
  return <usize>kc <= 6 * (4096 / g);
}

// Floats that B [k, n] takes packed whole (every KC x NC block, NR-column panels).
export function gemm_packed_floats(k: i32, n: i32): i32 {
  let total = 0;
  for (let jc = 0; jc < n; jc += GEMM_NC) total += k * ((min(GEMM_NC, n - jc) + NR - 1) / NR * NR);
  return total;
}

// Packs all of B once, in the order gemm_prepacked reads it: for a GEMM
// repeated with the same B (the recurrent weight at every time step).
export function gemm_pack_b(b: usize, rsB: i32, csB: i32, k: i32, n: i32, dst: usize): void {
  checkRange(dst, <usize>gemm_packed_floats(k, n) << 2);
  const kcStep = kcBlock(k);
  for (let jc = 0; jc < n; jc += GEMM_NC) {
    const nc = min(GEMM_NC, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      packB(b, rsB, csB, pc, jc, kc, nc, dst);
      dst += <usize>(kc * ((nc + NR - 1) / NR * NR)) << 2;
    }
  }
}

// C = A @ B, or with beta = 1 C += A @ B, or with a bias (n floats; 0 for none) C = bias + A @ B: each
// thread of a split GEMM writes the bias into its own part of C, where its GEMM then finds it.
export function gemm(m: i32, n: i32, k: i32, a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, beta: i32, scratch: usize, bias: usize): void {
  gemmBlocked(false, m, n, k, a, rsA, csA, b, rsB, csB, c, ldc, beta, scratch, bias);
}

// C = A @ B (+ C) with B packed by gemm_pack_b; scratch needs only packed A and the edge tile.
export function gemm_prepacked(m: i32, n: i32, k: i32, a: usize, rsA: i32, csA: i32, packedB: usize,
  c: usize, ldc: i32, beta: i32, scratch: usize): void {
  gemmBlocked(true, m, n, k, a, rsA, csA, packedB, 0, 0, c, ldc, beta, scratch, 0);
}

@inline function gemmBlocked(prepacked: bool, m: i32, n: i32, k: i32, a: usize, rsA: i32, csA: i32, b: usize, rsB: i32, csB: i32,
  c: usize, ldc: i32, beta: i32, scratch: usize, bias: usize): void {
  checkRange(c, (<usize>(m - 1) * <usize>ldc + <usize>n) << 2);
  checkRange(scratch, prepacked ? <usize>(GEMM_MC * GEMM_KC + MR * NR) << 2 : <usize>GEMM_SCRATCH_BYTES);
  if (m <= 0 || n <= 0) return;
  if (bias != 0) { // C starts as the bias in every row, then accumulates
    checkRange(bias, <usize>n << 2);
    for (let i = 0; i < m; i++) memory.copy(c + (<usize>i * <usize>ldc << 2), bias, <usize>n << 2);
    beta = 1;
  }
  if (k == 0) { // empty sum: C = 0 (or C unchanged)
    if (!beta) for (let i = 0; i < m; i++) memory.fill(c + (<usize>i * <usize>ldc << 2), 0, <usize>n << 2);
    return;
  }
  // scratch: packed A block, edge tile, then (unless prepacked) the packed B block
  const ap = scratch;
  const tile = ap + (<usize>(GEMM_MC * GEMM_KC) << 2);
  let bp = prepacked ? b : tile + (<usize>(MR * NR) << 2);
  const ldcBytes = <usize>ldc << 2;
  const kcStep = kcBlock(k);
  // B with contiguous rows feeding one row block of A is read in place: packing it would cost a
  // write and a read of all of B for panels that are used only once
  const direct = !prepacked && csB == 1 && m <= GEMM_MC && rowsSpreadOverL1(<usize>rsB << 2, kcStep);
  for (let jc = 0; jc < n; jc += GEMM_NC) {
    const nc = min(GEMM_NC, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      const accumulate = pc > 0 || beta != 0;
      if (!prepacked && !direct) packB(b, rsB, csB, pc, jc, kc, nc, bp);
      for (let ic = 0; ic < m; ic += GEMM_MC) {
        const mc = min(GEMM_MC, m - ic);
        packA(a, rsA, csA, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          let bpanel = bp + (<usize>(jr * kc) << 2), bStep = <usize>NR << 2;
          if (direct) {
            if (cols == NR) {
              bpanel = b + ((<usize>pc * <usize>rsB + <usize>(jc + jr)) << 2); bStep = <usize>rsB << 2;
            } else {
              packB(b, rsB, csB, pc, jc + jr, kc, cols, bp); bpanel = bp;
            }
          }
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const apanel = ap + (<usize>(ir * kc) << 2);
            const cptr = c + ((<usize>(ic + ir) * <usize>ldc + <usize>(jc + jr)) << 2);
            if (rows == MR && cols == NR) {
              micro(kc, apanel, bpanel, bStep, cptr, ldcBytes, accumulate);
            } else {
              // edge: compute the full tile into scratch, then add/copy the valid part
              micro(kc, apanel, bpanel, bStep, tile, NR << 2, false);
              for (let r = 0; r < rows; r++) {
                for (let cc = 0; cc < cols; cc++) {
                  const dst = cptr + <usize>r * ldcBytes + (<usize>cc << 2);
                  const v = load<f32>(tile + (<usize>(r * NR + cc) << 2));
                  store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
                }
              }
            }
          }
        }
      }
      if (prepacked) bp += <usize>(kc * ((nc + NR - 1) / NR * NR)) << 2;
    }
  }
}
