// Elementwise ops: each one's forward kernel call, graph edge and local
// derivative together, micrograd style. Derivatives are written with ops, so
// they are differentiable again.
import { op, hotOp } from '../signature.js';
import { Tensor, type TensorOrScalar } from '../tensor.js';
import { type DType, promoteTypes, isIntegral, scalarTypeName } from '../dtype.js';
import { record, no_grad } from '../autograd/engine.js';
import {
  K, codes, tick, empty, ptr, writeMeta, rowMeta, scalarPtr, broadcastShapes, broadcastStrides, collapse,
  asFloat, dense, fromFloat, shapeStr, composite, sameShape, toDtypeRaw, fillInteger, copyInto,
} from './core.js';
import { staticBlock } from '../backend/memory.js';
import { scalarTensor } from './creation.js';
import { applyInPlace } from './inplace.js';

type Unary = (input: Tensor) => Tensor;
type UnaryInPlace = (input: Tensor, inplace?: boolean | { inplace?: boolean }) => Tensor;
/** F.relu(x, inplace) and friends: the op's result written into x when asked. */
const maybeInPlace = (f: Unary) => (x: Tensor, inplace = false): Tensor => (inplace ? applyInPlace(x, f) : f(x));

// ---- unary -------------------------------------------------------------------

function unaryKernel(x: Tensor, op: number, p0 = 0, p1 = 0, outDtype: DType = 'float32'): Tensor {
  const src = dense(asFloat(x));
  tick();
  const out = empty(x.shape.slice(), 'float32');
  const n = out.numel();
  if (n > 0) K.unary(op, ptr(src), ptr(out), n, p0, p1);
  return fromFloat(out, outDtype);
}

/**
 * An elementwise unary op with its derivative as a function of x, y and the
 * output gradient; `reads` says which of x and y the derivative uses (saved).
 */
function unaryKernelOp(code: string, name: string, reads: '' | 'x' | 'y', derivative: (x: Tensor, y: Tensor, g: Tensor) => Tensor): Unary {
  const op = codes[code];
  return (x: Tensor): Tensor => {
    const y = unaryKernel(x, op);
    return record(y, name, [x], (g) => [derivative(x, y, g)], reads === 'x' ? [x] : reads === 'y' ? [y] : []);
  };
}
/** The public unary op `torch.<name>(input)`, declared by its signature (U_EXP is exp). */
function unaryOp(code: string, name: string, reads: '' | 'x' | 'y', derivative: (x: Tensor, y: Tensor, g: Tensor) => Tensor): Unary {
  return hotOp<Unary>(`${code.slice(2).toLowerCase()}(Tensor input) -> Tensor`, unaryKernelOp(code, name, reads, derivative), 1);
}
/** The same with F's `inplace` parameter (relu, silu). */
function unaryOpInPlace(code: string, name: string, reads: '' | 'x' | 'y', derivative: (x: Tensor, y: Tensor, g: Tensor) => Tensor): UnaryInPlace {
  return hotOp<UnaryInPlace>(`${code.slice(2).toLowerCase()}(Tensor input, bool inplace=False) -> Tensor`,
    maybeInPlace(unaryKernelOp(code, name, reads, derivative)), 1);
}

