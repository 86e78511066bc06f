// GEMM C = op(A)·op(B), op = identity or transpose. All three libraries run
// synchronously (tfjs-wasm and tfjs-cpu execute kernels in the calling
// thread), so no read-back is needed to force completion; results are disposed.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';

/**
 * C[m, n] = op(A)·op(B) with a contraction of k. A transposed operand is
 * stored as the transpose (A as [k, m], B as [n, k]) and read through a
 * transposed view on our side, tfjs's transposeA/transposeB flags on theirs.
 */
export function gemmCase(m: number, k: number, n: number, opts: { transA?: boolean; transB?: boolean; name?: string } = {}): Case {
  const { transA = false, transB = false } = opts;
  const shapeA = transA ? [k, m] : [m, k];
  const shapeB = transB ? [n, k] : [k, n];
  const A = randomArray(m * k, 1);
  const B = randomArray(k * n, 2);
  const op = (t: torch.Tensor, trans: boolean): torch.Tensor => (trans ? t.t() : t);
  return {
    name: opts.name ?? (m === n && n === k ? `gemm ${n}x${n}` : `gemm ${m}x${k}x${n}`),
    rate: { amount: (2 * m * n * k) / 1e9, unit: 'GFLOP/s' },
    torch: () => {
      const a = op(torch.from_numpy(A, shapeA), transA);
      const b = op(torch.from_numpy(B, shapeB), transB);
      return {
        run: () => torch.matmul(a, b).dispose(),
        check: () => torch.tidy(() => torch.matmul(a, b).sum().item()),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
    tf: () => {
      const a = tf.tensor2d(A, shapeA as [number, number]);
      const b = tf.tensor2d(B, shapeB as [number, number]);
      return {
        run: () => tf.matMul(a, b, transA, transB).dispose(),
        check: () => tf.tidy(() => tf.sum(tf.matMul(a, b, transA, transB)).dataSync()[0]),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
  };
}

export const squareGemmCase = (n: number): Case => gemmCase(n, n, n);

/** The lecture-09 MLP's largest layer (784 -> 520, batch 64): its forward and backward products. */
export const mlpGemmCases: Case[] = [
  gemmCase(64, 784, 520, { transB: true, name: 'gemm mlp fwd x·Wᵀ 64x784x520' }),
  gemmCase(64, 520, 784, { name: 'gemm mlp dX=dY·W 64x520x784' }),
  gemmCase(520, 64, 784, { transA: true, name: 'gemm mlp dW=dYᵀ·X 520x64x784' }),
];
