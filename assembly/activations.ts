// Not re-exported by index.ts: these take v128, which JS cannot call.
// sigmoid and tanh in f32x4 (a few ulp, as PyTorch's vectorised float
// versions): the unary ops and the fused recurrent cells share them, and a
// scalar is computed in lane 0, so every element rounds alike wherever it sits.
// exp: x = n ln2 + r (ln 2 split so n ln2 is exact), e^r = 1 + r q(r) with q a degree-5
// polynomial fitted here for least maximum relative error on [-ln2/2, ln2/2] (1e-9, far below
// float rounding), by Horner's rule (the unary loop runs four vectors at once, which hides its
// latency); then 2^n applied in two halves so that overflow gives inf and underflow rounds
// gradually to subnormals and 0.
// The constants live in static memory: V8 rebuilds a v128.const on every loop
// iteration (a move, a broadcast) where a broadcast load is one instruction.
// 12583039 = 1.5 * 2^23 + 127: adding it rounds to an integer n held in the low mantissa bits,
// already carrying the exponent bias, so a shift by 23 makes the float 2^n.
const EXP = memory.data<f32>([-104, 89, 1.44269504088896341, 12583039, -0.693359375, 2.12194440e-4,
  1.0, 0.4999999403953552, 0.16666431725025177, 0.04166800156235695, 0.00837415549904108, 0.0013843653723597527, 1]);
@inline function c(table: usize, i: i32): v128 { return v128.load32_splat(table + (<usize>i << 2)); }

// q(r) = (e^r - 1) / r
@inline function expQ(r: v128): v128 {
  let q = f32x4.add(f32x4.mul(c(EXP, 11), r), c(EXP, 10));
  q = f32x4.add(f32x4.mul(q, r), c(EXP, 9));
  q = f32x4.add(f32x4.mul(q, r), c(EXP, 8));
  q = f32x4.add(f32x4.mul(q, r), c(EXP, 7));
  return f32x4.add(f32x4.mul(q, r), c(EXP, 6));
}
// t = x log2e + 12583039 (n in its low bits) and r = x - n ln2
@inline function expReduce(x: v128, t: v128): v128 {
  const n = f32x4.sub(t, c(EXP, 3));
  const r = f32x4.add(f32x4.mul(n, c(EXP, 4)), x);
  return f32x4.add(f32x4.mul(n, c(EXP, 5)), r);
}

@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, c(EXP, 0)), c(EXP, 1)); // pmin/pmax are one instruction each and keep NaN
  // (nearest and trunc_sat are multi-instruction sequences in V8)
  const t = f32x4.add(f32x4.mul(x, c(EXP, 2)), c(EXP, 3));
  const r = expReduce(x, t);
  const p = f32x4.add(f32x4.mul(r, expQ(r)), c(EXP, 12));
  const ni = i32x4.sub(t, c(EXP, 3));
  const half = i32x4.shr_s(ni, 1), rest = i32x4.sub(ni, half); // each in [-75, 64]: a normal power of two
  const bias = i32x4.splat(127);
  return f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(half, bias), 23)), i32x4.shl(i32x4.add(rest, bias), 23));
}
// e^z for z <= 0 (or NaN), as sigmoid and tanh need it: no overflow to guard and results
// below the smallest normal float (z < -87.3) flushed to 0, so 2^n is one normal power of
// two, s, and e^z = s + (r s) q(r). Cheaper than exp4 by its clamps and second scaling.
@inline function expNonPositive4(z: v128): v128 {
  const t = f32x4.add(f32x4.mul(z, c(EXP, 2)), c(EXP, 3));
  const s = i32x4.shl(t, 23);
  const r = expReduce(z, t);
  const e = f32x4.add(f32x4.mul(f32x4.mul(r, s), expQ(r)), s);
  // z < -87.3 (false for NaN, which stays NaN) gives 0
  return v128.andnot(e, f32x4.lt(z, c(SIG, 0)));
}
const SIG = memory.data<f32>([-87.3, 0, -0.0]);

// e = exp(-|x|) <= 1, then sigmoid(x) = e / (1 + e) for x <= 0 and 1 / (1 + e) for x > 0
@inline export function sigmoid4(x: v128): v128 {
  const e = expNonPositive4(v128.or(x, c(SIG, 2))); // -|x|: the sign bit set
  const one = c(EXP, 12);
  // the numerator: e <= 1 raised to 1 where x > 0 (pmax keeps a NaN e), one op cheaper than a select
  return f32x4.div(f32x4.pmax(e, v128.and(f32x4.gt(x, c(SIG, 1)), one)), f32x4.add(e, one));
}
const TANH = memory.data<f32>([-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1,
  -3.33332819422e-1, 1, 2, 0.625, -0.0]);
// Cephes' tanhf: an odd polynomial below |x| = 0.625; above, (1 - e) / (1 + e) with
// e = exp(-2|x|) (Cephes' 1 - 2 / (exp(2|x|) + 1), without the overflow); then x's sign.
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x), z = f32x4.mul(x, x);
  let p = c(TANH, 0);
  p = f32x4.add(f32x4.mul(p, z), c(TANH, 1));
  p = f32x4.add(f32x4.mul(p, z), c(TANH, 2));
  p = f32x4.add(f32x4.mul(p, z), c(TANH, 3));
  p = f32x4.add(f32x4.mul(p, z), c(TANH, 4));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), ax), ax);
  const one = c(TANH, 5);
  const e = expNonPositive4(f32x4.neg(f32x4.add(ax, ax)));
  const large = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  // both computed for |x|, then x's sign (tanh(-0) = -0)
  return v128.or(v128.bitselect(small, large, f32x4.lt(ax, c(TANH, 7))), v128.and(x, c(TANH, 8)));
}
@inline export function exp32(x: f32): f32 { return f32x4.extract_lane(exp4(f32x4.splat(x)), 0); }
@inline export function sigmoid32(x: f32): f32 { return f32x4.extract_lane(sigmoid4(f32x4.splat(x)), 0); }
@inline export function tanh32(x: f32): f32 { return f32x4.extract_lane(tanh4(f32x4.splat(x)), 0); }
