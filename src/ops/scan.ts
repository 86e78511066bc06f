// Running reductions along a dim: cumsum and cumprod (the scan kernels), and
// flip, whose reversal their backward rules need. float32 runs accumulate in
// f64 as PyTorch's CPU kernel does; integers and bools give int64, exactly.
import { op } from '../signature.js';
import { Tensor, numelOf } from '../tensor.js';
import { isIntegral, type DType } from '../dtype.js';
import { record } from '../autograd/engine.js';
import { K, codes, tick, empty, ptr, dense, asFloat, toDtypeRaw, normalizeDim } from './core.js';
import { arange } from './creation.js';
import { index_select } from './indexing.js';
import { where } from './elementwise.js';
import { any } from './reduce.js';

type ScanCall = (input: Tensor, dim: number | { dim: number; dtype?: DType | null }, options?: { dtype?: DType | null }) => Tensor;

function scanKernel(x: Tensor, d: number, op: number): Tensor {
  const int = x.dtype !== 'float32';
  const src = int ? dense(toDtypeRaw(x, 'int64')) : dense(asFloat(x));
  const shape = x.dim() === 0 ? [1] : x.shape;
  tick();
  const out = empty(x.shape.slice(), int ? 'int64' : 'float32');
  if (out.numel() > 0) {
    (int ? K.scan_i64 : K.scan)(op, ptr(src), ptr(out), numelOf(shape.slice(0, d)), shape[d], numelOf(shape.slice(d + 1)));
  }
  return out;
}

function scanArgs(x: Tensor, dim: number, dtype: DType | null): [Tensor, number] {
  const d = normalizeDim(dim, x.dim());
  return [dtype !== null && dtype !== x.dtype ? x.to(dtype) : x, d];
}

/** torch.flip(input, dims): the elements in reverse order along each of dims (a copy, as PyTorch's). */
export const flip = op<(input: Tensor, dims: number[] | { dims: number[] }) => Tensor>('flip(Tensor input, int[] dims) -> Tensor', flipImpl);
function flipImpl(x: Tensor, dims: number[]): Tensor {
  const ds = dims.map((d) => normalizeDim(d, x.dim()));
  ds.forEach((d, i) => {
    if (ds.indexOf(d) !== i) throw new Error(`dim ${d} appears multiple times in the list of dims`);
  });
  if (x.dim() === 0) return x.clone();
  let y = x;
  for (const d of ds) y = index_select(y, d, arange(x.shape[d] - 1, -1, -1, { dtype: 'int64' }));
  return y === x ? x.clone() : y;
}

/** torch.cumsum(input, dim, *, dtype=None). */
export const cumsum = op<ScanCall>('cumsum(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor', (input: Tensor, dim: number, dtype: DType | null) => {
  const [x, d] = scanArgs(input, dim, dtype);
  const y = scanKernel(x, d, codes.SCAN_SUM);
  // each input element reaches every later output: the gradient is g summed from the end
  return record(y, 'CumsumBackward0', [x], (g) => [x.dim() === 0 ? g : flip(cumsum(flip(g, [d]), d), [d])]);
});

/** torch.cumprod(input, dim, *, dtype=None). */
export const cumprod = op<ScanCall>('cumprod(Tensor input, int dim, *, ScalarType? dtype=None) -> Tensor', (input: Tensor, dim: number, dtype: DType | null) => {
  const [x, d] = scanArgs(input, dim, dtype);
  const y = scanKernel(x, d, codes.SCAN_PROD);
  return record(y, 'CumprodBackward0', [x], (g) => [x.dim() === 0 ? g : cumprodBackward(x, y, g, d)], [x, y]);
});

/**
 * d/dx_i of sum_j g_j y_j, y_j = prod_{k<=j} x_k, is sum_{j>=i} g_j prod_{k<=j, k!=i} x_k. Where x_i != 0 that is
 * sum_{j>=i} g_j y_j / x_i (0 past a row's first zero, where every y_j is 0). At the first zero it is the same sum
 * of products with x_i taken as 1.
 */
function cumprodBackward(x: Tensor, y: Tensor, g: Tensor, d: number): Tensor {
  const revsum = (t: Tensor) => flip(cumsum(flip(t, [d]), d), [d]);
  const zero = x.eq(0);
  const plain = revsum(g.mul(y)).div(where(zero, 1, x));
  if (!any(zero).item()) return plain;
  const firstZero = zero.logical_and(cumsum(zero, d).sub(zero).eq(0)); // a zero with no zero before it
  const skipped = where(firstZero, 1, x);
  return where(firstZero, revsum(g.mul(cumprod(skipped, d))), plain);
}
