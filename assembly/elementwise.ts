import { checkRange, startRows, nextRow, rowStep } from "./common";
import { exp4, sigmoid4, tanh4, exp32, sigmoid32, tanh32 } from "./activations";

// Unary op codes (read by the JS side from the exported globals).
export const U_NEG: i32 = 0;
export const U_EXP: i32 = 1;
export const U_LOG: i32 = 2;
export const U_SQRT: i32 = 3;
export const U_ABS: i32 = 4;
export const U_SIGMOID: i32 = 5;
export const U_TANH: i32 = 6;
export const U_RELU: i32 = 7;
export const U_SIN: i32 = 8;
export const U_COS: i32 = 9;
export const U_RECIPROCAL: i32 = 10;
export const U_SQUARE: i32 = 11;
export const U_LEAKY_RELU: i32 = 12; // p0 = negative slope
export const U_GELU: i32 = 13;
export const U_SOFTPLUS: i32 = 14; // p0 = beta, p1 = threshold
export const U_SILU: i32 = 15;
export const U_CLAMP: i32 = 16; // p0 = min, p1 = max (NaN = no bound)
export const U_SIGN: i32 = 17;
export const U_ERF: i32 = 18;
export const U_LOG1P: i32 = 19;
export const U_EXPM1: i32 = 20;
export const U_FLOOR: i32 = 21;
export const U_CEIL: i32 = 22;
export const U_ROUND: i32 = 23;
export const U_LOGICAL_NOT: i32 = 24;
export const U_TAN: i32 = 25;
export const U_ASIN: i32 = 26;
export const U_ACOS: i32 = 27;
export const U_ATAN: i32 = 28;
export const U_LOG2: i32 = 29;
export const U_LOG10: i32 = 30;
export const U_LGAMMA: i32 = 31;
export const U_DIGAMMA: i32 = 32;
export const U_TRIGAMMA: i32 = 33;

const LANCZOS: StaticArray<f64> = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
// log|Gamma(x)| by Lanczos' approximation (g = 7, 9 terms, ~1e-15 relative), reflected below 1/2
function lgamma64(x: f64): f64 {
  if (x != x) return x;
  if (x < 0.5) {
    if (x == Math.floor(x)) return Infinity; // the poles at 0, -1, -2, ... (and -inf)
    const s = Math.sin(Math.PI * x);
    return Math.log(Math.PI / Math.abs(s)) - lgamma64(1.0 - x);
  }
  if (x == Infinity) return Infinity;
  const z = x - 1.0;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + <f64>i);
  return 0.9189385332046727 + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
// digamma: reflection below 0, the recurrence up to 6, then the asymptotic series (PyTorch: -inf at 0, NaN at the negative integers)
function digamma64(x: f64): f64 {
  if (x != x || x == Infinity) return x;
  if (x == 0) return 1.0 / x < 0 ? Infinity : -Infinity; // -inf at +0, +inf at -0, as PyTorch's
  if (x < 0) {
    if (x == Math.floor(x)) return NaN;
    return digamma64(1.0 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let r: f64 = 0;
  while (x < 6) { r -= 1.0 / x; x += 1; }
  const f = 1.0 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132)))));
}
// trigamma (digamma's derivative): reflection, recurrence, asymptotic series
function trigamma64(x: f64): f64 {
  if (x != x || x == -Infinity) return NaN;
  if (x <= 0 && x == Math.floor(x)) return Infinity;
  if (x < 0) {
    const s = Math.sin(Math.PI * x);
    return -trigamma64(1.0 - x) + Math.PI * Math.PI / (s * s);
  }
  let r: f64 = 0;
  while (x < 6) { r += 1.0 / (x * x); x += 1; }
  const f = 1.0 / (x * x);
  return r + 1.0 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30))));
}

