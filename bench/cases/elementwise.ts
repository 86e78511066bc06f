// add, mul, a full sum and activations over 1M floats; GB/s counts bytes read + written.
import * as torch from '../../src/index.js';
import * as tf from '@tensorflow/tfjs-core';
import { type Case, randomArray } from './types.js';

const N = 1 << 20;
const X = randomArray(N, 3);
const Y = randomArray(N, 4);

function binary(name: string, tOp: typeof torch.add, fOp: typeof tf.add): Case {
  return {
    name: `${name} 1M`,
    rate: { amount: (12 * N) / 1e9, unit: 'GB/s' },
    torch: () => {
      const a = torch.from_numpy(X), b = torch.from_numpy(Y);
      return {
        run: () => tOp(a, b).dispose(),
        check: () => torch.tidy(() => tOp(a, b).sum().item()),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
    tf: () => {
      const a = tf.tensor1d(X), b = tf.tensor1d(Y);
      return {
        run: () => fOp(a, b).dispose(),
        check: () => tf.tidy(() => tf.sum(fOp(a, b)).dataSync()[0]),
        dispose: () => { a.dispose(); b.dispose(); },
      };
    },
  };
}

export const addCase = binary('add', torch.add, tf.add);
export const mulCase = binary('mul', torch.mul, tf.mul);

function unary(name: string, tOp: (x: torch.Tensor) => torch.Tensor, fOp: (x: tf.Tensor) => tf.Tensor): Case {
  return {
    name: `${name} 1M`,
    rate: { amount: (8 * N) / 1e9, unit: 'GB/s' },
    torch: () => {
      const a = torch.from_numpy(X);
      return {
        run: () => tOp(a).dispose(),
        check: () => torch.tidy(() => tOp(a).sum().item()),
        dispose: () => a.dispose(),
      };
    },
    tf: () => {
      const a = tf.tensor1d(X);
      return {
        run: () => fOp(a).dispose(),
        check: () => tf.tidy(() => tf.sum(fOp(a)).dataSync()[0]),
        dispose: () => a.dispose(),
      };
    },
  };
}

/** Activations: relu is a memory-speed op, exp/sigmoid/tanh are polynomials (compute-bound on one core). */
export const unaryCases: Case[] = [
  unary('relu', torch.relu, tf.relu),
  unary('exp', torch.exp, tf.exp),
  unary('sigmoid', torch.sigmoid, tf.sigmoid),
  unary('tanh', torch.tanh, tf.tanh),
];

export const sumCase: Case = {
  name: 'sum 1M',
  rate: { amount: (4 * N) / 1e9, unit: 'GB/s' },
  
  torch: () => {
    const a = torch.from_numpy(X);
    return {
      run: () => torch.sum(a).dispose(),
      check: () => torch.tidy(() => torch.sum(a).item()),
      dispose: () => a.dispose(),
    };
  },
  tf: () => {
    const a = tf.tensor1d(X);
    return {
      run: () => tf.sum(a).dispose(),
      check: () => tf.tidy(() => tf.sum(a).dataSync()[0]),
      dispose: () => a.dispose(),
    };
  },
};
