// Linear algebra composed of matmul and reductions: outer, mv, einsum, the
// norms (torch.norm, torch.linalg.vector_norm/matrix_norm) and cdist.
import { op } from '../signature.js';
import { Tensor, numelOf } from '../tensor.js';
import { type DType } from '../dtype.js';
import { record } from '../autograd/engine.js';
import { normalizeDim, checkFloat } from './core.js';
import { reshape, permute, expand, unsqueeze } from './shape.js';
import { matmul, bmm } from './matmul.js';
import { sum, amax, amin } from './reduce.js';
import { where } from './elementwise.js';
import { diagonal } from './rearrange.js';

/** torch.outer(input, vec2): the outer product of two vectors. */
export const outer = op<(input: Tensor, vec2: Tensor) => Tensor>('outer(Tensor input, Tensor vec2) -> Tensor', (a: Tensor, b: Tensor) => {
  if (a.dim() !== 1) throw new Error(`outer: Expected 1-D argument self, but got ${a.dim()}-D`);
  if (b.dim() !== 1) throw new Error(`outer: Expected 1-D argument vec2, but got ${b.dim()}-D`);
  return unsqueeze(a, 1).mul(unsqueeze(b, 0));
});

/** torch.mv(input, vec): matrix times vector. */
export const mv = op<(input: Tensor, vec: Tensor) => Tensor>('mv(Tensor input, Tensor vec) -> Tensor', (m: Tensor, v: Tensor) => {
  if (m.dim() !== 2 || v.dim() !== 1) throw new Error(`vector + matrix @ vector expected, got 1, ${m.dim()}, ${v.dim()}`);
  if (m.shape[1] !== v.shape[0]) throw new Error(`size mismatch, got input (${m.shape[0]}), mat (${m.shape[0]}x${m.shape[1]}), vec (${v.shape[0]})`);
  return matmul(m, v);
});

// ---- norms ----------------------------------------------------------------------

/** The 2-norm over dims, with PyTorch's gradient: x / norm, and 0 where the norm is 0 (not NaN). */
function twoNorm(x: Tensor, dims: number[], keepdim: boolean): Tensor {
  const yk = sum(x.detach().mul(x.detach()), dims, true).sqrt();
  const y = keepdim ? yk : reshape(yk, x.shape.filter((_, i) => !dims.includes(i)));
  return record(y, 'LinalgVectorNormBackward0', [x], (g) => {
    const gk = reshape(g, yk.shape);
    return [x.mul(gk.div(where(yk.eq(0), 1, yk))).mul(yk.ne(0))];
  }, [x]);
}

function normDims(x: Tensor, dim: number | number[] | null): number[] {
  if (dim === null) return x.shape.map((_, i) => i);
  const ds = (Array.isArray(dim) ? dim : [dim]).map((d) => normalizeDim(d, x.dim()));
  ds.forEach((d, i) => { if (ds.indexOf(d) !== i) throw new Error(`dim ${d} appears multiple times in the list of dims`); });
  return ds.sort((a, b) => a - b);
}

/** The ord-norm of x over dims (all for null): inf is the largest |x|, -inf the smallest, 0 the count of nonzeros. */
function vectorNorm(x: Tensor, ord: number, dims: number[], keepdim: boolean): Tensor {
  checkFloat(x, 'linalg.vector_norm');
  if (ord === 2) return twoNorm(x, dims, keepdim);
  if (ord === Infinity || ord === -Infinity) {
    if (x.numel() === 0) throw new Error(`linalg.vector_norm cannot compute the ${ord === Infinity ? 'inf' : '-inf'} norm on an empty tensor because the operation does not have an identity`);
    return (ord === Infinity ? amax : amin)(x.abs(), dims, keepdim);
  }
  if (ord === 0) return sum(x.ne(0).float(), dims, keepdim);
  if (ord === 1) return sum(x.abs(), dims, keepdim);
  return sum(x.abs().pow(ord), dims, keepdim).pow(1 / ord);
}

