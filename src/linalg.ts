// torch.linalg: the norms (composed in ops/linalg.ts), and the products it shares with torch.
import { op } from './signature.js';
import { Tensor } from './tensor.js';
import { type DType } from './dtype.js';
import { norm as torchNorm, vector_norm, matrix_norm } from './ops/linalg.js';
export { vector_norm, matrix_norm } from './ops/linalg.js';
export { matmul } from './ops/matmul.js';

/** torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None): a vector norm, or a matrix norm over 2 dims. */
export const norm = op<(A: Tensor, ord?: number | string | null | { ord?: number | string | null; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType | null },
  dim?: number | number[] | null, keepdim?: boolean, options?: { dtype?: DType | null }) => Tensor>(
  'linalg.norm(Tensor A, Scalar|str? ord=None, int[]? dim=None, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor',
  (A: Tensor, ord: number | string | null, dim: number[] | null, keepdim: boolean, dtype: DType | null) => {
    const x = dtype !== null ? A.to(dtype) : A;
    const matrix = dim !== null ? dim.length === 2 : x.dim() === 2;
    if (ord === null) return torchNorm(x, null, dim, keepdim); // the 2-norm of the flattened input, or over dim
    if (matrix || typeof ord === 'string') return matrix_norm(x, ord, dim ?? [-2, -1], keepdim);
    return vector_norm(x, ord, dim, keepdim);
  });