export const neg = hotOp<Unary>('neg(Tensor input) -> Tensor', (x: Tensor): Tensor => {
  const y = isIntegral(x.dtype) ? binaryKernel(codes.B_SUB, 0, x, x.dtype) : unaryKernel(x, codes.U_NEG, 0, 0, x.dtype); // integers exactly
  return record(y, 'NegBackward0', [x], (g) => [neg(g)]);
}, 1);
export const exp = unaryOp('U_EXP', 'ExpBackward0', 'y', (_x, y, g) => g.mul(y));
export const log = unaryOp('U_LOG', 'LogBackward0', 'x', (x, _y, g) => g.div(x));
export const sqrt = unaryOp('U_SQRT', 'SqrtBackward0', 'y', (_x, y, g) => g.div(y.mul(2)));
export const abs = hotOp<Unary>('abs(Tensor input) -> Tensor', (x: Tensor): Tensor => {
  const y = isIntegral(x.dtype) ? binaryKernel(codes.B_MAX, x, neg(x), x.dtype) : unaryKernel(x, codes.U_ABS, 0, 0, x.dtype);
  return record(y, 'AbsBackward0', [x], (g) => [g.mul(sign(x))], [x]);
}, 1);
export const sigmoid = unaryOp('U_SIGMOID', 'SigmoidBackward0', 'y', (_x, y, g) => g.mul(y.mul(sub(1, y))));
export const tanh = unaryOp('U_TANH', 'TanhBackward0', 'y', (_x, y, g) => g.mul(sub(1, y.mul(y))));
export const relu = unaryOpInPlace('U_RELU', 'ReluBackward0', 'y', (_x, y, g) => g.mul(y.gt(0)));
export const sin = unaryOp('U_SIN', 'SinBackward0', 'x', (x, _y, g) => g.mul(cos(x)));
export const cos = unaryOp('U_COS', 'CosBackward0', 'x', (x, _y, g) => g.mul(neg(sin(x))));
export const reciprocal = unaryOp('U_RECIPROCAL', 'ReciprocalBackward0', 'y', (_x, y, g) => g.mul(neg(y.mul(y))));
export const square = unaryOp('U_SQUARE', 'PowBackward0', 'x', (x, _y, g) => g.mul(x.mul(2)));
export const sign = unaryOp('U_SIGN', 'SignBackward0', '', (_x, _y, g) => g.mul(0));
export const erf = unaryOp('U_ERF', 'ErfBackward0', 'x', (x, _y, g) =>
  g.mul(exp(neg(x.mul(x))).mul(2 / Math.sqrt(Math.PI))));