type VectorNormCall = (x: Tensor, ord?: number | { ord?: number; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType | null },
  dim?: number | number[] | null, keepdim?: boolean, options?: { dtype?: DType | null }) => Tensor;
/** torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None). */
export const vector_norm = op<VectorNormCall>('linalg.vector_norm(Tensor x, Scalar ord=2, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
  (x: Tensor, ord: number, dim: number[] | null, keepdim: boolean, dtype: DType | null) =>
    vectorNorm(dtype !== null ? x.to(dtype) : x, ord, normDims(x, dim), keepdim));

type MatrixNormCall = (A: Tensor, ord?: number | string | { ord?: number | string; dim?: number[]; keepdim?: boolean; dtype?: DType | null },
  dim?: number[], keepdim?: boolean, options?: { dtype?: DType | null }) => Tensor;
/** torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False): 'fro', and 1, -1, inf, -inf (the spectral and nuclear norms need an SVD). */
export const matrix_norm = op<MatrixNormCall>("linalg.matrix_norm(Tensor A, Scalar|str ord='fro', int[2] dim=[-2, -1], bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
  (a: Tensor, ord: number | string, dim: number[], keepdim: boolean, dtype: DType | null) => {
    const A = dtype !== null ? a.to(dtype) : a;
    if (A.dim() < 2) throw new Error(`linalg.matrix_norm: The input tensor A must have at least 2 dimensions.`);
    const [d0, d1] = dim.map((d) => normalizeDim(d, A.dim()));
    if (d0 === d1) throw new Error(`linalg.matrix_norm: dims must be different. Got (${dim[0]}, ${dim[1]})`);
    if (ord === 'fro') return vectorNorm(A, 2, [d0, d1].sort((p, q) => p - q), keepdim);
    if (ord === 'nuc' || ord === 2 || ord === -2) throw new Error(`wasmtorch: linalg.matrix_norm with ord=${typeof ord === 'string' ? `'${ord}'` : ord} needs a singular value decomposition, which is not implemented`);
    if (typeof ord === 'string') throw new Error(`linalg.matrix_norm: Order ${ord} not supported.`);
    if (Math.abs(ord) !== 1 && Math.abs(ord) !== Infinity) throw new Error(`linalg.matrix_norm: Order ${ord} not supported.`);
    // 1: the largest column sum of |A| (summed over d0), inf: the largest row sum (over d1)
    const [sumDim, pickDim] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
    const sums = sum(A.abs(), [sumDim], true);
    const y = (ord > 0 ? amax : amin)(sums, [pickDim], true);
    return keepdim ? y : reshape(y, A.shape.filter((_, i) => i !== d0 && i !== d1));
  });

type NormCall = (input: Tensor, p?: number | string | null | { p?: number | string | null; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType | null },
  dim?: number | number[] | null, keepdim?: boolean, dtype?: DType | null) => Tensor;
/** torch.norm(input, p='fro', dim=None, keepdim=False, dtype=None) (and Tensor.norm): vector norms, or 'fro'/'nuc' of a matrix. */
export const norm = op<NormCall>("norm(Tensor input, Scalar|str? p='fro', int[]? dim=None, bool keepdim=False, ScalarType? dtype=None) -> Tensor",
  (input: Tensor, p: number | string | null, dim: number[] | null, keepdim: boolean, dtype: DType | null) => {
    const x = dtype !== null ? input.to(dtype) : input;
    if (p === null || p === 'fro') return vectorNorm(x, 2, normDims(x, dim), keepdim);
    if (p === 'nuc') throw new Error("wasmtorch: torch.norm with p='nuc' needs a singular value decomposition, which is not implemented");
    if (typeof p === 'string') throw new Error(`linalg.vector_norm: Order ${p} not supported.`);
    return vectorNorm(x, p, normDims(x, dim), keepdim);
  });