// Abramowitz-Stegun 7.1.26 is too coarse for gelu's 1e-6 agreement with
// PyTorch; this uses the f64 erf from a rational approximation (W. J. Cody).
function erf64(x: f64): f64 {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const num = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const den = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return x * num / den;
  }
  let r: f64;
  if (ax < 4.0) {
    const num = (((((((2.15311535474403846e-8 * ax + 0.564188496988670089) * ax + 8.88314979438837594) * ax + 66.1191906371416295) * ax + 298.635138197400131) * ax + 881.952221241769090) * ax + 1712.04761263407058) * ax + 2051.07837782607147) * ax + 1230.33935479799725;
    const den = (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax + 1621.38957456669019) * ax + 3290.79923573345963) * ax + 4362.61909014324716) * ax + 3439.36767414372164) * ax + 1230.33935480374942;
    r = Math.exp(-ax * ax) * num / den;
  } else {
    const z = 1.0 / (ax * ax);
    const num = ((((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) * z + 6.58749161529837803e-4;
    const den = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191) * z + 2.33520497626869185e-3;
    r = Math.exp(-ax * ax) / ax * (0.564189583547756287 - z * num / den);
  }
  r = 1.0 - r;
  return x < 0 ? -r : r;
}
export function erf(x: f64): f64 { return erf64(x); }

@inline function unaryScalar(op: i32, x: f32, p0: f32, p1: f32): f32 {
  switch (op) {
    case U_NEG: return -x;
    case U_EXP: return exp32(x);
    case U_LOG: return Mathf.log(x);
    case U_SQRT: return Mathf.sqrt(x);
    case U_ABS: return Mathf.abs(x);
    case U_SIGMOID: return sigmoid32(x);
    case U_TANH: return tanh32(x);
    case U_RELU: return x > 0 ? x : (x != x ? x : 0);
    case U_SIN: return <f32>Math.sin(<f64>x);
    case U_COS: return <f32>Math.cos(<f64>x);
    case U_RECIPROCAL: return 1.0 / x;
    case U_SQUARE: return x * x;
    case U_LEAKY_RELU: return x > 0 ? x : x * p0;
    case U_GELU: return <f32>(0.5 * <f64>x * (1.0 + erf64(<f64>x * 0.7071067811865476)));
    case U_SOFTPLUS: {
      const bx = x * p0;
      return bx > p1 ? x : <f32>(Math.log1p(Math.exp(<f64>bx)) / <f64>p0);
    }
    case U_SILU: return <f32>(<f64>x / (1.0 + Math.exp(-<f64>x)));
    case U_CLAMP: {
      let y = x;
      if (y < p0) y = p0; // comparisons with NaN bounds are false: no bound
      if (y > p1) y = p1;
      return y;
    }
    case U_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0); // sign(nan) and sign(-0) are 0, as PyTorch's
    case U_ERF: return <f32>erf64(<f64>x);
    case U_LOG1P: return <f32>Math.log1p(<f64>x);
    case U_EXPM1: return <f32>Math.expm1(<f64>x);
    case U_FLOOR: return Mathf.floor(x);
    case U_CEIL: return Mathf.ceil(x);
    case U_ROUND: return nearest<f32>(x);
    case U_LOGICAL_NOT: return x == 0 ? 1 : 0;
    case U_TAN: return <f32>Math.tan(<f64>x);
    case U_ASIN: return <f32>Math.asin(<f64>x);
    case U_ACOS: return <f32>Math.acos(<f64>x);
    case U_ATAN: return <f32>Math.atan(<f64>x);
    case U_LOG2: return <f32>Math.log2(<f64>x);
    case U_LOG10: return <f32>Math.log10(<f64>x);
    case U_LGAMMA: return <f32>lgamma64(<f64>x);
    case U_DIGAMMA: return <f32>digamma64(<f64>x);
    case U_TRIGAMMA: return <f32>trigamma64(<f64>x);
  }
  return x;
}

// Ops with an exact f32x4 form take the vector body; the rest are scalar.
@inline function hasVector(op: i32): bool {
  return op == U_NEG || op == U_ABS || op == U_RELU || op == U_SQRT || op == U_SQUARE ||
    op == U_RECIPROCAL || op == U_LEAKY_RELU || op == U_CLAMP || op == U_EXP || op == U_SIGMOID || op == U_TANH;
}

@inline function unaryVector(op: i32, x: v128, p0: f32, p1: f32): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_RELU: return f32x4.pmax(x, f32x4.splat(0)); // pmax keeps x when x is NaN
    case U_SQRT: return f32x4.sqrt(x);
    case U_SQUARE: return f32x4.mul(x, x);
    case U_EXP: return exp4(x);
    case U_SIGMOID: return sigmoid4(x);
    case U_TANH: return tanh4(x);
    case U_RECIPROCAL: return f32x4.div(f32x4.splat(1), x);
    case U_LEAKY_RELU: {
      const pos = f32x4.gt(x, f32x4.splat(0));
      return v128.bitselect(x, f32x4.mul(x, f32x4.splat(p0)), pos);
    }
    case U_CLAMP: {
      let y = x;
      if (p0 == p0) y = f32x4.pmax(y, f32x4.splat(p0));
      if (p1 == p1) y = f32x4.pmin(y, f32x4.splat(p1));
      return y;
    }
  }
  return x;
}

