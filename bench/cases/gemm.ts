// Square GEMM C = A·B. All three libraries run synchronously (tfjs-wasm and
// tfjs-cpu execute kernels in the calling thread), so no read-back is needed
// to force completion; results are disposed.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';

export function gemmCase(n: number): Case {
  const A = randomArray(n * n, 1);
  const B = randomArray(n * n, 2);
  return {
    name: `gemm ${n}x${n}`,
    rate: { amount: (2 * n ** 3) / 1e9, unit: 'GFLOP/s' },
    
    torch: () => {
      const a = torch.from_numpy(A, [n, n]);
      const b = torch.from_numpy(B, [n, n]);
      return {
        run: () => torch.matmul(a, b).dispose(),
        check: () => torch.tidy(() => torch.matmul(a, b).sum().item()),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
    tf: () => {
      const a = tf.tensor2d(A, [n, n]);
      const b = tf.tensor2d(B, [n, n]);
      return {
        run: () => tf.matMul(a, b).dispose(),
        check: () => tf.tidy(() => tf.sum(tf.matMul(a, b)).dataSync()[0]),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
  };
}