/** torch.cdist(x1, x2, p=2.0): the p-norm distance of every row of x1 to every row of x2 (batched over leading dims). */
export const cdist = op<(x1: Tensor, x2: Tensor, p?: number | { p?: number; compute_mode?: string | null }, compute_mode?: string | null) => Tensor>(
  "cdist(Tensor x1, Tensor x2, float p=2.0, str? compute_mode=None) -> Tensor", (a: Tensor, b: Tensor, p: number) => {
    if (a.dim() < 2) throw new Error(`cdist only supports at least 2D tensors, X1 got: ${a.dim()}D`);
    if (b.dim() < 2) throw new Error(`cdist only supports at least 2D tensors, X2 got: ${b.dim()}D`);
    if (a.shape[a.dim() - 1] !== b.shape[b.dim() - 1]) {
      throw new Error(`X1 and X2 must have the same number of columns. X1: ${a.shape[a.dim() - 1]} X2: ${b.shape[b.dim() - 1]}`);
    }
    if (p < 0) throw new Error('cdist only supports non-negative p values');
    const diff = unsqueeze(a, -2).sub(unsqueeze(b, -3)); // [..., P, R, M]
    return vectorNorm(diff, p, [diff.dim() - 1], false);
  });

// ---- einsum -----------------------------------------------------------------------

/** An operand's subscripts, '...' expanded into capital letters (each its own broadcast dim). */
function readSubscripts(spec: string, t: Tensor, ellipsisDims: number, operand: number): string[] {
  const letters: string[] = [];
  const parts = spec.split('...');
  if (parts.length > 2) throw new Error("einsum(): found more than one '...' in subscripts");
  const named = parts.join('').length;
  const fill = parts.length === 2 ? t.dim() - named : 0;
  if (parts.length === 2 && fill < 0) {
    throw new Error(`einsum(): the number of subscripts in the equation (${named}) is more than the number of dimensions (${t.dim()}) for operand ${operand}`);
  }
  if (parts.length === 1 && named !== t.dim()) {
    throw new Error(`einsum(): the number of subscripts in the equation (${named}) does not match the number of dimensions (${t.dim()}) for operand ${operand} and no ellipsis was given`);
  }
  for (const ch of parts[0]) letters.push(ch);
  if (parts.length === 2) {
    for (let i = 0; i < fill; i++) letters.push(String.fromCharCode(65 + ellipsisDims - fill + i)); // right-aligned, as broadcasting
    for (const ch of parts[1]) letters.push(ch);
  }
  for (const ch of letters) if (!/[a-zA-Z]/.test(ch)) throw new Error(`einsum(): invalid subscript given at index ${spec.indexOf(ch)} in the equation string, subscripts must be in [a-zA-Z]`);
  return letters;
}

/** t with repeated letters taken along their diagonal (ii -> i), and its letters. */
function takeDiagonals(t: Tensor, letters: string[]): [Tensor, string[]] {
  for (let i = 0; i < letters.length; i++) {
    const j = letters.indexOf(letters[i], i + 1);
    if (j < 0) continue;
    if (t.shape[i] !== t.shape[j]) throw new Error(`einsum(): subscript ${letters[i]} is repeated for operand but the sizes don't match, ${t.shape[i]} != ${t.shape[j]}`);
    const d = diagonal(t, 0, i, j); // the diagonal goes last
    const rest = letters.filter((_, k) => k !== i && k !== j);
    return takeDiagonals(d, [...rest, letters[i]]);
  }
  return [t, letters];
}

/** Two operands contracted over the letters neither the output nor the later operands keep: one bmm. */
function contract(a: Tensor, la: string[], b: Tensor, lb: string[], keep: Set<string>): [Tensor, string[]] {
  const batch = la.filter((c) => lb.includes(c) && keep.has(c));
  const summed = la.filter((c) => lb.includes(c) && !keep.has(c));
  const left = la.filter((c) => !lb.includes(c));
  const right = lb.filter((c) => !la.includes(c));
  const size = (c: string) => {
    const ia = la.indexOf(c), ib = lb.indexOf(c);
    return Math.max(ia >= 0 ? a.shape[ia] : 1, ib >= 0 ? b.shape[ib] : 1);
  };
  const arrange = (t: Tensor, l: string[], order: string[]) => {
    const perm = order.filter((c) => l.includes(c)).map((c) => l.indexOf(c));
    const moved = permute(t, perm);
    // broadcast a batch letter of size 1 against the other operand's
    return expand(moved, order.filter((c) => l.includes(c)).map((c) => (batch.includes(c) ? size(c) : t.shape[l.indexOf(c)])));
  };
  const A = reshape(arrange(a, la, [...batch, ...left, ...summed]), [numelOf(batch.map(size)), numelOf(left.map(size)), numelOf(summed.map(size))]);
  const B = reshape(arrange(b, lb, [...batch, ...summed, ...right]), [numelOf(batch.map(size)), numelOf(summed.map(size)), numelOf(right.map(size))]);
  return [reshape(bmm(A, B), [...batch, ...left, ...right].map(size)), [...batch, ...left, ...right]];
}