@inline function unaryLoop(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  let i = 0;
  if (hasVector(op)) {
    // four independent vectors per iteration: exp, sigmoid and tanh are long dependency chains
    // that one vector at a time leaves latency-bound (sigmoid 1.8 -> 1.0 ns per element)
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const y0 = unaryVector(op, v128.load(x + o), p0, p1), y1 = unaryVector(op, v128.load(x + o, 16), p0, p1);
      const y2 = unaryVector(op, v128.load(x + o, 32), p0, p1), y3 = unaryVector(op, v128.load(x + o, 48), p0, p1);
      v128.store(out + o, y0); v128.store(out + o, y1, 16); v128.store(out + o, y2, 32); v128.store(out + o, y3, 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, unaryVector(op, v128.load(x + o), p0, p1));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, unaryScalar(op, load<f32>(x + o), p0, p1));
  }
}

// out[i] = op(x[i]) over n contiguous floats (x may equal out).
export function unary(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  checkRange(x, <usize>n << 2);
  checkRange(out, <usize>n << 2);
  // One function per op, each with unaryLoop inlined for its constant op: cases that inline it
  // directly differ only in that constant, and Binaryen folds them into one loop that
  // dispatches on op for every vector (unary ops ran at ~60% of memory speed).
  switch (op) {
    case U_NEG: unaryNeg(x, out, n, p0, p1); break;
    case U_EXP: unaryExp(x, out, n, p0, p1); break;
    case U_LOG: unaryLog(x, out, n, p0, p1); break;
    case U_SQRT: unarySqrt(x, out, n, p0, p1); break;
    case U_ABS: unaryAbs(x, out, n, p0, p1); break;
    case U_SIGMOID: unarySigmoid(x, out, n, p0, p1); break;
    case U_TANH: unaryTanh(x, out, n, p0, p1); break;
    case U_RELU: unaryRelu(x, out, n, p0, p1); break;
    case U_SIN: unarySin(x, out, n, p0, p1); break;
    case U_COS: unaryCos(x, out, n, p0, p1); break;
    case U_RECIPROCAL: unaryReciprocal(x, out, n, p0, p1); break;
    case U_SQUARE: unarySquare(x, out, n, p0, p1); break;
    case U_LEAKY_RELU: unaryLeakyRelu(x, out, n, p0, p1); break;
    case U_GELU: unaryGelu(x, out, n, p0, p1); break;
    case U_SOFTPLUS: unarySoftplus(x, out, n, p0, p1); break;
    case U_SILU: unarySilu(x, out, n, p0, p1); break;
    case U_CLAMP: unaryClamp(x, out, n, p0, p1); break;
    default: unaryLoop(op, x, out, n, p0, p1);
  }
}
function unaryNeg(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_NEG, x, out, n, p0, p1); }
function unaryExp(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_EXP, x, out, n, p0, p1); }
function unaryLog(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_LOG, x, out, n, p0, p1); }
function unarySqrt(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SQRT, x, out, n, p0, p1); }
function unaryAbs(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_ABS, x, out, n, p0, p1); }
function unarySigmoid(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SIGMOID, x, out, n, p0, p1); }
function unaryTanh(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_TANH, x, out, n, p0, p1); }
function unaryRelu(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_RELU, x, out, n, p0, p1); }
function unarySin(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SIN, x, out, n, p0, p1); }
function unaryCos(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_COS, x, out, n, p0, p1); }
function unaryReciprocal(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_RECIPROCAL, x, out, n, p0, p1); }
function unarySquare(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SQUARE, x, out, n, p0, p1); }
function unaryLeakyRelu(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_LEAKY_RELU, x, out, n, p0, p1); }
function unaryGelu(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_GELU, x, out, n, p0, p1); }
function unarySoftplus(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SOFTPLUS, x, out, n, p0, p1); }
function unarySilu(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_SILU, x, out, n, p0, p1); }
function unaryClamp(x: usize, out: usize, n: i32, p0: f32, p1: f32): void { unaryLoop(U_CLAMP, x, out, n, p0, p1); }

