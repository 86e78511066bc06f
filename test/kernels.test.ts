// The raw kernels of assembly/ against plain JS references, in both builds:
// release (build/kernels.wasm, asserts stripped) and debug
// (build/kernels.debug.wasm, out-of-bounds access traps with an Error).
//
// Every buffer comes from a small bump allocator over the instance's own
// memory (not src/backend/memory.ts), surrounded by guard words, so each test
// also checks that a kernel wrote nothing outside its outputs.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { instantiateKernels, type KernelFunctions } from '../src/backend/wasm.js';

// ---------------------------------------------------------------------------
// Reference helpers
// ---------------------------------------------------------------------------

const f = Math.fround;
/** The awkward sizes: empty, below/at/above one f32x4 and two, and odd tails. */
const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 100];
/** Register tile of the GEMM micro-kernel (not exported by the module). */
const MR = 4;
const NR = 8;

/** Deterministic PRNG (mulberry32) for example data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** n f32 values uniform in [lo, hi). */
function randomF32(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

interface Tol {
  rtol?: number;
  atol?: number;
}
const EXACT: Tol = {};

/** NaN matches NaN, infinities match exactly, +0 matches -0, else |g - w| <= atol + rtol |w|. */
function sameValue(got: number, want: number, tol: Tol): boolean {
  if (Number.isNaN(want)) return Number.isNaN(got);
  if (Number.isNaN(got)) return false;
  if (got === want) return true;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return false;
  return Math.abs(got - want) <= (tol.atol ?? 0) + (tol.rtol ?? 0) * Math.abs(want);
}

/** Compares element-wise; atol may be per element. Reports the first few mismatches. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tol | ((i: number) => Tol), what = ''): void {
  expect(got.length, `${what}: length`).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const t = typeof tol === 'function' ? tol(i) : tol;
    if (!sameValue(got[i], want[i], t)) bad.push(`[${i}] got ${got[i]}, want ${want[i]}`);
  }
  expect(bad, what).toEqual([]);
}

/**
 * erf in f64 from its everywhere-positive series
 *   erf(x) = 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)),
 * no cancellation, so ~1e-14 relative for |x| <= 6; beyond, erf is +-1 in f64
 * to within 1e-17.
 */
function erfRef(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax > 6) return Math.sign(x);
  const x2 = ax * ax;
  let term = ax;
  let sum = ax;
  for (let n = 1; n < 1000; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  const r = (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
  return x < 0 ? -r : r;
}

/** C99/PyTorch pow where JS's differs: 1^y = 1 and (-1)^(+-inf) = 1 even for NaN/inf y. */
function cPow(a: number, b: number): number {
  if (a === 1 || (a === -1 && (b === Infinity || b === -Infinity))) return 1;
  return Math.pow(a, b);
}

/** Round half to even (wasm's f32.nearest, torch.round). */
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

/**
 * Test input for the elementwise ops: random values in [-6, 6) with special
 * values at every 6th position (so they land in vector bodies and tails).
 */
const SPECIALS = [0, -0, 1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, -3.5, NaN, Infinity, -Infinity, 1e-20, 20, -20, 3];
function unaryInput(n: number, seed: number): Float32Array {
  const x = randomF32(n, seed, -6, 6);
  for (let i = 1, s = 0; i < n; i += 6, s++) x[i] = SPECIALS[s % SPECIALS.length];
  return x;
}

/** Pairs for the binary ops: equal pairs, zeros, integer and 2 exponents, NaN, infinities. */
function binaryInput(n: number, seed: number): [Float32Array, Float32Array] {
  const a = randomF32(n, seed, -3, 3);
  const b = randomF32(n, seed + 1, -3, 3);
  for (let i = 0; i < n; i++) {
    if (i % 4 === 1) b[i] = 2;
    if (i % 5 === 2) b[i] = Math.round(b[i]);
    if (i % 6 === 3) b[i] = a[i];
    if (i % 9 === 4) a[i] = 0;
    if (i % 10 === 7) (i % 20 === 7 ? a : b)[i] = NaN;
    if (i % 12 === 5) (i % 24 === 5 ? a : b)[i] = i % 36 === 5 ? -Infinity : Infinity;
    if (i % 14 === 6) a[i] = 1;
  }
  return [a, b];
}

/** Row-major multi-index walk: calls fn(flatIndex, multiIndex). */
function forEachIndex(shape: number[], fn: (flat: number, idx: number[]) => void): void {
  const total = shape.reduce((p, s) => p * s, 1);
  const idx = shape.map(() => 0);
  for (let t = 0; t < total; t++) {
    fn(t, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}
const dot = (idx: number[], strides: number[]) => idx.reduce((s, v, d) => s + v * strides[d], 0);
/** Elements a strided operand spans (at least 1 so a stride-0 operand has storage). */
function spanOf(shape: number[], strides: number[]): number {
  if (shape.some((s) => s === 0)) return 1;
  return 1 + shape.reduce((s, n, d) => s + (n - 1) * strides[d], 0);
}

// ---------------------------------------------------------------------------
// A bump allocator over one instance's memory, with guard words
// ---------------------------------------------------------------------------

const GUARD_WORDS = 4;
const SENTINEL = 0x7fbadbad | 0; // a NaN bit pattern no kernel produces

class Heap {
  private top = 0;
  private guards: [number, number][] = []; // [lo, hi) byte ranges
  private f32v!: Float32Array;
  private i32v!: Int32Array;

  constructor(
    private readonly K: KernelFunctions,
    readonly memory: WebAssembly.Memory,
  ) {
    this.refresh();
    this.reset();
  }

  reset(): void {
    this.top = (this.K.heap_base() + 15) & ~15;
    this.guards = [];
  }

  private refresh(): void {
    this.f32v = new Float32Array(this.memory.buffer);
    this.i32v = new Int32Array(this.memory.buffer);
  }
  /** Views re-made whenever memory.grow has detached the old buffer. */
  get f32(): Float32Array {
    if (this.f32v.buffer !== this.memory.buffer) this.refresh();
    return this.f32v;
  }
  get i32(): Int32Array {
    if (this.i32v.buffer !== this.memory.buffer) this.refresh();
    return this.i32v;
  }

  /** n elements (4 bytes each), 16-byte aligned plus `skew` elements, between guard words. */
  alloc(n: number, skew = 0): number {
    const lo = this.top;
    const ptr = lo + (GUARD_WORDS + skew) * 4;
    const hi = ptr + n * 4 + GUARD_WORDS * 4;
    this.top = (hi + 15) & ~15;
    const need = this.top - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / 65536));
    const v = this.i32;
    v.fill(SENTINEL, lo >> 2, ptr >> 2);
    v.fill(SENTINEL, (ptr >> 2) + n, hi >> 2);
    this.guards.push([lo, ptr], [ptr + n * 4, hi]);
    return ptr;
  }
  putF32(values: ArrayLike<number>, skew = 0): number {
    const p = this.alloc(values.length, skew);
    this.f32.set(values, p >> 2);
    return p;
  }
  putI32(values: ArrayLike<number>, skew = 0): number {
    const p = this.alloc(values.length, skew);
    this.i32.set(values, p >> 2);
    return p;
  }
  /** int64 values (index tensors) as pairs of 32-bit words. */
  putI64(values: ArrayLike<number | bigint>, skew = 0): number {
    const p = this.alloc(values.length * 2, skew);
    this.setI64(p, values);
    return p;
  }
  /** Writes int64s at a 4-byte aligned address (a typed-array view would need 8). */
  setI64(ptr: number, values: ArrayLike<number | bigint>): void {
    const bytes = new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
    new Uint8Array(this.memory.buffer, ptr, bytes.length).set(bytes);
  }
  getI64Big(ptr: number, n: number): bigint[] {
    return Array.from(new BigInt64Array(this.memory.buffer.slice(ptr, ptr + n * 8)));
  }
  getI64(ptr: number, n: number): number[] {
    return this.getI64Big(ptr, n).map(Number);
  }
  getF32(ptr: number, n: number): Float32Array {
    return this.f32.slice(ptr >> 2, (ptr >> 2) + n);
  }
  getI32(ptr: number, n: number): Int32Array {
    return this.i32.slice(ptr >> 2, (ptr >> 2) + n);
  }
  /** A meta block for binary/copy_strided: the given ints, then nd words of garbage counter. */
  putMeta(ints: number[], nd: number): number {
    return this.putI32([...ints, ...new Array<number>(nd).fill(12345)]);
  }
  /** Byte addresses of guard words some kernel overwrote. */
  brokenGuards(): number[] {
    const v = this.i32;
    const bad: number[] = [];
    for (const [lo, hi] of this.guards) for (let p = lo; p < hi; p += 4) if (v[p >> 2] !== SENTINEL) bad.push(p);
    return bad;
  }
}

// ---------------------------------------------------------------------------
// Kernel family tables
// ---------------------------------------------------------------------------

// log|Gamma|, digamma and trigamma in f64 by a route of their own: shifted up to 15 by the recurrence, then
// Stirling's (and its derivatives') asymptotic series; reflected below 1/2. PyTorch's values at the poles.
function lgammaRef(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x <= 0 && Number.isInteger(x) || x === -Infinity) return Infinity;
  if (x === Infinity) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgammaRef(1 - x);
  let shift = 0;
  while (x < 15) { shift -= Math.log(x); x += 1; }
  const z = 1 / (x * x);
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z / 1680))) / x;
}
function digammaRef(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return x;
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) return Number.isInteger(x) ? NaN : digammaRef(1 - x) - Math.PI / Math.tan(Math.PI * x);
  let shift = 0;
  while (x < 15) { shift -= 1 / x; x += 1; }
  const z = 1 / (x * x);
  return shift + Math.log(x) - 0.5 / x - z * (1 / 12 - z * (1 / 120 - z / 252));
}
function trigammaRef(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return 0;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x < 0) return -trigammaRef(1 - x) + (Math.PI / Math.sin(Math.PI * x)) ** 2;
  let shift = 0;
  while (x < 15) { shift += 1 / (x * x); x += 1; }
  const z = 1 / (x * x);
  return shift + 1 / x + z / 2 + (z / x) * (1 / 6 - z * (1 / 30 - z / 42));
}