/** torch.einsum(equation, *operands): Einstein summation, two operands at a time as bmm, left to right. */
export const einsum = op<(equation: string, ...operands: (Tensor | Tensor[])[]) => Tensor>('einsum(str equation, Any... operands) -> Tensor',
  (equation: string, given: unknown[]) => {
    const operands = (given.length === 1 && Array.isArray(given[0]) ? given[0] : given) as Tensor[];
    const eq = equation.replace(/\s+/g, '');
    const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, null];
    const specs = lhs.split(',');
    if (specs.length !== operands.length) throw new Error(`einsum(): more operands were provided than specified in the equation`.replace('more', specs.length > operands.length ? 'fewer' : 'more'));
    operands.forEach((t) => { if (!(t instanceof Tensor)) throw new TypeError('einsum(): operands must be tensors'); });
    const ellipsisDims = Math.max(0, ...specs.map((s, i) => (s.includes('...') ? operands[i].dim() - s.replace('...', '').length : 0)));
    const subscripts = specs.map((s, i) => readSubscripts(s, operands[i], ellipsisDims, i));
    let terms = subscripts.map((l, i) => takeDiagonals(operands[i], l));
    const ell = Array.from({ length: ellipsisDims }, (_, i) => String.fromCharCode(65 + i));
    // the output: as given, or the ellipsis dims then the letters used once, in alphabetical order
    let out: string[];
    if (rhs !== null) {
      out = rhs.includes('...') ? [...rhs.split('...')[0], ...ell, ...rhs.split('...')[1]] : [...rhs];
      for (const c of out) {
        if (!terms.some(([, l]) => l.includes(c))) throw new Error(`einsum(): output subscript ${c} does not appear in the equation for any input operand`);
      }
      if (new Set(out).size !== out.length) throw new Error('einsum(): output subscript appears more than once in the output');
    } else {
      const counts = new Map<string, number>();
      subscripts.forEach((l) => l.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1)));
      out = [...ell.filter((c) => counts.has(c)), ...[...counts].filter(([c, n]) => n === 1 && !ell.includes(c)).map(([c]) => c).sort()];
    }
    // letters a single operand holds alone (not output, no other operand) are summed out first
    terms = terms.map(([t, l], i) => {
      const alone = l.filter((c) => !out.includes(c) && !terms.some(([, o], j) => j !== i && o.includes(c)));
      if (alone.length === 0) return [t, l] as [Tensor, string[]];
      return [sum(t, alone.map((c) => l.indexOf(c))), l.filter((c) => !alone.includes(c))] as [Tensor, string[]];
    });
    let [acc, letters] = terms[0];
    for (let k = 1; k < terms.length; k++) {
      const keep = new Set([...out, ...terms.slice(k + 1).flatMap(([, l]) => l)]);
      [acc, letters] = contract(acc, letters, terms[k][0], terms[k][1], keep);
      const alone = letters.filter((c) => !keep.has(c));
      if (alone.length > 0) {
        acc = sum(acc, alone.map((c) => letters.indexOf(c)));
        letters = letters.filter((c) => !alone.includes(c));
      }
    }
    const perm = out.map((c) => letters.indexOf(c));
    return perm.every((p, i) => p === i) && perm.length === letters.length ? (terms.length === 1 ? acc.clone() : acc) : permute(acc, perm);
  });