export const log1p = unaryOp('U_LOG1P', 'Log1PBackward0', 'x', (x, _y, g) => g.div(x.add(1)));
export const expm1 = unaryOp('U_EXPM1', 'Expm1Backward0', 'y', (_x, y, g) => g.mul(y.add(1)));
export const tan = unaryOp('U_TAN', 'TanBackward0', 'y', (_x, y, g) => g.mul(y.mul(y).add(1)));
export const asin = unaryOp('U_ASIN', 'AsinBackward0', 'x', (x, _y, g) => g.mul(rsqrt(sub(1, x.mul(x)))));
export const acos = unaryOp('U_ACOS', 'AcosBackward0', 'x', (x, _y, g) => g.mul(neg(rsqrt(sub(1, x.mul(x))))));
export const atan = unaryOp('U_ATAN', 'AtanBackward0', 'x', (x, _y, g) => g.div(x.mul(x).add(1)));
export const log2 = unaryOp('U_LOG2', 'Log2Backward0', 'x', (x, _y, g) => g.div(x.mul(Math.LN2)));
export const log10 = unaryOp('U_LOG10', 'Log10Backward0', 'x', (x, _y, g) => g.div(x.mul(Math.LN10)));
/** polygamma(1, x): digamma's derivative (its own derivative is not implemented, as it is rarely asked for). */
const trigamma = unaryKernelOp('U_TRIGAMMA', 'PolygammaBackward0', '', () => {
  throw new Error('wasmtorch: the derivative of polygamma(1, x) (the second derivative of digamma) is not implemented');
});
export const digamma = unaryOp('U_DIGAMMA', 'DigammaBackward0', 'x', (x, _y, g) => g.mul(trigamma(x)));
export const lgamma = unaryOp('U_LGAMMA', 'LgammaBackward0', 'x', (x, _y, g) => g.mul(digamma(x)));
export const floor = unaryOp('U_FLOOR', 'FloorBackward0', '', (_x, _y, g) => g.mul(0));
export const ceil = unaryOp('U_CEIL', 'CeilBackward0', '', (_x, _y, g) => g.mul(0));
const roundHalfEven = unaryKernelOp('U_ROUND', 'RoundBackward0', '', (_x, _y, g) => g.mul(0));
/** torch.round(input, *, decimals=0): half to even; with decimals, round(x * 10^d) / 10^d as PyTorch computes it. */
export const round = hotOp<(input: Tensor, options?: { decimals?: number }) => Tensor>('round(Tensor input, *, int decimals=0) -> Tensor',
  (x: Tensor, d = 0): Tensor => {
  if (d === 0) return roundHalfEven(x);
  const scale = 10 ** Math.abs(d);
  return d > 0 ? roundHalfEven(x.mul(scale)).div(scale) : roundHalfEven(x.div(scale)).mul(scale);
}, 1);
export const rsqrt = hotOp<Unary>('rsqrt(Tensor input) -> Tensor', (x: Tensor): Tensor => composite(() => reciprocal(sqrt(x))), 1);
export const silu = unaryOpInPlace('U_SILU', 'SiluBackward0', 'x', (x, _y, g) => {
  const s = sigmoid(x);
  return g.mul(s.mul(x.mul(sub(1, s)).add(1)));
});
export const gelu = hotOp<(input: Tensor, approximate?: 'none' | 'tanh' | { approximate?: 'none' | 'tanh' }) => Tensor>(
  "gelu(Tensor input, str approximate='none') -> Tensor", (x: Tensor, approximate = 'none'): Tensor => {
  if (approximate !== 'none' && approximate !== 'tanh') throw new Error('approximate argument must be either none or tanh.');
  if (approximate === 'tanh') {
    return composite(() => {
      const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
      return x.mul(0.5).mul(tanh(inner).add(1));
    });
  }
  const y = unaryKernel(x, codes.U_GELU);
  return record(y, 'GeluBackward0', [x], (g) => {
    const cdf = erf(x.mul(Math.SQRT1_2)).add(1).mul(0.5);
    const pdf = exp(x.mul(x).mul(-0.5)).mul(1 / Math.sqrt(2 * Math.PI));
    return [g.mul(cdf.add(x.mul(pdf)))];
  }, [x]);
}, 1);
export const leaky_relu = hotOp<(input: Tensor, negative_slope?: number | { negative_slope?: number; inplace?: boolean }, inplace?: boolean) => Tensor>(
  'leaky_relu(Tensor input, float negative_slope=0.01, bool inplace=False) -> Tensor', (x: Tensor, slope = 0.01, inplace = false): Tensor => {
    const f = (v: Tensor): Tensor => {
      const y = unaryKernel(v, codes.U_LEAKY_RELU, slope);
      return record(y, 'LeakyReluBackward0', [v], (g) => [g.mul(where(v.gt(0), 1, slope))], [v]);
    };
    return inplace ? applyInPlace(x, f) : f(x);
  }, (a) => (a.length === 1 || a.length === 2) && a[0] instanceof Tensor && (a.length === 1 || typeof a[1] === 'number'));
export const softplus = hotOp<(input: Tensor, beta?: number | { beta?: number; threshold?: number }, threshold?: number) => Tensor>(
  'softplus(Tensor input, float beta=1.0, float threshold=20.0) -> Tensor', (x: Tensor, beta = 1, threshold = 20): Tensor => {
    const y = unaryKernel(x, codes.U_SOFTPLUS, beta, threshold);
    return record(y, 'SoftplusBackward0', [x], (g) => {
      const z = exp(x.mul(beta));
      return [g.mul(where(x.mul(beta).gt(threshold), 1, z.div(z.add(1))))];
    }, [x]);
  }, 1);
type Bound = number | Tensor | null;
/** clamp of an integer tensor by integer bounds, exactly (max, then min, in int64). */
function clampInteger(x: Tensor, lo: number | null | undefined, hi: number | null | undefined): Tensor {
  let y = lo === null || lo === undefined ? x : binaryKernel(codes.B_MAX, x, lo, x.dtype);
  if (hi !== null && hi !== undefined) y = binaryKernel(codes.B_MIN, y, hi, x.dtype);
  return y; // (one of the bounds is given: clampImpl checked)
}
export const clamp = op<(input: Tensor, min?: Bound | { min?: Bound; max?: Bound }, max?: Bound) => Tensor>(
  'clamp(Tensor input, float|Tensor? min=None, float|Tensor? max=None) -> Tensor', clampImpl);