interface UnarySpec {
  code: string;
  ref: (x: number, p0: number, p1: number) => number;
  tol: Tol;
  params?: [number, number][];
}
const TRANSCENDENTAL: Tol = { rtol: 1e-6 };
const UNARY: UnarySpec[] = [
  { code: 'U_NEG', ref: (x) => -x, tol: EXACT },
  { code: 'U_EXP', ref: Math.exp, tol: TRANSCENDENTAL },
  { code: 'U_LOG', ref: Math.log, tol: TRANSCENDENTAL },
  { code: 'U_SQRT', ref: Math.sqrt, tol: EXACT },
  { code: 'U_ABS', ref: Math.abs, tol: EXACT },
  { code: 'U_SIGMOID', ref: (x) => 1 / (1 + Math.exp(-x)), tol: TRANSCENDENTAL },
  { code: 'U_TANH', ref: Math.tanh, tol: TRANSCENDENTAL },
  { code: 'U_RELU', ref: (x) => (Number.isNaN(x) ? x : Math.max(x, 0)), tol: EXACT },
  { code: 'U_SIN', ref: Math.sin, tol: TRANSCENDENTAL },
  { code: 'U_COS', ref: Math.cos, tol: TRANSCENDENTAL },
  { code: 'U_RECIPROCAL', ref: (x) => 1 / x, tol: EXACT },
  { code: 'U_SQUARE', ref: (x) => x * x, tol: EXACT },
  {
    code: 'U_LEAKY_RELU',
    ref: (x, slope) => (x > 0 ? x : x * slope),
    tol: EXACT,
    params: [[0.01, 0], [0.2, 0], [-0.5, 0]],
  },
  // tiny absolute slack: for x << 0, gelu = x * erfc(|x|/sqrt2) / 2 is ~1e-15 and both sides cancel 1 + erf
  { code: 'U_GELU', ref: (x) => 0.5 * x * (1 + erfRef(x / Math.SQRT2)), tol: { rtol: 1e-6, atol: 1e-12 } },
  {
    code: 'U_SOFTPLUS', // the threshold test is on the f32 product x * beta, as PyTorch's float kernel
    ref: (x, beta, threshold) => (f(x * beta) > threshold ? x : Math.log1p(Math.exp(x * beta)) / beta),
    tol: TRANSCENDENTAL,
    params: [[1, 20], [2, 3], [0.5, 1]],
  },
  { code: 'U_SILU', ref: (x) => x / (1 + Math.exp(-x)), tol: TRANSCENDENTAL },
  {
    code: 'U_CLAMP', // NaN bound = no bound; min > max gives max everywhere (torch.clamp)
    ref: (x, lo, hi) => {
      if (Number.isNaN(x)) return x;
      let y = x;
      if (!Number.isNaN(lo)) y = Math.max(y, lo);
      if (!Number.isNaN(hi)) y = Math.min(y, hi);
      return y;
    },
    tol: EXACT,
    params: [[-1, 1], [NaN, 0.5], [-0.5, NaN], [NaN, NaN], [2, 2], [1, -1]],
  },
  { code: 'U_SIGN', ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), tol: EXACT }, // sign(nan) is 0, as PyTorch's
  { code: 'U_ERF', ref: erfRef, tol: TRANSCENDENTAL },
  { code: 'U_LOG1P', ref: Math.log1p, tol: TRANSCENDENTAL },
  { code: 'U_EXPM1', ref: Math.expm1, tol: TRANSCENDENTAL },
  { code: 'U_FLOOR', ref: Math.floor, tol: EXACT },
  { code: 'U_CEIL', ref: Math.ceil, tol: EXACT },
  { code: 'U_ROUND', ref: roundHalfEven, tol: EXACT },
  { code: 'U_LOGICAL_NOT', ref: (x) => (x === 0 ? 1 : 0), tol: EXACT },
  { code: 'U_TAN', ref: Math.tan, tol: TRANSCENDENTAL },
  { code: 'U_ASIN', ref: Math.asin, tol: TRANSCENDENTAL },
  { code: 'U_ACOS', ref: Math.acos, tol: TRANSCENDENTAL },
  { code: 'U_ATAN', ref: Math.atan, tol: TRANSCENDENTAL },
  { code: 'U_LOG2', ref: Math.log2, tol: TRANSCENDENTAL },
  { code: 'U_LOG10', ref: Math.log10, tol: TRANSCENDENTAL },
  // absolute slack where the functions cross zero (lgamma at 1 and 2, digamma near 1.46)
  { code: 'U_LGAMMA', ref: lgammaRef, tol: { rtol: 1e-6, atol: 1e-6 } },
  { code: 'U_DIGAMMA', ref: digammaRef, tol: { rtol: 1e-6, atol: 1e-6 } },
  { code: 'U_TRIGAMMA', ref: trigammaRef, tol: { rtol: 1e-6, atol: 1e-6 } },
];

interface BinarySpec {
  code: string;
  ref: (a: number, b: number) => number;
  tol: Tol;
}
const nanOr = (g: (a: number, b: number) => number) => (a: number, b: number) =>
  Number.isNaN(a) || Number.isNaN(b) ? NaN : g(a, b);
const BINARY: BinarySpec[] = [
  { code: 'B_ADD', ref: (a, b) => a + b, tol: EXACT },
  { code: 'B_SUB', ref: (a, b) => a - b, tol: EXACT },
  { code: 'B_MUL', ref: (a, b) => a * b, tol: EXACT },
  { code: 'B_DIV', ref: (a, b) => a / b, tol: EXACT },
  { code: 'B_POW', ref: cPow, tol: { rtol: 1e-6 } },
  { code: 'B_MAX', ref: nanOr(Math.max), tol: EXACT }, // NaN propagates, as torch.maximum
  { code: 'B_MIN', ref: nanOr(Math.min), tol: EXACT },
  { code: 'B_GT', ref: (a, b) => +(a > b), tol: EXACT },
  { code: 'B_LT', ref: (a, b) => +(a < b), tol: EXACT },
  { code: 'B_GE', ref: (a, b) => +(a >= b), tol: EXACT },
  { code: 'B_LE', ref: (a, b) => +(a <= b), tol: EXACT },
  { code: 'B_EQ', ref: (a, b) => +(a === b), tol: EXACT },
  { code: 'B_NE', ref: (a, b) => +(a !== b), tol: EXACT },
  { code: 'B_AND', ref: (a, b) => +(a !== 0 && b !== 0), tol: EXACT },
  { code: 'B_OR', ref: (a, b) => +(a !== 0 || b !== 0), tol: EXACT },
  { code: 'B_ATAN2', ref: Math.atan2, tol: TRANSCENDENTAL },
];
const BINARY_BY_CODE = new Map(BINARY.map((s) => [s.code, s]));

const REDUCE_CODES = ['R_SUM', 'R_MAX', 'R_MIN', 'R_PROD'];
const SOFTMAX_CODES = ['S_SOFTMAX', 'S_LOG_SOFTMAX', 'S_LOGSUMEXP'];


// ---------------------------------------------------------------------------
// Recurrence reference: one layer/direction over a packed batch, in f64
// ---------------------------------------------------------------------------

const RNN_MODES = [['RNN_TANH', 1], ['RNN_RELU', 1], ['RNN_LSTM', 4], ['RNN_GRU', 3]] as const;
type RnnMode = (typeof RNN_MODES)[number][0];
interface RnnProblem { mode: RnnMode; H: number; B: number; sizes: number[]; reverse: boolean; xw: Float64Array; h0: Float64Array; c0: Float64Array; whh: Float64Array; bhh: Float64Array }

/** y [N + B (+ B), H]: each packed row's new h, then h_n (and c_n), as PyTorch's cells define them. */
function rnnReference(p: RnnProblem): Float64Array {
  const { mode, H, B, sizes } = p;
  const G = (mode === 'RNN_LSTM' ? 4 : mode === 'RNN_GRU' ? 3 : 1) * H;
  const N = sizes.reduce((a, b) => a + b, 0);
  const offsets = sizes.map((_, t) => sizes.slice(0, t).reduce((a, b) => a + b, 0));
  const h = Float64Array.from(p.h0), c = Float64Array.from(p.c0);
  const y = new Float64Array((N + B * (mode === 'RNN_LSTM' ? 2 : 1)) * H);
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  for (let s = 0; s < sizes.length; s++) {
    const t = p.reverse ? sizes.length - 1 - s : s;
    for (let j = 0; j < sizes[t]; j++) {
      const r = offsets[t] + j;
      const hw = (gate: number) => {
        let acc = p.bhh[gate];
        for (let k = 0; k < H; k++) acc += p.whh[gate * H + k] * h[j * H + k];
        return acc;
      };
      const pre = (gate: number) => hw(gate) + p.xw[r * G + gate];
      const hNew = new Float64Array(H);
      for (let k = 0; k < H; k++) {
        if (mode === 'RNN_LSTM') {
          const i = sig(pre(k)), f2 = sig(pre(H + k)), g = Math.tanh(pre(2 * H + k)), o = sig(pre(3 * H + k));
          c[j * H + k] = f2 * c[j * H + k] + i * g;
          hNew[k] = o * Math.tanh(c[j * H + k]);
        } else if (mode === 'RNN_GRU') {
          const rg = sig(pre(k)), z = sig(pre(H + k));
          const n = Math.tanh(p.xw[r * G + 2 * H + k] + rg * hw(2 * H + k));
          hNew[k] = (1 - z) * n + z * h[j * H + k];
        } else {
          hNew[k] = mode === 'RNN_TANH' ? Math.tanh(pre(k)) : Math.max(0, pre(k));
        }
      }
      h.set(hNew, j * H);
      y.set(hNew, r * H);
    }
  }
  y.set(h, N * H);
  if (mode === 'RNN_LSTM') y.set(c, (N + B) * H);
  return y;
}

// ---------------------------------------------------------------------------
// Tests, once per build
// ---------------------------------------------------------------------------

// relaxed: the relaxed-SIMD build (fused multiply-add in the GEMM), on a memory of its own here
const BUILDS = [
  ['release', 'kernels.wasm'],
  ['debug', 'kernels.debug.wasm'],
  ['relaxed', 'kernels.relaxed.wasm'],
] as const;