// Binary op codes.
export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;
export const B_POW: i32 = 4;
export const B_MAX: i32 = 5;
export const B_MIN: i32 = 6;
export const B_GT: i32 = 7;
export const B_LT: i32 = 8;
export const B_GE: i32 = 9;
export const B_LE: i32 = 10;
export const B_EQ: i32 = 11;
export const B_NE: i32 = 12;
export const B_AND: i32 = 13;
export const B_OR: i32 = 14;
// int64 only (binary_i64): division rounded toward zero and toward -inf (the JS side refuses a zero divisor)
export const I64_TRUNC_DIV: i32 = 15;
export const I64_FLOOR_DIV: i32 = 16;
export const B_ATAN2: i32 = 18; // atan2(a, b): the angle of the point (b, a)
export const I64_POW: i32 = 17; // by squaring, wrapping; a negative exponent gives 1/a truncated (the JS side refuses a negative number)

@inline function binaryScalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: {
      if (b == 2) return a * a;
      // C's pow, as PyTorch: 1^y = 1 and (-1)^(+-inf) = 1, where Math.pow (JS semantics) gives NaN
      if (a == 1 || (a == -1 && Mathf.abs(b) == Infinity)) return 1;
      return <f32>Math.pow(<f64>a, <f64>b);
    }
    case B_MAX: return a != a || b != b ? a + b : (a > b ? a : b);
    case B_MIN: return a != a || b != b ? a + b : (a < b ? a : b);
    case B_GT: return a > b ? 1 : 0;
    case B_LT: return a < b ? 1 : 0;
    case B_GE: return a >= b ? 1 : 0;
    case B_LE: return a <= b ? 1 : 0;
    case B_EQ: return a == b ? 1 : 0;
    case B_NE: return a != b ? 1 : 0;
    case B_AND: return a != 0 && b != 0 ? 1 : 0;
    case B_OR: return a != 0 || b != 0 ? 1 : 0;
    case B_ATAN2: return <f32>Math.atan2(<f64>a, <f64>b);
  }
  return 0;
}

@inline function hasVectorBinary(op: i32): bool {
  return op != B_POW && op != B_AND && op != B_OR && op != B_ATAN2;
}

@inline function binaryVector(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b); // wasm max propagates NaN, like torch.maximum
    case B_MIN: return f32x4.min(a, b);
    case B_GT: return v128.and(f32x4.gt(a, b), one);
    case B_LT: return v128.and(f32x4.lt(a, b), one);
    case B_GE: return v128.and(f32x4.ge(a, b), one);
    case B_LE: return v128.and(f32x4.le(a, b), one);
    case B_EQ: return v128.and(f32x4.eq(a, b), one);
    case B_NE: return v128.and(f32x4.ne(a, b), one);
  }
  return a;
}

// One row of n elements; strides sa, sb are 0 or 1 in the vector cases.
@inline function binaryRow(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  let i = 0;
  if (hasVectorBinary(op)) {
    if (sa == 1 && sb == 1) {
      // four vectors an iteration: ~7% more bandwidth than one on 1M floats
      for (; i + 16 <= n; i += 16) {
        const o = <usize>i << 2;
        const r0 = binaryVector(op, v128.load(a + o), v128.load(b + o));
        const r1 = binaryVector(op, v128.load(a + o, 16), v128.load(b + o, 16));
        const r2 = binaryVector(op, v128.load(a + o, 32), v128.load(b + o, 32));
        const r3 = binaryVector(op, v128.load(a + o, 48), v128.load(b + o, 48));
        v128.store(out + o, r0); v128.store(out + o, r1, 16); v128.store(out + o, r2, 32); v128.store(out + o, r3, 48);
      }
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryVector(op, v128.load(a + o), v128.load(b + o)));
      }
    } else if (sa == 1 && sb == 0) {
      const vb = v128.load32_splat(b);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryVector(op, v128.load(a + o), vb));
      }
    } else if (sa == 0 && sb == 1) {
      const va = v128.load32_splat(a);
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        v128.store(out + o, binaryVector(op, va, v128.load(b + o)));
      }
    }
  }
  const sab = <usize>sa << 2, sbb = <usize>sb << 2;
  let pa = a + <usize>i * sab, pb = b + <usize>i * sbb;
  for (; i < n; i++) {
    store<f32>(out + (<usize>i << 2), binaryScalar(op, load<f32>(pa), load<f32>(pb)));
    pa += sab; pb += sbb;
  }
}