/** torch.clip: clamp's alias, under its own name in messages. */
export const clip = op<typeof clamp>('clip(Tensor input, float|Tensor? min=None, float|Tensor? max=None) -> Tensor', clampImpl);
function clampImpl(x: Tensor, lo: Bound, hi: Bound): Tensor {
  if (lo instanceof Tensor || hi instanceof Tensor) return clampByTensors(x, lo, hi);
  if ((lo === null || lo === undefined) && (hi === null || hi === undefined)) {
    throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  }
  const p0 = lo ?? NaN, p1 = hi ?? NaN;
  const exact = isIntegral(x.dtype) && [lo, hi].every((b) => b === null || b === undefined || Number.isInteger(b));
  const y = exact ? clampInteger(x, lo as number | null | undefined, hi as number | null | undefined) : unaryKernel(x, codes.U_CLAMP, p0, p1, x.dtype);
  return record(y, 'ClampBackward1', [x], (g) => {
    let mask = ones_mask(x);
    if (lo !== null && lo !== undefined) mask = mask.mul(x.ge(lo));
    if (hi !== null && hi !== undefined) mask = mask.mul(x.le(hi));
    return [g.mul(mask)];
  }, [x]);
}
/** clamp with tensor bounds (broadcast): max(min(x, hi), lo) as PyTorch orders it; x's gradient where it is inside. */
function clampByTensors(x: Tensor, lo: Bound, hi: Bound): Tensor {
  if (lo === null && hi === null) throw new Error("torch.clamp: At least one of 'min' or 'max' must not be None");
  let y = x;
  if (lo !== null) y = where(lt(y, lo), lo, y);
  if (hi !== null) y = where(gt(y, hi), hi, y);
  return y;
}
function ones_mask(x: Tensor): Tensor {
  return x.eq(x).logical_not().logical_not(); // 1 where x is a number (NaN gets 0, as PyTorch)
}
export const logical_not = hotOp<Unary>('logical_not(Tensor input) -> Tensor', (x: Tensor): Tensor => {
  const y = unaryKernel(x, codes.U_LOGICAL_NOT);
  y.dtype = 'bool';
  return y;
}, 1);

// ---- binary -------------------------------------------------------------------

/** Result dtype of a binary op with a Python-number operand, as PyTorch promotes. */
function resultDtype(a: TensorOrScalar, b: TensorOrScalar): DType {
  const ta = a instanceof Tensor ? a.dtype : null;
  const tb = b instanceof Tensor ? b.dtype : null;
  if (ta !== null && tb !== null) return promoteTypes(ta, tb);
  if (ta === null && tb === null) return 'float32'; // numbers are float32, as in torch.tensor
  const t = (ta ?? tb)!;
  const s = (ta === null ? a : b) as number;
  if (typeof s === 'boolean') return t;
  if (!Number.isInteger(s) && t !== 'float32') return 'float32';
  return t === 'bool' ? 'int64' : t;
}

const EXACT_INTEGER_OPS = new Set([codes.B_ADD, codes.B_SUB, codes.B_MUL, codes.B_MAX, codes.B_MIN,
  codes.B_GT, codes.B_LT, codes.B_GE, codes.B_LE, codes.B_EQ, codes.B_NE]);
const integerLike = (v: TensorOrScalar): boolean => (v instanceof Tensor ? v.dtype !== 'float32' : typeof v === 'boolean' || Number.isInteger(v));
const int64Scalar = staticBlock(16);

/**
 * op(a, b) on integers, exactly, in int64 (int32 results wrap to int32 after, as int32 arithmetic wraps): the
 * arithmetic and comparisons of integer tensors (and integer numbers), which float32 would round past 2^24.
 */