describe.each(BUILDS)('%s build (build/%s)', (build, file) => {
  let K: KernelFunctions;
  let codes: Record<string, number>;
  let h: Heap;

  beforeAll(async () => {
    const bytes = readFileSync(new URL(`../build/${file}`, import.meta.url));
    const k = await instantiateKernels(bytes, build === 'relaxed' ? new WebAssembly.Memory({ initial: 1 }) : undefined);
    K = k.fn;
    codes = k.codes;
    h = new Heap(K, k.memory);
  });
  beforeEach(() => h.reset());

  const code = (name: string): number => {
    const c = codes[name];
    if (c === undefined) throw new Error(`module does not export ${name}`);
    return c;
  };
  const expectGuardsIntact = (what = '') => expect(h.brokenGuards(), `writes outside buffers ${what}`).toEqual([]);

  describe('module', () => {
    it('exports a code for every op the tables cover, and no untested one', () => {
      const names = (prefix: string) => Object.keys(codes).filter((k) => k.startsWith(prefix)).sort();
      expect(names('U_')).toEqual(UNARY.map((s) => s.code).sort());
      expect(names('B_')).toEqual(BINARY.map((s) => s.code).sort());
      expect(names('R_')).toEqual([...REDUCE_CODES].sort());
      expect(names('S_')).toEqual([...SOFTMAX_CODES].sort());
      expect(names('RNN_')).toEqual(RNN_MODES.map(([m]) => m).sort());
      expect(names('I64_')).toEqual(['I64_FLOOR_DIV', 'I64_POW', 'I64_TRUNC_DIV']); // binary_i64's own, tested with it
      expect(names('SCAN_')).toEqual(['SCAN_PROD', 'SCAN_SUM']); // scan's and scan_i64's, tested with them
      expect(codes.GEMM_MC).toBe(64);
      expect(codes.GEMM_KC).toBe(320);
      expect(codes.GEMM_SCRATCH_BYTES).toBeGreaterThanOrEqual(
        (codes.GEMM_MC * codes.GEMM_KC + codes.GEMM_KC * codes.GEMM_NC + MR * NR) * 4,
      );
    });

    it('the erf reference matches known values', () => {
      // Abramowitz & Stegun table 7.1 / high-precision values
      expectClose(
        [0, 0.1, 0.5, 1, 2, 3, -1, 5].map(erfRef),
        [0, 0.1124629160182849, 0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014,
          -0.8427007929497149, 0.9999999999984626],
        { rtol: 1e-14 },
      );
    });
  });

  describe('unary', () => {
    it.each(UNARY)('$code at every awkward size, aligned and unaligned, in place', (spec) => {
      const op = code(spec.code);
      for (const [p0, p1] of spec.params ?? [[0, 0]]) {
        const fp0 = f(p0), fp1 = f(p1);
        for (const n of SIZES) {
          const x = unaryInput(n, 1000 + n);
          const want = Array.from(x, (v) => f(spec.ref(v, fp0, fp1)));
          const what = `${spec.code}(p0=${p0}, p1=${p1}) n=${n}`;
          // out of place, 16-byte aligned
          const px = h.putF32(x);
          const po = h.alloc(n);
          K.unary(op, px, po, n, p0, p1);
          expectClose(h.getF32(po, n), want, spec.tol, what);
          expectClose(h.getF32(px, n), x, EXACT, `${what}: input untouched`);
          // in place, off the 16-byte grid
          const py = h.putF32(x, 1 + (n % 3));
          K.unary(op, py, py, n, p0, p1);
          expectClose(h.getF32(py, n), want, spec.tol, `${what} in place, unaligned`);
        }
      }
      expectGuardsIntact(spec.code);
    });

    // exp's sweep runs up to overflow (e^88.72 is the largest float) and down to where results
    // turn subnormal (below e^-87.34), where 2 ulp of a normal float is the wrong measure
    it.each([
      ['U_EXP', Math.exp, -87.3, 88.7, [88.72, 89, -87.33, -103.9, -104]],
      ['U_SIGMOID', (x: number) => 1 / (1 + Math.exp(-x)), -30, 30, []],
      ['U_TANH', Math.tanh, -30, 30, []],
    ] as const)(
      '%s (f32x4 polynomial) within 2 ulp over a dense sweep, exact at the limits', (name, ref, lo, hi, edges) => {
        const n = 60001;
        const x = Float32Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
        const px = h.putF32(x);
        K.unary(code(name), px, px, n, 0, 0);
        expectClose(h.getF32(px, n), Array.from(x, (v) => f(ref(v))), { rtol: 2.4e-7 }, name);
        const limits = [Infinity, -Infinity, 200, -200, NaN, 0, -0];
        const pl = h.putF32(limits);
        K.unary(code(name), pl, pl, limits.length, 0, 0);
        expect(Array.from(h.getF32(pl, limits.length))).toEqual(limits.map((v) => f(ref(v))));
        // the ends of the range, where the result is the largest float or turns subnormal or 0
        const ends = Float32Array.from(edges);
        const pe = h.putF32(ends);
        K.unary(code(name), pe, pe, ends.length, 0, 0);
        expectClose(h.getF32(pe, ends.length), Array.from(ends, (v) => f(ref(v))), { rtol: 2.4e-7 }, `${name} at the ends`);
      });
  });

  describe('binary', () => {
    /** Runs K.binary over a strided layout and checks it against the reference. */
    function checkBinary(spec: BinarySpec, shape: number[], aStr: number[], bStr: number[], seed: number): void {
      const nd = shape.length;
      const [a, b] = binaryInput(Math.max(spanOf(shape, aStr), spanOf(shape, bStr)), seed);
      const A = a.subarray(0, spanOf(shape, aStr));
      const B = b.subarray(0, spanOf(shape, bStr));
      const total = shape.reduce((p, s) => p * s, 1);
      const want = new Float32Array(total);
      forEachIndex(shape, (t, idx) => (want[t] = spec.ref(A[dot(idx, aStr)], B[dot(idx, bStr)])));
      const pa = h.putF32(A, seed % 2);
      const pb = h.putF32(B);
      const po = h.alloc(total, seed % 3);
      const meta = h.putMeta([...shape, ...aStr, ...bStr], nd);
      K.binary(code(spec.code), pa, pb, po, nd, meta);
      const what = `${spec.code} shape [${shape}] a strides [${aStr}] b strides [${bStr}]`;
      expectClose(h.getF32(po, total), want, spec.tol, what);
      expectClose(h.getI32(meta, 3 * nd), [...shape, ...aStr, ...bStr], EXACT, `${what}: meta kept`);
      expectGuardsIntact(what);
    }

    // last-dim (stride a, stride b): both contiguous, scalar b, scalar a, both scalar, strided
    const ROW_LAYOUTS: [number, number][] = [[1, 1], [1, 0], [0, 1], [0, 0], [2, 1], [1, 3]];

    it.each(BINARY)('$code over one dim at every awkward size and row layout', (spec) => {
      for (const n of SIZES) for (const [sa, sb] of ROW_LAYOUTS) checkBinary(spec, [n], [sa], [sb], 7 * n + sa + sb);
    });

    const BROADCASTS: [number[], number[], number[]][] = [
      [[3, 5], [5, 1], [0, 1]], // matrix + row
      [[17, 33], [33, 1], [1, 0]], // matrix + column
      [[5, 17], [0, 1], [1, 0]], // row + column (outer product)
      [[7, 9], [1, 7], [9, 1]], // transposed + contiguous
      [[2, 3, 4], [12, 4, 1], [1, 0, 0]], // [2,3,4] + [2,1,1]
      [[4, 3, 5], [0, 5, 1], [15, 0, 1]], // [1,3,5] + [4,1,5]
      [[2, 3, 4, 5], [60, 20, 5, 1], [0, 5, 0, 1]], // 4-D with inner and outer broadcast
      [[3, 0], [0, 1], [1, 0]], // empty last dim
      [[0, 4], [4, 1], [0, 1]], // empty outer dim
      [[1, 1, 9], [9, 9, 1], [0, 0, 0]], // size-1 outer dims, scalar b
    ];
    it.each(BINARY)('$code broadcasting through the strided meta layout', (spec) => {
      BROADCASTS.forEach(([shape, sa, sb], i) => checkBinary(spec, shape, sa, sb, 31 * i + 5));
    });

    it('random shapes, broadcasts and layouts (property)', () => {
      // each operand: a dim order (permutation), per-dim padding, and a broadcast mask (stride 0)
      const operand = (nd: number) =>
        fc.record({
          order: fc.shuffledSubarray([...Array(nd).keys()], { minLength: nd, maxLength: nd }),
          pad: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nd, maxLength: nd }),
          bcast: fc.array(fc.boolean(), { minLength: nd, maxLength: nd }),
        });
      const stridesOf = (shape: number[], o: { order: number[]; pad: number[]; bcast: boolean[] }) => {
        const st = new Array<number>(shape.length).fill(0);
        let run = 1;
        for (let i = o.order.length - 1; i >= 0; i--) {
          const d = o.order[i];
          st[d] = run;
          run *= shape[d] + o.pad[d];
        }
        return st.map((s, d) => (o.bcast[d] ? 0 : s));
      };
      const arb = fc.integer({ min: 1, max: 4 }).chain((nd) =>
        fc.record({
          op: fc.constantFrom(...BINARY.map((s) => s.code)),
          shape: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 12, arbitrary: fc.integer({ min: 1, max: 9 }) }),
            { minLength: nd, maxLength: nd }),
          a: operand(nd),
          b: operand(nd),
          seed: fc.integer({ min: 0, max: 1 << 20 }),
        }),
      );
      fc.assert(
        fc.property(arb, ({ op, shape, a, b, seed }) => {
          h.reset();
          checkBinary(BINARY_BY_CODE.get(op)!, shape, stridesOf(shape, a), stridesOf(shape, b), seed);
        }),
        { seed: 42, numRuns: 50 },
      );
    });
  });

  describe('where', () => {
    it('selects a where cond != 0 (NaN counts as true, -0 as false)', () => {
      for (const n of SIZES) {
        const cond = randomF32(n, 3 * n, -1, 1).map((v, i) => (i % 3 === 0 ? 0 : i % 7 === 2 ? NaN : i % 11 === 4 ? -0 : v));
        const a = randomF32(n, 5 * n), b = randomF32(n, 7 * n);
        const want = Array.from(cond, (c, i) => (c !== 0 ? a[i] : b[i]));
        const po = h.alloc(n, 1);
        K.where(h.putF32(cond), h.putF32(a), h.putF32(b, 2), po, n);
        expectClose(h.getF32(po, n), want, EXACT, `where n=${n}`);
      }
      expectGuardsIntact();
    });
  });

  describe('reduce', () => {
    function refReduce(name: string, x: Float32Array, outer: number, len: number, inner: number): Float64Array {
      const out = new Float64Array(outer * inner);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let acc = name === 'R_SUM' ? 0 : name === 'R_MAX' ? -Infinity : name === 'R_MIN' ? Infinity : 1;
          for (let r = 0; r < len; r++) {
            const v = x[(o * len + r) * inner + i];
            if (name === 'R_SUM') acc += v;
            else if (name === 'R_PROD') acc *= v;
            else if (Number.isNaN(v) || Number.isNaN(acc)) acc = NaN;
            else acc = name === 'R_MAX' ? Math.max(acc, v) : Math.min(acc, v);
          }
          out[o * inner + i] = acc;
        }
      return out;
    }
    /** Summation-order slack: len * eps * sum |x| (sum), len * eps relative (prod), exact (max/min). */
    function reduceTol(name: string, x: Float32Array, outer: number, len: number, inner: number) {
      const eps = 2 ** -23;
      if (name === 'R_MAX' || name === 'R_MIN') return () => EXACT;
      if (name === 'R_PROD') return () => ({ rtol: (len + 1) * eps });
      const abs = refReduce('R_SUM', x.map(Math.abs), outer, len, inner);
      return (k: number) => ({ atol: (len + 1) * eps * abs[k] });
    }

    const SHAPES: [number, number][] = [];
    for (const outer of [1, 2, 3]) for (const inner of [1, 2, 3, 4, 5, 17]) SHAPES.push([outer, inner]);

    it.each(REDUCE_CODES)('%s over [outer, len, inner] at every awkward len, inner == 1 and > 1', (name) => {
      const op = code(name);
      for (const [outer, inner] of SHAPES)
        for (const len of SIZES) {
          const x = name === 'R_PROD' ? randomF32(outer * len * inner, len, 0.8, 1.25) : randomF32(outer * len * inner, len, -2, 2);
          const px = h.putF32(x, len % 2);
          const po = h.alloc(outer * inner, len % 3);
          K.reduce(op, px, po, outer, len, inner);
          expectClose(h.getF32(po, outer * inner), refReduce(name, x, outer, len, inner), reduceTol(name, x, outer, len, inner),
            `${name} [${outer}, ${len}, ${inner}]`);
        }
      expectGuardsIntact(name);
    });

    it.each(['R_SUM', 'R_MAX', 'R_MIN'])('%s propagates a NaN from any position', (name) => {
      for (const inner of [1, 5])
        for (const len of [1, 5, 9, 17, 33]) {
          for (const at of [0, len >> 1, len - 1]) {
            const x = randomF32(len * inner, at);
            x[at * inner + (inner - 1)] = NaN;
            const po = h.alloc(inner);
            K.reduce(code(name), h.putF32(x), po, 1, len, inner);
            expectClose(h.getF32(po, inner), refReduce(name, x, 1, len, inner), { rtol: 1e-5 }, `${name} NaN at ${at} of ${len}, inner ${inner}`);
            expect(Number.isNaN(h.getF32(po, inner)[inner - 1])).toBe(true);
          }
        }
    });

    it('max/min see infinities', () => {
      const x = [1, -Infinity, 3, Infinity, 2, 0, -5, 7, 8];
      const po = h.alloc(2);
      K.reduce(code('R_MAX'), h.putF32(x), po, 1, 9, 1);
      K.reduce(code('R_MIN'), h.putF32(x), po + 4, 1, 9, 1);
      expect(Array.from(h.getF32(po, 2))).toEqual([Infinity, -Infinity]);
    });
  });

  describe('argreduce', () => {
    function refArg(isMax: boolean, x: Float32Array, outer: number, len: number, inner: number) {
      const vals: number[] = [], idx: number[] = [];
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          let bi = 0;
          let best = x[o * len * inner + i];
          for (let r = 1; r < len && !Number.isNaN(best); r++) {
            const v = x[(o * len + r) * inner + i];
            if (Number.isNaN(v) || (isMax ? v > best : v < best)) [best, bi] = [v, r];
          }
          vals.push(best);
          idx.push(bi);
        }
      return { vals, idx };
    }

    it.each([
      ['argmax', 1],
      ['argmin', 0],
    ])('%s: first index on ties, first NaN wins, values optional', (_name, isMax) => {
      for (const outer of [1, 3])
        for (const inner of [1, 4, 5])
          for (const len of SIZES.filter((n) => n > 0)) {
            // few distinct values, so ties are common; a NaN in some rows
            const r = rng(len * 31 + inner);
            const x = new Float32Array(outer * len * inner).map(() => Math.floor(r() * 4) - 2);
            if (len > 2) x[len * inner + 1 - inner] = NaN;
            const want = refArg(isMax === 1, x, outer, len, inner);
            const px = h.putF32(x);
            const pv = h.alloc(outer * inner), pi = h.alloc(2 * outer * inner);
            K.argreduce(isMax, px, pv, pi, outer, len, inner);
            const what = `isMax=${isMax} [${outer}, ${len}, ${inner}]`;
            expect(h.getI64(pi, outer * inner), what).toEqual(want.idx);
            expectClose(h.getF32(pv, outer * inner), want.vals, EXACT, what);
            // vals = 0: indices only
            const pj = h.alloc(2 * outer * inner);
            K.argreduce(isMax, px, 0, pj, outer, len, inner);
            expect(h.getI64(pj, outer * inner), `${what}, no vals`).toEqual(want.idx);
          }
      expectGuardsIntact();
    });
  });

  describe('softmax', () => {
    function refSoftmax(mode: string, x: Float32Array, outer: number, len: number, inner: number): number[] {
      const out: number[] = new Array(mode === 'S_LOGSUMEXP' ? outer * inner : outer * len * inner);
      for (let o = 0; o < outer; o++)
        for (let i = 0; i < inner; i++) {
          const at = (r: number) => (o * len + r) * inner + i;
          let m = -Infinity;
          for (let r = 0; r < len; r++) m = Number.isNaN(x[at(r)]) ? NaN : Math.max(m, x[at(r)]);
          let s = 0;
          for (let r = 0; r < len; r++) s += Math.exp(x[at(r)] - m);
          const lse = m === -Infinity ? -Infinity : m + Math.log(s);
          if (mode === 'S_LOGSUMEXP') out[o * inner + i] = lse;
          for (let r = 0; r < len && mode !== 'S_LOGSUMEXP'; r++)
            out[at(r)] = mode === 'S_SOFTMAX' ? Math.exp(x[at(r)] - m) / s : x[at(r)] - lse;
        }
      return out;
    }
    // softmax: f32 (x - max) costs <= 0.5 ulp of |x - max| <= 10; log_softmax: f32 subtractions of values <= ~15
    const TOL: Record<string, Tol> = {
      S_SOFTMAX: { rtol: 2e-6, atol: 1e-9 },
      S_LOG_SOFTMAX: { rtol: 1e-6, atol: 4e-6 },
      S_LOGSUMEXP: { rtol: 1e-6, atol: 1e-6 },
    };

    it.each(SOFTMAX_CODES)('%s over [outer, len, inner] at every awkward len', (mode) => {
      for (const outer of [1, 3])
        for (const inner of [1, 2, 5])
          for (const len of SIZES) {
            const x = randomF32(outer * len * inner, len + inner, -5, 5);
            const outN = mode === 'S_LOGSUMEXP' ? outer * inner : outer * len * inner;
            const px = h.putF32(x);
            const po = h.alloc(outN, 1);
            K.softmax(code(mode), px, po, outer, len, inner);
            const got = h.getF32(po, outN);
            const what = `${mode} [${outer}, ${len}, ${inner}]`;
            expectClose(got, refSoftmax(mode, x, outer, len, inner), TOL[mode], what);
            if (mode === 'S_SOFTMAX' && len > 0) {
              const sums = new Array(outer * inner).fill(0);
              forEachIndex([outer, len, inner], (t, [o, , i]) => (sums[o * inner + i] += got[t]));
              expectClose(sums, sums.map(() => 1), { atol: 1e-5 }, `${what}: rows sum to 1`);
            }
          }
      expectGuardsIntact(mode);
    });

    it('is stable for large inputs and follows PyTorch on -inf rows', () => {
      // row 0: huge values (no overflow); row 1: one -inf (probability 0); row 2: all -inf
      const x = [1000, 1001, 999, 1000, 3, -Infinity, 1, 2, -Infinity, -Infinity, -Infinity, -Infinity];
      const px = h.putF32(x);
      const ps = h.alloc(12), pl = h.alloc(12), pz = h.alloc(3);
      K.softmax(code('S_SOFTMAX'), px, ps, 3, 4, 1);
      K.softmax(code('S_LOG_SOFTMAX'), px, pl, 3, 4, 1);
      K.softmax(code('S_LOGSUMEXP'), px, pz, 3, 4, 1);
      const xs = new Float32Array(x);
      expectClose(h.getF32(ps, 12), refSoftmax('S_SOFTMAX', xs, 3, 4, 1), TOL.S_SOFTMAX, 'softmax');
      expectClose(h.getF32(pl, 12), refSoftmax('S_LOG_SOFTMAX', xs, 3, 4, 1), TOL.S_LOG_SOFTMAX, 'log_softmax');
      expectClose(h.getF32(pz, 3), refSoftmax('S_LOGSUMEXP', xs, 3, 4, 1), TOL.S_LOGSUMEXP, 'logsumexp');
      expect(h.getF32(ps, 12)[5]).toBe(0);
      expect(Array.from(h.getF32(ps, 12).subarray(8)).every(Number.isNaN)).toBe(true);
      expect(h.getF32(pz, 3)[2]).toBe(-Infinity);
    });
  });

  describe('fill / copy / copy_strided', () => {
    it('fill and fill_i32 at every awkward size', () => {
      for (const n of SIZES)
        for (const skew of [0, 1, 3]) {
          const p = h.alloc(n, skew);
          K.fill(p, n, -1.5);
          expect(Array.from(h.getF32(p, n)), `fill n=${n}`).toEqual(new Array(n).fill(-1.5));
          const q = h.alloc(n, skew);
          K.fill_i32(q, n, -7);
          expect(Array.from(h.getI32(q, n)), `fill_i32 n=${n}`).toEqual(new Array(n).fill(-7));
        }
      expectGuardsIntact();
    });

    it('copy at every awkward size, including overlapping ranges', () => {
      for (const n of SIZES) {
        const x = randomF32(n, n);
        const dst = h.alloc(n, 2);
        K.copy(h.putF32(x, 1), dst, n);
        expectClose(h.getF32(dst, n), x, EXACT, `copy n=${n}`);
        // overlapping, both directions (memmove semantics)
        const big = h.putF32(randomF32(n + 3, n + 1));
        const before = h.getF32(big, n + 3);
        K.copy(big, big + 12, n);
        expectClose(h.getF32(big + 12, n), before.subarray(0, n), EXACT, `copy forward overlap n=${n}`);
        const big2 = h.putF32(before);
        K.copy(big2 + 12, big2, n);
        expectClose(h.getF32(big2, n), before.subarray(3, 3 + n), EXACT, `copy backward overlap n=${n}`);
      }
      expectGuardsIntact();
    });

    /** dst storage after copy_strided, by the reference; also checks untouched elements. */
    function checkCopyStrided(shape: number[], ss: number[], ds: number[], seed: number): void {
      const nd = shape.length;
      const src = randomF32(spanOf(shape, ss), seed);
      const dstN = spanOf(shape, ds);
      const want = new Float32Array(dstN).fill(-99);
      forEachIndex(shape, (_t, idx) => (want[dot(idx, ds)] = src[dot(idx, ss)]));
      const pd = h.putF32(new Float32Array(dstN).fill(-99), seed % 2);
      const meta = h.putMeta([...shape, ...ss, ...ds], nd);
      K.copy_strided(h.putF32(src), pd, nd, meta);
      const what = `copy_strided shape [${shape}] src [${ss}] dst [${ds}]`;
      expectClose(h.getF32(pd, dstN), want, EXACT, what);
      expectGuardsIntact(what);
    }

    it('contiguous, transposed, broadcast, into views, 1-4 dims, at awkward sizes', () => {
      for (const n of SIZES) {
        checkCopyStrided([n], [1], [1], n); // memcpy row
        checkCopyStrided([n], [0], [1], n); // broadcast splat row
        checkCopyStrided([n], [3], [2], n); // strided both sides
        checkCopyStrided([3, n], [n, 1], [1, 3], n); // write a transposed view
        checkCopyStrided([n, 5], [1, n], [5, 1], n); // make a transpose contiguous
        checkCopyStrided([2, n], [0, 1], [n + 2, 1], n); // broadcast rows into a padded buffer
      }
      checkCopyStrided([2, 3, 4], [1, 8, 2], [12, 4, 1], 1); // permute
      checkCopyStrided([2, 3, 4, 5], [0, 5, 0, 1], [60, 20, 5, 1], 2); // expand
      checkCopyStrided([4, 0, 3], [0, 3, 1], [0, 3, 1], 3); // empty
    });
  });

  describe('cast', () => {
    it('cast_i32_f32 rounds to nearest even, at every awkward size', () => {
      const special = [0, 1, -1, 16777217, -16777219, 2147483647, -2147483648, 123456789];
      for (const n of SIZES) {
        const x = Array.from({ length: n }, (_, i) => (i < special.length ? special[i] : (i * 2654435761) | 0));
        const po = h.alloc(n, 1);
        K.cast_i32_f32(h.putI32(x), po, n);
        expectClose(h.getF32(po, n), x.map(f), EXACT, `cast_i32_f32 n=${n}`);
      }
      expectGuardsIntact();
    });

    it('cast_f32_i32 truncates toward zero, at every awkward size', () => {
      const special = [0, -0, 0.9, -0.9, 1.5, -1.5, 2.9999, -2.9999, 16777216, -2147483648];
      for (const n of SIZES) {
        const x = randomF32(n, n, -1000, 1000);
        x.set(special.slice(0, n));
        const po = h.alloc(n, 2);
        K.cast_f32_i32(h.putF32(x), po, n);
        expect(Array.from(h.getI32(po, n)), `cast_f32_i32 n=${n}`).toEqual(Array.from(x, (v) => Math.trunc(v) | 0));
      }
      expectGuardsIntact();
    });

    it('int64 casts: from int32 and to float32 as BigInt and Math.fround say, to int32 wrapping, from float32 truncating and saturating', () => {
      const big = [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 62n) - 3n, 2n ** 63n - 1n, -(2n ** 63n), 4294967297n, 16777217n];
      const n = big.length;
      const p64 = h.putI64(big, 1);
      const pf = h.alloc(n), pi = h.alloc(n), pw = h.alloc(2 * n, 1);
      K.cast_i64_f32(p64, pf, n);
      expectClose(h.getF32(pf, n), big.map((v) => Math.fround(Number(v))), EXACT, 'cast_i64_f32');
      K.cast_i64_i32(p64, pi, n);
      expect(Array.from(h.getI32(pi, n))).toEqual(big.map((v) => Number(BigInt.asIntN(32, v))));
      const ints = [0, 5, -5, 2147483647, -2147483648];
      K.cast_i32_i64(h.putI32(ints), pw, ints.length);
      expect(h.getI64(pw, ints.length)).toEqual(ints);
      const floats = [0.9, -0.9, 2 ** 40 + 0.5, -(2 ** 40), NaN, Infinity, -Infinity, 1e30];
      K.cast_f32_i64(h.putF32(floats), pw, floats.length);
      expect(h.getI64Big(pw, floats.length)).toEqual([0n, 0n, 2n ** 40n, -(2n ** 40n), 0n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n - 1n]);
      expectGuardsIntact();
    });

    it('fill_i64 writes the int64 its two halves make; copy_strided64 moves 8-byte elements through strides', () => {
      const q = h.alloc(2 * 5, 1);
      const v = -(2n ** 40n) - 7n;
      K.fill_i64(q, 5, Number(BigInt.asIntN(32, v)), Number(v >> 32n));
      expect(h.getI64Big(q, 5)).toEqual(new Array(5).fill(v));
      // the transpose of a 2 x 3 int64 matrix
      const src = [1n, 2n, 3n, 2n ** 50n, -4n, 5n];
      const ps = h.putI64(src, 1);
      const pd = h.alloc(12, 1);
      K.copy_strided64(ps, pd, 2, h.putMeta([3, 2, 1, 3, 2, 1], 2));
      expect(h.getI64Big(pd, 6)).toEqual([1n, 2n ** 50n, 2n, -4n, 3n, 5n]);
      expectGuardsIntact();
    });

    it('binary_i64 computes int64 arithmetic, division and comparisons as BigInt does (wrapping), through broadcast strides', () => {
      const wrap = (v: bigint) => BigInt.asIntN(64, v);
      const floorDiv = (a: bigint, b: bigint) => (a % b !== 0n && (a < 0n) !== (b < 0n) ? a / b - 1n : a / b);
      const ops: [string, (a: bigint, b: bigint) => bigint | boolean][] = [
        ['B_ADD', (a, b) => wrap(a + b)], ['B_SUB', (a, b) => wrap(a - b)], ['B_MUL', (a, b) => wrap(a * b)],
        ['B_MAX', (a, b) => (a > b ? a : b)], ['B_MIN', (a, b) => (a < b ? a : b)],
        ['I64_TRUNC_DIV', (a, b) => wrap(a / b)], ['I64_FLOOR_DIV', (a, b) => wrap(floorDiv(a, b))],
        ['I64_POW', (a, b) => (b < 0n ? (a === 1n ? 1n : a === -1n ? (b % 2n === 0n ? 1n : -1n) : 0n) : wrap(a ** b))],
        ['B_GT', (a, b) => a > b], ['B_LT', (a, b) => a < b], ['B_GE', (a, b) => a >= b], ['B_LE', (a, b) => a <= b],
        ['B_EQ', (a, b) => a === b], ['B_NE', (a, b) => a !== b],
      ];
      const as = [7n, -7n, 2n ** 62n + 5n, -(2n ** 63n), 2n ** 63n - 1n, 0n];
      const bs = [2n, -3n, -1n]; // broadcast along rows: a [6, 1] op b [1, 3]
      for (const [name, ref] of ops) {
        const out = h.alloc(2 * 18, 1);
        K.binary_i64(code(name), h.putI64(as, 1), h.putI64(bs, 2), out, 2, h.putMeta([6, 3, 1, 0, 0, 1], 2));
        const want = as.flatMap((a) => bs.map((b) => ref(a, b)));
        const got = typeof want[0] === 'boolean' ? Array.from(h.getF32(out, 18), (v) => v === 1) : h.getI64Big(out, 18);
        expect(got, name).toEqual(want);
      }
      expectGuardsIntact();
    });

    it('index_add_i64 adds int64 rows at their indices exactly, duplicates accumulating, and refuses a bad index first', () => {
      const dst = [1n, 2n, 2n ** 62n, 4n, 5n, 6n]; // [size 3, inner 2]
      const src = [10n, 20n, 2n ** 62n, 1n]; // [n 2, inner 2]
      const pd = h.putI64(dst, 1);
      expect(K.index_add_i64(pd, h.putI64([2, 2]), h.putI64(src, 2), 1, 3, 2, 2)).toBe(-1);
      expect(h.getI64Big(pd, 6)).toEqual([1n, 2n, 2n ** 62n, 4n, BigInt.asIntN(64, 5n + 10n + 2n ** 62n), 6n + 20n + 1n]);
      const pk = h.putI64(dst, 1);
      expect(K.index_add_i64(pk, h.putI64([0, 3]), h.putI64(src, 2), 1, 3, 2, 2)).toBe(1);
      expect(h.getI64Big(pk, 6)).toEqual(dst); // nothing written
      expectGuardsIntact();
    });

    it('scan runs sums and products along the middle axis of [outer, len, inner] in f64, rounded once a step', () => {
      for (const [outer, len, inner] of [[1, 1, 1], [2, 5, 1], [1, 7, 3], [3, 4, 2], [2, 17, 5]]) {
        const n = outer * len * inner;
        const x = randomF32(n, 77 + n, -1.5, 1.5);
        for (const name of ['SCAN_SUM', 'SCAN_PROD']) {
          const want = new Array<number>(n);
          for (let o = 0; o < outer; o++) {
            for (let i = 0; i < inner; i++) {
              let acc = name === 'SCAN_SUM' ? 0 : 1;
              for (let r = 0; r < len; r++) {
                const at = (o * len + r) * inner + i;
                acc = name === 'SCAN_SUM' ? acc + x[at] : acc * x[at];
                want[at] = f(acc);
              }
            }
          }
          const out = h.alloc(n, 1);
          K.scan(code(name), h.putF32(x, 2), out, outer, len, inner);
          expectClose(h.getF32(out, n), want, EXACT, `${name} [${outer}, ${len}, ${inner}]`);
        }
      }
      expectGuardsIntact();
    });

    it('scan_i64 runs exact int64 sums and products, wrapping as BigInt.asIntN', () => {
      const x = [2n ** 62n, 3n, 2n ** 62n, -5n, 2n ** 40n, 7n]; // [outer 1, len 3, inner 2]
      for (const [name, ref] of [['SCAN_SUM', (a: bigint, b: bigint) => BigInt.asIntN(64, a + b)], ['SCAN_PROD', (a: bigint, b: bigint) => BigInt.asIntN(64, a * b)]] as const) {
        const out = h.alloc(12, 1);
        K.scan_i64(code(name), h.putI64(x, 1), out, 1, 3, 2);
        const want = [0, 1].map((i) => [x[i], x[i + 2], x[i + 4]].map((_, r, col) => col.slice(0, r + 1).reduce(ref)));
        expect(h.getI64Big(out, 6), name).toEqual([want[0][0], want[1][0], want[0][1], want[1][1], want[0][2], want[1][2]]);
      }
      expectGuardsIntact();
    });

    it('reduce_i64 sums, multiplies and takes extrema of int64 along the middle axis, wrapping as BigInt.asIntN', () => {
      const x = [2n ** 62n, 2n ** 62n, 3n, -5n, 2n ** 40n, 7n]; // [outer 1, len 3, inner 2]
      for (const [name, ref] of [['R_SUM', (a: bigint, b: bigint) => BigInt.asIntN(64, a + b)], ['R_PROD', (a: bigint, b: bigint) => BigInt.asIntN(64, a * b)],
        ['R_MAX', (a: bigint, b: bigint) => (a > b ? a : b)], ['R_MIN', (a: bigint, b: bigint) => (a < b ? a : b)]] as const) {
        const out = h.alloc(4, 1);
        K.reduce_i64(code(name), h.putI64(x, 1), out, 1, 3, 2);
        const col = (i: number) => [x[i], x[i + 2], x[i + 4]].reduce(ref);
        expect(h.getI64Big(out, 2), name).toEqual([col(0), col(1)]);
      }
      expectGuardsIntact();
    });

    it('cast_f32_i32 does not trap on NaN, infinities or out-of-range values', () => {
      const px = h.putF32([NaN, Infinity, -Infinity, 1e10, -1e10]);
      const po = h.alloc(5);
      expect(() => K.cast_f32_i32(px, po, 5)).not.toThrow();
      expect(h.getI32(po, 5).every((v) => Number.isInteger(v))).toBe(true);
    });
  });

  describe('axpy', () => {
    it.each([1, 0.5, -2.25, 0])('dst += %s * src at every awkward size', (alpha) => {
      for (const n of SIZES) {
        const d = randomF32(n, n), s = randomF32(n, n + 100);
        const want = Array.from(d, (v, i) => f(v + f(f(alpha) * s[i])));
        const pd = h.putF32(d, n % 4);
        K.axpy(pd, h.putF32(s, (n + 1) % 4), n, alpha);
        expectClose(h.getF32(pd, n), want, EXACT, `axpy alpha=${alpha} n=${n}`);
      }
      expectGuardsIntact();
    });
  });

  describe('indexing', () => {
    const CASES: [number, number, number, number][] = []; // outer, size, inner, n
    for (const outer of [1, 3]) for (const size of [1, 5]) for (const inner of [1, 3, 4, 8, 17]) for (const n of [0, 1, 3, 7]) CASES.push([outer, size, inner, n]);

    it('index_select: out[o, j, i] = src[o, idx[j], i], duplicates allowed', () => {
      for (const [outer, size, inner, n] of CASES) {
        const r = rng(outer * 1000 + size * 100 + inner * 10 + n);
        const src = randomF32(outer * size * inner, n);
        const idx = Array.from({ length: n }, () => Math.floor(r() * size));
        const want = new Float32Array(outer * n * inner);
        forEachIndex([outer, n, inner], (t, [o, j, i]) => (want[t] = src[(o * size + idx[j]) * inner + i]));
        const po = h.alloc(outer * n * inner, 1);
        expect(K.index_select(h.putF32(src), h.putI64(idx), po, outer, size, inner, n)).toBe(-1);
        expectClose(h.getF32(po, outer * n * inner), want, EXACT, `index_select ${[outer, size, inner, n]}`);
      }
      expectGuardsIntact();
    });

    it('index_add: dst[o, idx[j], i] += src[o, j, i], duplicates accumulate', () => {
      for (const [outer, size, inner, n] of CASES) {
        const r = rng(outer * 999 + size * 99 + inner * 9 + n);
        const dst = randomF32(outer * size * inner, n + 1);
        const src = randomF32(outer * n * inner, n + 2);
        const idx = Array.from({ length: n }, () => Math.floor(r() * size));
        const want = Float32Array.from(dst);
        forEachIndex([outer, n, inner], (t, [o, j, i]) => {
          const k = (o * size + idx[j]) * inner + i;
          want[k] = f(want[k] + src[t]);
        });
        const pd = h.putF32(dst, 3);
        expect(K.index_add(pd, h.putI64(idx), h.putF32(src), outer, size, inner, n)).toBe(-1);
        expectClose(h.getF32(pd, dst.length), want, EXACT, `index_add ${[outer, size, inner, n]}`);
      }
      expectGuardsIntact();
    });

    it('index_copy: dst[o, idx[j], i] = src[o, j, i], a repeated index keeps the last row', () => {
      for (const [outer, size, inner, n] of CASES) {
        const r = rng(outer * 777 + size * 77 + inner * 7 + n);
        const dst = randomF32(outer * size * inner, n + 3);
        const src = randomF32(outer * n * inner, n + 4);
        const idx = Array.from({ length: n }, () => Math.floor(r() * size));
        const want = Float32Array.from(dst);
        forEachIndex([outer, n, inner], (t, [o, j, i]) => (want[(o * size + idx[j]) * inner + i] = src[t]));
        const pd = h.putF32(dst, 1);
        expect(K.index_copy(pd, h.putI64(idx), h.putF32(src), outer, size, inner, n)).toBe(-1);
        expectClose(h.getF32(pd, dst.length), want, EXACT, `index_copy ${[outer, size, inner, n]}`);
      }
      expectGuardsIntact();
    });

    it('gather: out[o, j, i] = src[o, idx[o, j, i], i]', () => {
      for (const [outer, size, inner, n] of CASES) {
        const r = rng(outer * 7 + size * 77 + inner * 777 + n);
        const src = randomF32(outer * size * inner, n + 3);
        const idx = Array.from({ length: outer * n * inner }, () => Math.floor(r() * size));
        const want = new Float32Array(outer * n * inner);
        forEachIndex([outer, n, inner], (t, [o, , i]) => (want[t] = src[(o * size + idx[t]) * inner + i]));
        const po = h.alloc(want.length, 2);
        expect(K.gather(h.putF32(src), h.putI64(idx), po, outer, size, inner, n)).toBe(-1);
        expectClose(h.getF32(po, want.length), want, EXACT, `gather ${[outer, size, inner, n]}`);
      }
      expectGuardsIntact();
    });

    it('scatter_add: dst[o, idx[o, j, i], i] += src[o, j, i], duplicates accumulate', () => {
      for (const [outer, size, inner, n] of CASES) {
        const r = rng(outer * 5 + size * 55 + inner * 555 + n);
        const dst = randomF32(outer * size * inner, n + 4);
        const src = randomF32(outer * n * inner, n + 5);
        const idx = Array.from({ length: outer * n * inner }, () => Math.floor(r() * size));
        const want = Float32Array.from(dst);
        forEachIndex([outer, n, inner], (t, [o, , i]) => {
          const k = (o * size + idx[t]) * inner + i;
          want[k] = f(want[k] + src[t]);
        });
        const pd = h.putF32(dst, 1);
        expect(K.scatter_add(pd, h.putI64(idx), h.putF32(src), outer, size, inner, n)).toBe(-1);
        expectClose(h.getF32(pd, dst.length), want, EXACT, `scatter_add ${[outer, size, inner, n]}`);
      }
      expectGuardsIntact();
    });

    it('every index kernel returns the first bad position and writes nothing', () => {
      const outer = 2, size = 5, inner = 3, n = 4;
      const src = randomF32(outer * size * inner, 1);
      // [ok, bad, bad] positions: negative, == size, huge
      for (const bad of [-1, size, 1 << 30]) {
        for (const at of [0, 2, n - 1]) {
          const idx = [1, 0, 4, 2].map((v, j) => (j === at ? bad : j > at ? -5 : v)); // later bad ones must not be reported
          const po = h.putF32(new Float32Array(outer * n * inner).fill(7));
          expect(K.index_select(h.putF32(src), h.putI64(idx), po, outer, size, inner, n), `index_select bad ${bad} at ${at}`).toBe(at);
          expect(Array.from(h.getF32(po, outer * n * inner)).every((v) => v === 7)).toBe(true);
          const pd = h.putF32(src);
          expect(K.index_add(pd, h.putI64(idx), h.putF32(new Float32Array(outer * n * inner).fill(1)), outer, size, inner, n)).toBe(at);
          expectClose(h.getF32(pd, src.length), src, EXACT, 'index_add wrote after a bad index');
          const pc = h.putF32(src);
          expect(K.index_copy(pc, h.putI64(idx), h.putF32(new Float32Array(outer * n * inner).fill(1)), outer, size, inner, n)).toBe(at);
          expectClose(h.getF32(pc, src.length), src, EXACT, 'index_copy wrote after a bad index');

          // gather/scatter_add index [outer, n, inner]: put the bad one at a flat position
          const flatAt = at * 5 + 1;
          const gidx = new Array(outer * n * inner).fill(0).map((_, t) => (t === flatAt ? bad : t > flatAt ? -1 : t % size));
          const pg = h.putF32(new Float32Array(outer * n * inner).fill(7));
          expect(K.gather(h.putF32(src), h.putI64(gidx), pg, outer, size, inner, n), `gather bad ${bad} at ${flatAt}`).toBe(flatAt);
          expect(Array.from(h.getF32(pg, outer * n * inner)).every((v) => v === 7)).toBe(true);
          const ps = h.putF32(src);
          expect(K.scatter_add(ps, h.putI64(gidx), h.putF32(new Float32Array(outer * n * inner).fill(1)), outer, size, inner, n)).toBe(flatAt);
          expectClose(h.getF32(ps, src.length), src, EXACT, 'scatter_add wrote after a bad index');
        }
      }
      expectGuardsIntact();
    });
  });

  describe('gemm', () => {
    interface GemmCase {
      m: number;
      n: number;
      k: number;
      transA: boolean;
      transB: boolean;
      beta: 0 | 1;
      padA: number;
      padB: number;
      padC: number;
      seed: number;
      /** C = bias + A @ B (C is not read) */
      bias?: boolean;
    }
    let scratch = 0;
    const withScratch = () => {
      scratch = h.alloc(code('GEMM_SCRATCH_BYTES') >> 2);
      // stale data in scratch must not leak into results
      h.f32.fill(NaN, scratch >> 2, (scratch >> 2) + (code('GEMM_SCRATCH_BYTES') >> 2));
    };

    /** C = A @ B (+ C) with A [m,k] and B [k,n] stored plain or transposed, with padded leading dims. */
    function checkGemm(c: GemmCase): void {
      const { m, n, k, transA, transB, beta, padA, padB, padC, seed, bias = false } = c;
      // A[i][p] at i*rsA + p*csA; B[p][j] at p*rsB + j*csB
      const [rsA, csA, lenA] = transA ? [1, m + padA, k * (m + padA)] : [k + padA, 1, m * (k + padA)];
      const [rsB, csB, lenB] = transB ? [1, k + padB, n * (k + padB)] : [n + padB, 1, k * (n + padB)];
      const ldc = n + padC;
      const A = randomF32(lenA, seed), B = randomF32(lenB, seed + 1);
      const C0 = beta ? randomF32(m * ldc, seed + 2) : new Float32Array(m * ldc).fill(NaN); // beta 0 must not read C
      const bv = randomF32(n, seed + 3);
      const want = Float64Array.from(C0);
      const scale = new Float64Array(m * ldc);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = bias ? bv[j] : beta ? C0[i * ldc + j] : 0, sa = Math.abs(s);
          for (let p = 0; p < k; p++) {
            const v = A[i * rsA + p * csA] * B[p * rsB + j * csB];
            s += v;
            sa += Math.abs(v);
          }
          want[i * ldc + j] = s;
          scale[i * ldc + j] = sa;
        }
      const pc = h.putF32(C0, seed % 2);
      K.gemm(m, n, k, h.putF32(A, seed % 3), rsA, csA, h.putF32(B), rsB, csB, pc, ldc, beta, scratch, bias ? h.putF32(bv) : 0);
      const what = `gemm m=${m} n=${n} k=${k} transA=${transA} transB=${transB} beta=${beta} bias=${bias} pads=${[padA, padB, padC]}`;
      // f32 accumulation over k terms: k * eps * sum |a b| (pads of C must keep their NaN/values exactly)
      expectClose(h.getF32(pc, m * ldc), want, (t) => ({ atol: (k + 2) * 2 ** -23 * scale[t] }), what);
      expectGuardsIntact(what);
    }

    // [m, n, k]: empty, single, below/above the 4x8 tile, and crossing MC=64, KC=320 (K in 2 and 3
    // equal blocks), NC=1024; m <= 64 reads a B with contiguous rows in place, edge columns packed,
    // unless its rows are a power of two apart (n = 1024: packed); contiguous rows are packed two
    // panels at a time, then one (n = 24), then the edge
    const SHAPES: [number, number, number][] = [
      [1, 1, 1], [0, 3, 4], [3, 0, 4], [3, 4, 0], [5, 7, 3], [5, 3, 7], [4, 8, 16], [3, 7, 9], [17, 33, 9], [17, 9, 33],
      [65, 257, 9], [65, 9, 257], [100, 3, 100], [100, 100, 3], [64, 8, 256], [33, 16, 513], [3, 1030, 5],
      [64, 20, 641], [65, 20, 321], [8, 784, 520], [10, 1024, 25], [65, 24, 9],
    ];
    const COMBOS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

    it.each(COMBOS)('transA=%s transB=%s over the awkward shapes, beta 0 and 1', (transA, transB) => {
      withScratch();
      for (const [m, n, k] of SHAPES)
        for (const beta of [0, 1] as const)
          checkGemm({ m, n, k, transA, transB, beta, padA: 0, padB: 0, padC: 0, seed: m + 3 * n + 7 * k + beta });
    });

    it('with a bias: C = bias + A @ B, C not read, its padding untouched', () => {
      withScratch();
      for (const [m, n, k] of SHAPES)
        for (const [transA, transB] of COMBOS)
          checkGemm({ m, n, k, transA, transB, beta: 0, padA: 0, padB: 1, padC: 3, seed: m + n + k, bias: true });
    });

    it('gemm_prepacked with gemm_pack_b\'s B gives gemm\'s result bit for bit, across the block edges', () => {
      withScratch();
      for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [17, 33, 9], [65, 257, 9], [3, 1030, 5], [33, 16, 513], [64, 20, 641], [4, 8, 0]])
        for (const [transA, transB] of COMBOS) {
          const [rsA, csA] = transA ? [1, m] : [k, 1];
          const [rsB, csB] = transB ? [1, k] : [n, 1];
          const A = randomF32(m * k, m + n), B = randomF32(k * n, k + 1), C0 = randomF32(m * n, 3);
          const pa = h.putF32(A), pb = h.putF32(B);
          const packed = h.alloc(K.gemm_packed_floats(k, n));
          K.gemm_pack_b(pb, rsB, csB, k, n, packed);
          for (const beta of [0, 1]) {
            const want = h.putF32(C0), got = h.putF32(C0, 1);
            K.gemm(m, n, k, pa, rsA, csA, pb, rsB, csB, want, n, beta, scratch);
            K.gemm_prepacked(m, n, k, pa, rsA, csA, packed, got, n, beta, scratch);
            expectClose(h.getF32(got, m * n), h.getF32(want, m * n), EXACT, `prepacked m=${m} n=${n} k=${k} ${transA} ${transB} beta=${beta}`);
          }
        }
      expectGuardsIntact('prepacked');
    });

    it('writes only the m x n block of a C with ldc > n, with padded A and B', () => {
      withScratch();
      for (const [m, n, k] of [[5, 7, 3], [17, 9, 33], [65, 13, 257], [9, 17, 1]])
        for (const [transA, transB] of COMBOS)
          for (const beta of [0, 1] as const) checkGemm({ m, n, k, transA, transB, beta, padA: 2, padB: 3, padC: 5, seed: m * n + k });
    });

    it('random shapes, transposes and leading dims (property)', () => {
      const dim = fc.oneof(
        { weight: 1, arbitrary: fc.constant(0) },
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 20 }) },
        { weight: 2, arbitrary: fc.integer({ min: 21, max: 80 }) },
      );
      const arb = fc.record({
        m: dim,
        n: dim,
        k: fc.oneof({ weight: 5, arbitrary: dim }, { weight: 1, arbitrary: fc.integer({ min: 250, max: 300 }) }),
        transA: fc.boolean(),
        transB: fc.boolean(),
        beta: fc.constantFrom(0 as const, 1 as const),
        padA: fc.integer({ min: 0, max: 3 }),
        padB: fc.integer({ min: 0, max: 3 }),
        padC: fc.integer({ min: 0, max: 3 }),
        seed: fc.integer({ min: 0, max: 1 << 20 }),
      });
      fc.assert(
        fc.property(arb, (c) => {
          h.reset();
          withScratch();
          checkGemm(c);
        }),
        { seed: 42, numRuns: 50 },
      );
    });
  });

  describe('recurrence', () => {
    // packed batches: full, shrinking (with a step of one row), and a single row
    const SHAPES: [number, number, number[]][] = [[5, 3, [3, 3, 2, 1]], [1, 1, [1]], [4, 2, [2, 1, 1]], [9, 4, [4, 4, 4]]];
    const cases = RNN_MODES.flatMap(([mode, gates]) => SHAPES.flatMap(([H, B, sizes]) =>
      [false, true].map((reverse) => ({ mode, gates, H, B, sizes, reverse }))));

    it.each(cases)('$mode H=$H B=$B sizes=$sizes reverse=$reverse: forward, and backward against central differences', (c) => {
      const { mode, gates, H, B, sizes, reverse } = c;
      const G = gates * H, N = sizes.reduce((a, b) => a + b, 0), T = sizes.length;
      const lstm = mode === 'RNN_LSTM', gru = mode === 'RNN_GRU';
      const seed = H * 31 + B * 7 + T + (reverse ? 100 : 0) + gates;
      // inputs rounded to f32 so the f64 reference sees exactly what the kernel sees
      const P: RnnProblem = {
        mode, H, B, sizes, reverse,
        xw: Float64Array.from(randomF32(N * G, seed)), h0: Float64Array.from(randomF32(B * H, seed + 1)),
        c0: Float64Array.from(randomF32(B * H, seed + 2)), whh: Float64Array.from(randomF32(G * H, seed + 3)),
        bhh: Float64Array.from(randomF32(G, seed + 4)),
      };
      const Y = N + B * (lstm ? 2 : 1);
      const scratch = h.alloc(code('GEMM_SCRATCH_BYTES') >> 2);
      const px = h.putF32(P.xw), ph0 = h.putF32(P.h0), pc0 = h.putF32(P.c0), pw = h.putF32(P.whh), pb = h.putF32(P.bhh);
      const ps = h.putI32(sizes);
      const py = h.alloc(Y * H), phprev = h.alloc(N * H), pact = h.alloc(N * 4 * H), pcprev = h.alloc(N * H), phw = h.alloc(B * G, 1);
      const pwpack = h.alloc(K.gemm_packed_floats(H, G)), pwpackT = h.alloc(K.gemm_packed_floats(G, H));
      K.rnn_forward(code(mode), T, N, B, H, px, ph0, pc0, pw, pb, ps, reverse ? 1 : 0, py, phprev, pact, pcprev, phw, pwpack, scratch);
      const y = rnnReference(P);
      expectClose(h.getF32(py, Y * H), y, { rtol: 1e-5, atol: 1e-6 }, `${mode} forward`);
      expectGuardsIntact('forward');

      // backward: the gradient of L = sum(dy * y) for a random dy, against central differences of the reference
      const dy = randomF32(Y * H, seed + 5);
      const pdy = h.putF32(dy), pdG = h.alloc(N * G), pdGh = gru ? h.alloc(N * G) : pdG, pdh = h.alloc(B * H), pdc = h.alloc(B * H);
      K.rnn_backward(code(mode), T, N, B, H, pdy, pw, ps, reverse ? 1 : 0, py, phprev, pact, pcprev, pdG, pdGh, pdh, pdc, pwpackT, scratch);
      expectGuardsIntact('backward');
      const loss = (q: RnnProblem) => rnnReference(q).reduce((acc, v, i) => acc + v * dy[i], 0);
      const numeric = (key: 'xw' | 'h0' | 'c0') => P[key].map((v, i) => {
        const eps = 1e-6, plus = { ...P, [key]: Float64Array.from(P[key]) }, minus = { ...P, [key]: Float64Array.from(P[key]) };
        plus[key][i] = v + eps;
        minus[key][i] = v - eps;
        return (loss(plus) - loss(minus)) / (2 * eps);
      });
      // ReLU's kink: skip nothing, inputs are random so no pre-activation sits at 0 within eps
      expectClose(h.getF32(pdG, N * G), numeric('xw'), { rtol: 1e-3, atol: 1e-4 }, `${mode} d xw`);
      expectClose(h.getF32(pdh, B * H), numeric('h0'), { rtol: 1e-3, atol: 1e-4 }, `${mode} d h0`);
      if (lstm) expectClose(h.getF32(pdc, B * H), numeric('c0'), { rtol: 1e-3, atol: 1e-4 }, `${mode} d c0`);
      if (gru) {
        // dGh is dG but for the n gate, which the reset gate scales: dGh_n = dG_n * r
        const dG = h.getF32(pdG, N * G), dGh = h.getF32(pdGh, N * G), act = h.getF32(pact, N * 4 * H);
        const want = dG.map((v, i) => (i % G >= 2 * H ? f(v * act[Math.floor(i / G) * 4 * H + (i % G) - 2 * H]) : v));
        expectClose(dGh, want, EXACT, 'GRU dGh');
      }
    });
  });

  describe('max_pool2d', () => {
    interface PoolGeo { H: number; W: number; kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number }
    /** PyTorch's max_pool2d on one plane: value and flat index of each window's max (the first NaN wins; padding never). */
    function poolRef(x: Float32Array, g: PoolGeo, oh: number, ow: number): [number[], number[]] {
      const vals: number[] = [], idx: number[] = [];
      for (let y = 0; y < oh; y++)
        for (let xo = 0; xo < ow; xo++) {
          let best = -Infinity, bi = -1;
          for (let ki = 0; ki < g.kh; ki++)
            for (let kj = 0; kj < g.kw; kj++) {
              const iy = y * g.sh - g.ph + ki * g.dh, ix = xo * g.sw - g.pw + kj * g.dw;
              if (iy < 0 || iy >= g.H || ix < 0 || ix >= g.W) continue;
              const v = x[iy * g.W + ix];
              if (Number.isNaN(best)) continue;
              if (bi < 0 || v > best || Number.isNaN(v)) { best = v; bi = iy * g.W + ix; }
            }
          vals.push(best);
          idx.push(bi);
        }
      return [vals, idx];
    }
    const GEOS: PoolGeo[] = [
      { H: 24, W: 24, kh: 2, kw: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 }, // lecture 10
      { H: 7, W: 13, kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }, // stride 1: contiguous loads, ow = 11
      { H: 9, W: 17, kh: 2, kw: 3, sh: 2, sw: 3, ph: 0, pw: 0, dh: 2, dw: 2 }, // stride 3, dilation, ow = 4
      { H: 6, W: 10, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1 }, // padding: the bounds-checked path
      { H: 5, W: 3, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }, // ow = 3: only the one-window tail
    ];
    it.each(GEOS)('$H x $W, kernel $kh x $kw, stride $sh/$sw, pad $ph/$pw, dilation $dh/$dw, with NaNs and ties', (g) => {
      const oh = Math.floor((g.H + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh) + 1;
      const ow = Math.floor((g.W + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw) + 1;
      const planes = 3;
      const x = randomF32(planes * g.H * g.W, g.H * g.W + g.sw);
      x[5] = NaN; x[g.H * g.W + 7] = NaN; // NaNs in two planes
      for (let i = 0; i < 20; i++) x[2 * g.H * g.W + i] = 0.5; // ties: the first one's index wins
      const geo = h.putI32([1, g.H, g.W, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, oh, ow]);
      const po = h.alloc(planes * oh * ow, 1), pi = h.alloc(2 * planes * oh * ow, 2);
      K.max_pool2d(h.putF32(x, 3), po, pi, planes, geo);
      const got = h.getF32(po, planes * oh * ow), gotIdx = h.getI64(pi, planes * oh * ow);
      for (let p = 0; p < planes; p++) {
        const [vals, idx] = poolRef(x.subarray(p * g.H * g.W, (p + 1) * g.H * g.W), g, oh, ow);
        expectClose(got.subarray(p * oh * ow, (p + 1) * oh * ow), vals, EXACT, `plane ${p} values`);
        expect(gotIdx.slice(p * oh * ow, (p + 1) * oh * ow), `plane ${p} indices`).toEqual(idx);
      }
      expectGuardsIntact('max_pool2d');
    });
  });

  describe('sgd_step', () => {
    interface SgdConfig {
      lr: number;
      momentum: number;
      dampening: number;
      weightDecay: number;
      nesterov: boolean;
      maximize: boolean;
    }
    /** torch.optim.SGD's update in f32 arithmetic, one op at a time. */
    function refSgd(p: Float32Array, g: Float32Array, buf: Float32Array, c: SgdConfig, first: boolean): void {
      const lr = f(c.lr), mom = f(c.momentum), damp1 = f(1 - f(c.dampening)), wd = f(c.weightDecay);
      for (let i = 0; i < p.length; i++) {
        let d = c.maximize ? -g[i] : g[i];
        if (wd !== 0) d = f(d + f(wd * p[i]));
        if (mom !== 0) {
          buf[i] = first ? d : f(f(mom * buf[i]) + f(damp1 * d));
          d = c.nesterov ? f(d + f(mom * buf[i])) : buf[i];
        }
        p[i] = f(p[i] - f(lr * d));
      }
    }

    const CONFIGS: SgdConfig[] = [];
    for (const momentum of [0, 0.9])
      for (const dampening of momentum ? [0, 0.1] : [0])
        for (const nesterov of momentum && !dampening ? [false, true] : [false])
          for (const weightDecay of [0, 0.01])
            for (const maximize of [false, true]) CONFIGS.push({ lr: 0.1, momentum, dampening, weightDecay, nesterov, maximize });

    it.each(CONFIGS)(
      'momentum=$momentum dampening=$dampening nesterov=$nesterov weight_decay=$weightDecay maximize=$maximize: first step, then later ones',
      (c) => {
        for (const n of SIZES) {
          const p = randomF32(n, n), buf = new Float32Array(n);
          const pp = h.putF32(p, n % 4);
          const pg = h.alloc(n, 1);
          // momentum 0 never touches buf: pass a null pointer, as the library may
          const pb = c.momentum ? h.alloc(n, 2) : 0;
          for (let step = 0; step < 3; step++) {
            const g = randomF32(n, 100 * n + step, -2, 2);
            h.f32.set(g, pg >> 2);
            refSgd(p, g, buf, c, step === 0);
            K.sgd_step(pp, pg, pb, n, c.lr, c.momentum, c.dampening, c.weightDecay, +c.nesterov, +c.maximize, +(step === 0));
            const what = `n=${n} step ${step}`;
            expectClose(h.getF32(pp, n), p, EXACT, `${what}: params`);
            if (c.momentum) expectClose(h.getF32(pb, n), buf, EXACT, `${what}: momentum buffer`);
            expectClose(h.getF32(pg, n), g, EXACT, `${what}: grad untouched`);
          }
        }
        expectGuardsIntact();
      },
    );
  });

  describe('bounds checks', () => {
    // The debug build's checkRange asserts run before a kernel's loop, so a
    // bad pointer costs an Error and not a partial write. In release nothing
    // is asserted here: wasm's own bounds trap may come after partial writes.
    const TAIL_WORDS = 10; // n = 100 elements at this many words before the end runs 90 past it

    it.runIf(build === 'debug')('checked kernels trap with the kernel assertion before touching memory past the end', () => {
      const scratch = h.alloc(code('GEMM_SCRATCH_BYTES') >> 2);
      const ok = h.putF32(new Float32Array(128).fill(1));
      const okI = h.putI32(new Int32Array(128));
      const okC = h.alloc(16);
      const end = h.memory.buffer.byteLength;
      const tail = end - TAIL_WORDS * 4;
      h.i32.fill(SENTINEL, tail >> 2);
      const attempts: [string, () => unknown][] = [
        // out of range outputs: nothing may be written
        ['fill', () => K.fill(tail, 100, 0)],
        ['fill_i32', () => K.fill_i32(tail, 100, 0)],
        ['unary out', () => K.unary(code('U_NEG'), ok, tail, 100, 0, 0)],
        ['copy dst', () => K.copy(ok, tail, 100)],
        ['axpy dst', () => K.axpy(tail, ok, 100, 1)],
        ['reduce out', () => K.reduce(code('R_SUM'), ok, tail, 1, 1, 100)],
        ['where out', () => K.where(ok, ok, ok, tail, 100)],
        ['gemm C', () => K.gemm(100, 1, 1, ok, 1, 1, ok, 1, 1, tail, 1, 0, scratch)],
        ['sgd_step params', () => K.sgd_step(tail, ok, 0, 100, 0.1, 0, 0, 0, 0, 0, 1)],
        // out of range inputs and scratch
        ['unary x', () => K.unary(code('U_NEG'), tail, ok, 100, 0, 0)],
        ['copy src', () => K.copy(tail, ok, 100)],
        ['axpy src', () => K.axpy(ok, tail, 100, 1)],
        ['reduce x', () => K.reduce(code('R_SUM'), tail, ok, 1, 100, 1)],
        ['argreduce x', () => K.argreduce(1, tail, ok, okI, 1, 100, 1)],
        ['softmax x', () => K.softmax(code('S_SOFTMAX'), tail, ok, 1, 100, 1)],
        ['gather idx', () => K.gather(ok, tail, ok, 1, 1, 1, 100)],
        ['gemm scratch', () => K.gemm(4, 4, 4, ok, 4, 1, ok, 4, 1, okC, 4, 0, tail)],
        ['sgd_step grad', () => K.sgd_step(ok, tail, 0, 100, 0.1, 0, 0, 0, 0, 0, 1)],
        ['sgd_step momentum buffer', () => K.sgd_step(ok, ok, tail, 100, 0.1, 0.9, 0, 0, 0, 0, 1)],
      ];
      for (const [name, call] of attempts) {
        expect(call, name).toThrow(Error);
        // the module's own assertion (env.abort), not wasm's later 'memory access out of bounds'
        expect(call, name).toThrow(/kernel assertion failed/);
        expect(Array.from(h.getI32(tail, TAIL_WORDS)), `${name}: nothing written before the trap`).toEqual(
          new Array(TAIL_WORDS).fill(SENTINEL),
        );
      }
    });

    it.runIf(build === 'debug')('kernels without a range check still trap with an Error past the end', () => {
      const ok = h.putF32(new Float32Array(128));
      const okI = h.putI64(new Int32Array(128));
      const seqI = h.putI64(Array.from({ length: 100 }, (_, i) => i)); // reaches every row of a size-100 dst
      const meta = h.putMeta([100, 1, 1], 1);
      const tail = h.memory.buffer.byteLength - TAIL_WORDS * 4;
      const attempts: [string, () => unknown][] = [
        ['binary out', () => K.binary(code('B_ADD'), ok, ok, tail, 1, meta)],
        ['copy_strided dst', () => K.copy_strided(ok, tail, 1, meta)],
        ['cast_i32_f32 dst', () => K.cast_i32_f32(okI, tail, 100)],
        ['cast_f32_i32 dst', () => K.cast_f32_i32(ok, tail, 100)],
        ['softmax out', () => K.softmax(code('S_SOFTMAX'), ok, tail, 1, 100, 1)],
        ['argreduce idx', () => K.argreduce(1, ok, 0, tail, 1, 1, 100)],
        ['index_select out', () => K.index_select(ok, okI, tail, 1, 1, 1, 100)],
        ['index_add dst', () => K.index_add(tail, seqI, ok, 1, 100, 1, 100)],
        ['gather out', () => K.gather(ok, okI, tail, 1, 1, 1, 100)],
        ['scatter_add dst', () => K.scatter_add(tail, seqI, ok, 1, 100, 1, 100)],
      ];
      for (const [name, call] of attempts) expect(call, name).toThrow(Error);
    });

    it('accepts buffers that end exactly at the end of memory', () => {
      const end = h.memory.buffer.byteLength;
      K.fill(end - 4 * 9, 9, 2.5);
      K.unary(code('U_SQUARE'), end - 4 * 9, end - 4 * 9, 9, 0, 0);
      expect(Array.from(h.f32.subarray((end >> 2) - 9))).toEqual(new Array(9).fill(6.25));
    });
  });
});

// The relaxed build is instantiated on the plain build's memory while tensors live there, which
// rewrites its static data: that is harmless only if the bytes are the same.
describe('relaxed-SIMD builds', () => {
  it.each([
    ['kernels.wasm', 'kernels.relaxed.wasm', false],
    ['kernels.threads.wasm', 'kernels.threads-relaxed.wasm', true],
  ] as const)('%s and %s lay out the same static data', async (plain, relaxed, isShared) => {
    const load = async (file: string) => {
      const bytes = readFileSync(new URL(`../build/${file}`, import.meta.url));
      const k = await instantiateKernels(bytes, file === 'kernels.relaxed.wasm' ? new WebAssembly.Memory({ initial: 1 }) : undefined);
      expect(k.shared).toBe(isShared);
      return new Uint8Array(k.memory.buffer.slice(0, k.fn.heap_base()));
    };
    const [a, b] = [await load(plain), await load(relaxed)];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBe(a.length);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });
});