// out (contiguous, shape meta[0..nd)) = op(a, b) where a and b are read with
// element strides meta[nd..2nd) and meta[2nd..3nd) (0 for broadcast dims).
// meta[3nd..4nd) is scratch for the index counter.
@inline function binaryStrided(op: i32, a: usize, b: usize, out: usize, nd: i32, meta: usize): void {
  const last = nd - 1;
  const n = load<i32>(meta + (<usize>last << 2));
  const sa = load<i32>(meta + (<usize>(nd + last) << 2));
  const sb = load<i32>(meta + (<usize>(2 * nd + last) << 2));
  const counter = meta + (<usize>(3 * nd) << 2);
  const rows = startRows(meta, nd, counter);
  let offA: isize = 0, offB: isize = 0;
  let po = out;
  for (let r = 0; r < rows; r++) {
    binaryRow(op, a + (offA << 2), sa, b + (offB << 2), sb, po, n);
    po += <usize>n << 2;
    const d = nextRow(meta, nd, counter);
    if (d >= 0) {
      offA += rowStep(meta, nd, 1, d);
      offB += rowStep(meta, nd, 2, d);
    }
  }
}

export function binary(op: i32, a: usize, b: usize, out: usize, nd: i32, meta: usize): void {
  switch (op) {
    case B_ADD: binaryStrided(B_ADD, a, b, out, nd, meta); break;
    case B_SUB: binaryStrided(B_SUB, a, b, out, nd, meta); break;
    case B_MUL: binaryStrided(B_MUL, a, b, out, nd, meta); break;
    case B_DIV: binaryStrided(B_DIV, a, b, out, nd, meta); break;
    case B_POW: binaryStrided(B_POW, a, b, out, nd, meta); break;
    case B_MAX: binaryStrided(B_MAX, a, b, out, nd, meta); break;
    case B_MIN: binaryStrided(B_MIN, a, b, out, nd, meta); break;
    default: binaryStrided(op, a, b, out, nd, meta);
  }
}

// out = cond ? a : b over n contiguous elements (all already broadcast).
export function where(cond: usize, a: usize, b: usize, out: usize, n: i32): void {
  checkRange(out, <usize>n << 2);
  let i = 0;
  const zero = f32x4.splat(0);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const m = f32x4.ne(v128.load(cond + o), zero);
    v128.store(out + o, v128.bitselect(v128.load(a + o), v128.load(b + o), m));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(cond + o) != 0 ? load<f32>(a + o) : load<f32>(b + o));
  }
}

// int64 arithmetic and comparisons, exact (PyTorch's integer ops wrap on overflow, as i64 does): a and b int64,
// out int64, or float 0/1 for the comparisons (bool). Same meta and strides as binary.
@inline function binaryInt64(op: i32, a: i64, b: i64): i64 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_MAX: return a > b ? a : b;
    case B_MIN: return a < b ? a : b;
    case I64_TRUNC_DIV: return b == -1 ? -a : a / b; // i64.div_s traps on MIN / -1; PyTorch's wraps
    case I64_POW: {
      if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
      let r: i64 = 1, base = a, e = b;
      while (e > 0) {
        if (e & 1) r *= base;
        base *= base;
        e >>= 1;
      }
      return r;
    }
    case I64_FLOOR_DIV: {
      if (b == -1) return -a;
      const q = a / b;
      return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }
  }
  return 0;
}

@inline function compareInt64(op: i32, a: i64, b: i64): bool {
  switch (op) {
    case B_GT: return a > b;
    case B_LT: return a < b;
    case B_GE: return a >= b;
    case B_LE: return a <= b;
    case B_EQ: return a == b;
    case B_NE: return a != b;
  }
  return false;
}

export function binary_i64(op: i32, a: usize, b: usize, out: usize, nd: i32, meta: usize): void {
  const compare = op >= B_GT && op <= B_NE;
  const last = nd - 1;
  const n = load<i32>(meta + (<usize>last << 2));
  const sa = <usize>load<i32>(meta + (<usize>(nd + last) << 2)) << 3;
  const sb = <usize>load<i32>(meta + (<usize>(2 * nd + last) << 2)) << 3;
  const counter = meta + (<usize>(3 * nd) << 2);
  const rows = startRows(meta, nd, counter);
  let offA: isize = 0, offB: isize = 0, k: usize = 0;
  for (let r = 0; r < rows; r++) {
    let pa = a + (offA << 3), pb = b + (offB << 3);
    for (let i = 0; i < n; i++, k++) {
      const x = load<i64>(pa), y = load<i64>(pb);
      if (compare) store<f32>(out + (k << 2), compareInt64(op, x, y) ? 1 : 0);
      else store<i64>(out + (k << 3), binaryInt64(op, x, y));
      pa += sa; pb += sb;
    }
    const d = nextRow(meta, nd, counter);
    if (d >= 0) {
      offA += rowStep(meta, nd, 1, d);
      offB += rowStep(meta, nd, 2, d);
    }
  }
}