function integerKernel(op: number, a: TensorOrScalar, b: TensorOrScalar, outDtype: DType): Tensor {
  const ta = a instanceof Tensor ? toDtypeRaw(a, 'int64') : null;
  const tb = b instanceof Tensor ? toDtypeRaw(b, 'int64') : null;
  const shape = ta && tb ? broadcastShapes(ta.shape, tb.shape) : (ta ?? tb)!.shape.slice();
  const compare = outDtype === 'bool';
  tick();
  const out = empty(shape, compare ? 'bool' : 'int64');
  if (out.numel() > 0) {
    const scalar = (v: TensorOrScalar): number => {
      fillInteger('int64', int64Scalar, 1, BigInt(Number(v)));
      return int64Scalar;
    };
    const sa = ta ? broadcastStrides(ta, shape) : shape.map(() => 0);
    const sb = tb ? broadcastStrides(tb, shape) : shape.map(() => 0);
    const [cs, [csa, csb]] = collapse(shape, [sa, sb]);
    const m = writeMeta([...cs, ...csa, ...csb]);
    const pa = ta ? ptr(ta) : scalar(a), pb = tb ? ptr(tb) : scalar(b);
    K.binary_i64(op, pa, pb, ptr(out), cs.length, m);
  }
  return compare || outDtype === 'int64' ? out : toDtypeRaw(out, outDtype);
}

/** op(a, b) into a new tensor, or into `into` (dense float32, of the broadcast shape). */
function binaryKernel(op: number, a: TensorOrScalar, b: TensorOrScalar, outDtype: DType, into?: Tensor): Tensor {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) throw new Error('expected at least one tensor operand');
  if (into === undefined && (isIntegral(outDtype) || outDtype === 'bool') && EXACT_INTEGER_OPS.has(op) && integerLike(a) && integerLike(b) &&
    ((a instanceof Tensor && isIntegral(a.dtype)) || (b instanceof Tensor && isIntegral(b.dtype)))) {
    return integerKernel(op, a, b, outDtype);
  }
  const ta = a instanceof Tensor ? asFloat(a) : null;
  const tb = b instanceof Tensor ? asFloat(b) : null;
  const shape = ta && tb ? broadcastShapes(ta.shape, tb.shape) : (ta ?? tb)!.shape.slice();
  tick();
  const out = into ?? empty(shape, 'float32');
  const n = out.numel();
  // fast path: dense operands of the output's size, or a dense one and a number
  const fa = ta === null ? 0 : ta.numel() === n && ta.is_contiguous() ? 1 : -1;
  const fb = tb === null ? 0 : tb.numel() === n && tb.is_contiguous() ? 1 : -1;
  if (fa >= 0 && fb >= 0 && n > 0) {
    const pa = ta ? ptr(ta) : scalarPtr(Number(a));
    const pb = tb ? ptr(tb) : scalarPtr(Number(b));
    K.binary(op, pa, pb, ptr(out), 1, rowMeta(n, fa, fb));
  } else if (n > 0) {
    const sa = ta ? broadcastStrides(ta, shape) : shape.map(() => 0);
    const sb = tb ? broadcastStrides(tb, shape) : shape.map(() => 0);
    const [cs, [csa, csb]] = collapse(shape, [sa, sb]);
    const m = writeMeta([...cs, ...csa, ...csb]);
    const pa = ta ? ptr(ta) : scalarPtr(Number(a));
    const pb = tb ? ptr(tb) : scalarPtr(Number(b));
    K.binary(op, pa, pb, ptr(out), cs.length, m);
  }
  return fromFloat(out, outDtype);
}

/**
 * t = op(t, other) computed straight into t's storage, without a temporary, when t is a
 * dense float32 tensor (of the broadcast shape, checked by the caller) and other is a
 * number, a float32 tensor in other storage, or t itself. Returns false otherwise.
 */
