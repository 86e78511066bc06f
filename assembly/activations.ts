// Not re-exported by index.ts: these take v128, which JS cannot call.
// sigmoid and tanh in f32x4 (a few ulp, as PyTorch's vectorised float
// versions): the unary ops and the fused recurrent cells share them, and a
// scalar is computed in lane 0, so every element rounds alike wherever it sits.
// exp is Cephes' expf: x = n ln2 + r (ln 2 split so n ln2 is exact), a
// degree-6 polynomial for e^r, then 2^n applied in two halves so that
// overflow gives inf and underflow rounds gradually to subnormals and 0.
// The constants live in static memory: V8 rebuilds a v128.const on every loop
// iteration (a move, a broadcast) where a broadcast load is one instruction.
const EXP = memory.data<f32>([-104, 89, 1.44269504088896341, 12582912, 0.693359375, -2.12194440e-4,
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, 1]);
@inline function c(table: usize, i: i32): v128 { return v128.load32_splat(table + (<usize>i << 2)); }

// e^r on [-ln2/2, ln2/2]: Cephes' 1 + r + r^2 (c0 r^5 + ... + c5), the inner polynomial by
// Estrin's scheme (three pairs in parallel): these functions are latency-bound, and Horner's
// chain made sigmoid 15% slower
@inline function expPolynomial(r: v128): v128 {
  const r2 = f32x4.mul(r, r);
  const q0 = f32x4.add(f32x4.mul(c(EXP, 10), r), c(EXP, 11));
  const q1 = f32x4.add(f32x4.mul(c(EXP, 8), r), c(EXP, 9));
  const q2 = f32x4.add(f32x4.mul(c(EXP, 6), r), c(EXP, 7));
  const p5 = f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(q2, r2), q1), r2), q0);
  return f32x4.add(f32x4.mul(p5, r2), f32x4.add(r, c(EXP, 12)));
}

@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, c(EXP, 0)), c(EXP, 1)); // pmin/pmax are one instruction each and keep NaN
  // n = round(x log2 e) by adding 1.5 * 2^23: n sits in the low mantissa bits of t (nearest and
  // trunc_sat are multi-instruction sequences in V8)
  const t = f32x4.add(f32x4.mul(x, c(EXP, 2)), c(EXP, 3));
  const n = f32x4.sub(t, c(EXP, 3));
  let r = f32x4.sub(x, f32x4.mul(n, c(EXP, 4)));
  r = f32x4.sub(r, f32x4.mul(n, c(EXP, 5)));
  const p = expPolynomial(r);
  const ni = i32x4.sub(t, c(EXP, 3));
  const half = i32x4.shr_s(ni, 1), rest = i32x4.sub(ni, half); // each in [-75, 64]: a normal power of two
  const bias = i32x4.splat(127);
  return f32x4.mul(f32x4.mul(p, i32x4.shl(i32x4.add(half, bias), 23)), i32x4.shl(i32x4.add(rest, bias), 23));
}
// e^z for z <= 0 (or NaN), as sigmoid and tanh need it: no overflow to guard and results
// below the smallest normal float (z < -87.3) flushed to 0, so 2^n is one normal power of
// two. Cheaper than exp4 by its clamps and second scaling.
@inline function expNonPositive4(z: v128): v128 {
  const t = f32x4.add(f32x4.mul(z, c(EXP, 2)), c(EXP, 3));
  const n = f32x4.sub(t, c(EXP, 3));
  let r = f32x4.sub(z, f32x4.mul(n, c(EXP, 4)));
  r = f32x4.sub(r, f32x4.mul(n, c(EXP, 5)));
  const p = expPolynomial(r);
  const scale = i32x4.shl(i32x4.add(i32x4.sub(t, c(EXP, 3)), i32x4.splat(127)), 23);
  // z < -87.3 (false for NaN, which stays NaN) gives 0
  return v128.andnot(f32x4.mul(p, scale), f32x4.lt(z, c(SIG, 0)));
}
const SIG = memory.data<f32>([-87.3, 0]);

// sigmoid(-|x|) = e / (1 + e) with e = exp(-|x|) <= 1, then 1 - that for x > 0
@inline export function sigmoid4(x: v128): v128 {
  const e = expNonPositive4(f32x4.neg(f32x4.abs(x)));
  const s = f32x4.div(e, f32x4.add(e, c(EXP, 12)));
  return v128.bitselect(f32x4.sub(c(EXP, 12), s), s, f32x4.gt(x, c(SIG, 1)));
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