export function binaryInPlace(op: number, t: Tensor, other: TensorOrScalar): boolean {
  if (t.dtype !== 'float32' || !t.is_contiguous()) return false;
  if (other instanceof Tensor) {
    if (other.dtype !== 'float32') return false;
    const same = other.offset === t.offset && sameShape(other.shape, t.shape) && other.is_contiguous();
    if (other.storage === t.storage && !same) return false; // a partial overlap would read what it wrote
  }
  binaryKernel(op, t, other, 'float32', t);
  return true;
}

type Operand = TensorOrScalar;
const asT = (v: Operand): Tensor | null => (v instanceof Tensor ? v : null);

// The binary ops' first operand may be a number in the library's own calls (sub(1, y)); PyTorch's users give a Tensor.
type Binary = (input: Operand, other: Operand) => Tensor;
type WithAlpha = (input: Operand, other: Operand, options?: { alpha?: number }) => Tensor;
export const add = hotOp<WithAlpha>('add(Tensor|Scalar input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor', addImpl, 2);
function addImpl(a: Operand, b: Operand, alpha: number = 1): Tensor {
  if (alpha !== 1) b = b instanceof Tensor ? mul(b, alpha) : b * alpha;
  const y = binaryKernel(codes.B_ADD, a, b, resultDtype(a, b));
  return record(y, 'AddBackward0', [asT(a), asT(b)], (g) => [g, g]);
}
export const sub = hotOp<WithAlpha>('sub(Tensor|Scalar input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor', subImpl, 2);
function subImpl(a: Operand, b: Operand, alpha: number = 1): Tensor {
  if (alpha !== 1) b = b instanceof Tensor ? mul(b, alpha) : b * alpha;
  if (resultDtype(a, b) === 'bool') {
    throw new Error('Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
  }
  const y = binaryKernel(codes.B_SUB, a, b, resultDtype(a, b));
  return record(y, 'SubBackward0', [asT(a), asT(b)], (g, needs) => [g, needs[1] ? neg(g) : null]);
}
/** torch.rsub(input, other, alpha=1) = other - alpha * input (a function only: Tensor has no rsub method in PyTorch). */
export const rsub = hotOp<WithAlpha>('rsub(Tensor input, Tensor|Scalar other, *, Scalar alpha=1) -> Tensor',
  (input: Operand, other: Operand, alpha = 1): Tensor => subImpl(other, input, alpha), () => false); // always parsed: input must be a Tensor
export const mul = hotOp<Binary>('mul(Tensor|Scalar input, Tensor|Scalar other) -> Tensor', mulImpl, 2);
function mulImpl(a: Operand, b: Operand): Tensor {
  const y = binaryKernel(codes.B_MUL, a, b, resultDtype(a, b));
  return record(y, 'MulBackward0', [asT(a), asT(b)],
    (g, needs) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
    (needs) => [needs[0] ? asT(b) : null, needs[1] ? asT(a) : null]);
}
export const div = hotOp<(input: Operand, other: Operand, options?: { rounding_mode?: 'trunc' | 'floor' | null }) => Tensor>(
  'div(Tensor|Scalar input, Tensor|Scalar other, *, str? rounding_mode=None) -> Tensor', divImpl, 2);
function divImpl(a: Operand, b: Operand, mode: string | null = null): Tensor {
  if (mode !== null) return roundedDiv(a, b, mode);
  const y = binaryKernel(codes.B_DIV, a, b, 'float32');
  return record(y, 'DivBackward0', [asT(a), asT(b)], (g, needs) => [
    needs[0] ? div(g, b) : null,
    needs[1] ? neg(mul(g, a)).div(mul(b, b)) : null,
  ], (needs) => [asT(b), needs[1] ? asT(a) : null]);
}
/** div with rounding_mode 'trunc' or 'floor': integral results keep an integer dtype; the gradient is zero, as PyTorch's. */
function roundedDiv(a: Operand, b: Operand, mode: string): Tensor {
  if (mode !== 'trunc' && mode !== 'floor') {
    throw new Error(`div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '${mode}'`);
  }
  const type = resultDtype(a, b);
  // an integer quotient by zero has no value: PyTorch's error, where a float one is inf or nan
  if (isIntegral(type) && (b instanceof Tensor ? no_grad(() => eq(b, 0).sum().item() > 0) : b === 0)) throw new Error('ZeroDivisionError');
  const q = no_grad(() => {
    // integers exactly in int64; floats divided, then rounded
    if (isIntegral(type) && integerLike(a) && integerLike(b)) return integerKernel(mode === 'floor' ? codes.I64_FLOOR_DIV : codes.I64_TRUNC_DIV, a, b, type);
    const y = binaryKernel(codes.B_DIV, a, b, 'float32');
    return fromFloat(mode === 'floor' ? floor(y) : y.sign().mul(floor(abs(y))), type);
  });
  return record(q, 'DivBackward1', [asT(a), asT(b)], (g) => [g.mul(0), g.mul(0)]);
}
export const pow = hotOp<Binary>('pow(Tensor|Scalar input, Tensor|Scalar exponent) -> Tensor', powImpl, 2);
function powImpl(a: Operand, b: Operand): Tensor {
  const type = resultDtype(a, b);
  if (isIntegral(type) && typeof b === 'number' && b < 0) throw new Error('Integers to negative integer powers are not allowed.');
  // integers to integer powers exactly (wrapping), as PyTorch's
  const y = isIntegral(type) && integerLike(a) && integerLike(b) ? integerKernel(codes.I64_POW, a, b, type) : binaryKernel(codes.B_POW, a, b, type);
  return record(y, 'PowBackward1', [asT(a), asT(b)], (g, needs) => [
    // d/da a^b = b a^(b-1), taken as 0 where b == 0 (PyTorch's convention)
    needs[0] ? (b instanceof Tensor
      ? mul(g, where(eq(b, 0), 0, mul(b, pow(a, sub(b, 1)))))
      : b === 0 ? mul(g, 0) : mul(g, mul(pow(a, b - 1), b))) : null,
    // d/db a^b = a^b log a, taken as 0 where a == 0 and b >= 0
    needs[1] ? mul(g, where(eq(a instanceof Tensor ? a : scalarTensor(a), 0).logical_and(ge(b, 0)), 0, mul(y, log(a instanceof Tensor ? a : scalarTensor(a))))) : null,
  ], (needs) => [needs[0] ? asT(a) : null, needs[0] ? asT(b) : null, ...(needs[1] ? [asT(a), y] : [])]);
}
function minmax(op: number, name: string, a: Tensor, b: Tensor): Tensor {
  const y = binaryKernel(op, a, b, resultDtype(a, b));
  return record(y, name, [a, b], (g, needs) => {
    // ties split the gradient evenly, as PyTorch does
    const wa = where(eq(a, b), 0.5, op === codes.B_MAX ? gt(a, b) : lt(a, b));
    return [needs[0] ? mul(g, wa) : null, needs[1] ? mul(g, sub(1, wa)) : null];
  }, [a, b]);
}
export const maximum = hotOp<(input: Tensor, other: Tensor) => Tensor>('maximum(Tensor input, Tensor other) -> Tensor',
  (a: Tensor, b: Tensor): Tensor => minmax(codes.B_MAX, 'MaximumBackward0', a, b), 2);
export const minimum = hotOp<(input: Tensor, other: Tensor) => Tensor>('minimum(Tensor input, Tensor other) -> Tensor',
  (a: Tensor, b: Tensor): Tensor => minmax(codes.B_MIN, 'MinimumBackward0', a, b), 2);

/** atan2(input, other): the angle of the point (other, input), in (-pi, pi]. */
export const atan2 = hotOp<(input: Tensor, other: Tensor) => Tensor>('atan2(Tensor input, Tensor other) -> Tensor', (a: Tensor, b: Tensor): Tensor => {
  const y = binaryKernel(codes.B_ATAN2, a, b, 'float32');
  return record(y, 'Atan2Backward0', [a, b], (g, needs) => {
    const r = a.mul(a).add(b.mul(b));
    return [needs[0] ? g.mul(b).div(r) : null, needs[1] ? g.mul(neg(a)).div(r) : null];
  }, [a, b]);
}, 2);

function compare(code: string): Binary {
  const name = { B_GT: 'gt', B_LT: 'lt', B_GE: 'ge', B_LE: 'le', B_EQ: 'eq', B_NE: 'ne', B_AND: 'logical_and', B_OR: 'logical_or' }[code]!;
  return hotOp<Binary>(`${name}(Tensor|Scalar input, Tensor|Scalar other) -> Tensor`,
    (a: Operand, b: Operand): Tensor => binaryKernel(codes[code], a, b, 'bool'), 2);
}
export const gt = compare('B_GT');
export const lt = compare('B_LT');
export const ge = compare('B_GE');
export const le = compare('B_LE');
export const eq = compare('B_EQ');
export const ne = compare('B_NE');
export const logical_and = compare('B_AND');
export const logical_or = compare('B_OR');


// ---- selection -------------------------------------------------------------

/** torch.where(condition, input, other): elements of input where condition, else other. */
export const where = hotOp<(condition: Tensor, input: Operand, other: Operand) => Tensor>(
  'where(Tensor condition, Tensor|Scalar input, Tensor|Scalar other) -> Tensor', whereImpl, 3);
function whereImpl(condition: Tensor, input: Operand, other: Operand): Tensor {
  if (condition.dtype !== 'bool') {
    throw new Error(`where expected condition to be a boolean tensor, but got a tensor with dtype ${scalarTypeName(condition.dtype)}`);
  }
  const ti = asT(input), to = asT(other);
  let shape = broadcastShapes(condition.shape, ti ? ti.shape : []);
  shape = broadcastShapes(shape, to ? to.shape : []);
  const dtype = resultDtype(input, other);
  // the kernel takes dense operands of the output's shape; int64 results move as word pairs, bits untouched
  const words = dtype === 'int64' ? 2 : 1;
  const operand = (t: Tensor | null, v: Operand) => {
    const x = t ?? scalarTensor(Number(v), dtype === 'int64' ? 'int64' : 'float32');
    return expandDense(words === 2 ? toDtypeRaw(x, 'int64') : asFloat(x), shape);
  };
  const c = words === 2 ? expandDense(condition.unsqueeze(-1), [...shape, 2]) : expandDense(condition, shape);
  const a = operand(ti, input), b = operand(to, other);
  tick();
  const out = empty(shape, words === 2 ? 'int64' : 'float32');
  const n = out.numel();
  if (n > 0) K.where(ptr(c), ptr(a), ptr(b), ptr(out), n * words);
  const y = words === 2 ? out : fromFloat(out, dtype);
  return record(y, 'WhereBackward0', [null, ti, to], (g, needs) => [
    null,
    needs[1] ? where(condition, g, 0) : null,
    needs[2] ? where(condition, 0, g) : null,
  ], [condition]);
}
function expandDense(t: Tensor, shape: number[]): Tensor {
  if (t.is_contiguous() && t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  const out = empty(shape, t.dtype);
  if (out.numel() > 0) copyInto(out, t);
  return out;
}

export const masked_fill = hotOp<(input: Tensor, mask: Tensor, value: number | Tensor) => Tensor>(
  'masked_fill(Tensor input, Tensor mask, Tensor|Scalar value) -> Tensor', (x: Tensor, mask: Tensor, value: number | Tensor): Tensor => {
  if (mask.dtype !== 'bool') {
    throw new Error(`masked_fill_ only supports boolean masks, but got mask with dtype ${mask.dtype === 'int64' ? 'long int' : mask.dtype}`);
  }
  broadcastShapes(x.shape, mask.shape); // PyTorch's message when they do not broadcast; the result has their shape
  const y = whereImpl(mask, value, x);
  return y.dtype === x.dtype ? y : y.to(x.dtype); // the value is cast to the input's dtype, as in PyTorch
}, 3);

export { isIntegral };
