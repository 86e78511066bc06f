// matmul in every rank combination PyTorch allows. Operands are read by the
// GEMM kernel through their strides, so transposed views (backward's A^T and
// B^T) cost no copy.
import { Tensor, numelOf } from '../tensor.js';
import { hotOp } from '../signature.js';
import { record } from '../autograd/engine.js';
import { tick, empty, ptr, gemmScratch, broadcastShapes, checkFloat, composite, dense } from './core.js';
import { sum } from './reduce.js';
import { unsqueeze, squeeze, transpose, reshape } from './shape.js';
import { add } from './elementwise.js';
import { gemm } from '../backend/threads.js';

/** C = A @ B for A [..., M, K], B [..., K, N] with broadcast batch dims. */
function batchedGemm(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.shape.length - 2], k = a.shape[a.shape.length - 1];
  const n = b.shape[b.shape.length - 1];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  tick();
  const out = empty([...batch, m, n], 'float32');
  const count = numelOf(batch);
  if (out.numel() === 0) return out;
  const pa = ptr(a), pb = ptr(b), pc = ptr(out);
  const rsA = a._strides[a.shape.length - 2], csA = a._strides[a.shape.length - 1];
  const rsB = b._strides[b.shape.length - 2], csB = b._strides[b.shape.length - 1];
  // a batch over b's single matrix whose rows line up is one tall GEMM
  if (b.shape.length === 2 && a.shape.length > 2 && foldsIntoRows(a)) {
    gemm(count * m, n, k, pa, rsA, csA, pb, rsB, csB, pc, n, 0, gemmScratch);
    return out;
  }
  const aOff = batchOffsets(a, batch), bOff = batchOffsets(b, batch);
  for (let i = 0; i < count; i++) {
    gemm(m, n, k, pa + aOff[i] * 4, rsA, csA, pb + bOff[i] * 4, rsB, csB, pc + i * m * n * 4, n, 0, gemmScratch);
  }
  return out;
}

/** Whether the batch and row dims of a walk rows with one stride. */
function foldsIntoRows(a: Tensor): boolean {
  const nd = a.shape.length;
  let expected = a._strides[nd - 2] * a.shape[nd - 2];
  for (let d = nd - 3; d >= 0; d--) {
    if (a.shape[d] !== 1 && a._strides[d] !== expected) return false;
    expected *= a.shape[d];
  }
  return true;
}

/** Element offset of each broadcast batch index into t. */
function batchOffsets(t: Tensor, batch: number[]): number[] {
  const nb = t.shape.length - 2;
  const strides = batch.map((_, i) => {
    const j = i - (batch.length - nb);
    return j >= 0 && t.shape[j] !== 1 ? t._strides[j] : 0;
  });
  const count = numelOf(batch);
  const offs = new Array<number>(count);
  const idx = new Array<number>(batch.length).fill(0);
  for (let c = 0; c < count; c++) {
    let o = 0;
    for (let i = 0; i < batch.length; i++) o += idx[i] * strides[i];
    offs[c] = o;
    for (let i = batch.length - 1; i >= 0; i--) {
      if (++idx[i] < batch[i]) break;
      idx[i] = 0;
    }
  }
  return offs;
}

function checkMatmul(a: Tensor, b: Tensor): void {
  checkFloat(a, 'addmm_impl_cpu_');
  checkFloat(b, 'addmm_impl_cpu_');
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw new Error(`both arguments to matmul need to be at least 1D, but they are ${a.shape.length}D and ${b.shape.length}D`);
  }
}

function checkInner(a: Tensor, b: Tensor, aShape: number[], bShape: number[]): void {
  const k1 = aShape[aShape.length - 1], k2 = bShape[bShape.length - 2];
  if (k1 === k2) return;
  const [a0, a1] = [a.shape[0], a.shape[1]], [b0, b1] = [b.shape[0], b.shape[1]];
  if (a.shape.length === 1 && b.shape.length === 2) throw new Error(`size mismatch, got input (${b1}), mat (${b1}x${b0}), vec (${a0})`);
  if (b.shape.length === 1 && a.shape.length === 2) throw new Error(`size mismatch, got input (${a0}), mat (${a0}x${a1}), vec (${b0})`);
  if (bShape.length === 2) {
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${numelOf(aShape.slice(0, -1))}x${k1} and ${k2}x${bShape[1]})`);
  }
  const batch = numelOf(broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2)));
  throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${batch}, ${k1}] but got: [${batch}, ${k2}].`);
}

/** matmul for operands of rank >= 2 (the differentiable primitive). */
function matmul2(a: Tensor, b: Tensor): Tensor {
  const y = batchedGemm(a, b);
  return record(y, 'MmBackward0', [a, b], (g, needs) => [
    needs[0] ? matmul2(g, transpose(b, -1, -2)) : null,
    needs[1] ? matmul2(transpose(a, -1, -2), g) : null,
  ], [a, b]);
}

type MatrixOp = (input: Tensor, other: Tensor) => Tensor;
export const matmul = hotOp<MatrixOp>('matmul(Tensor input, Tensor other) -> Tensor', matmulImpl, 2);
function matmulImpl(a: Tensor, b: Tensor): Tensor {
  checkMatmul(a, b);
  return composite(() => matmulRanks(a, b));
}

function matmulRanks(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length === 1 && b.shape.length === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new Error(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
    }
    return reshape(matmul2(unsqueeze(a, 0), unsqueeze(b, 1)), []);
  }
  const a2 = a.shape.length === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.shape.length === 1 ? unsqueeze(b, 1) : b;
  checkInner(a, b, a2.shape, b2.shape);
  let y = matmul2(a2, b2);
  if (a.shape.length === 1) y = squeeze(y, -2);
  if (b.shape.length === 1) y = squeeze(y, -1);
  return y;
}

export const mm = hotOp<MatrixOp>('mm(Tensor input, Tensor mat2) -> Tensor', mmImpl, 2);
function mmImpl(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 2) throw new Error(`self must be a matrix`);
  if (b.shape.length !== 2) throw new Error(`mat2 must be a matrix`);
  return matmul(a, b);
}

export const bmm = hotOp<MatrixOp>('bmm(Tensor input, Tensor mat2) -> Tensor', bmmImpl, 2);
function bmmImpl(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 3) throw new Error(`batch1 must be a 3D tensor`);
  if (b.shape.length !== 3) throw new Error(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  }
  return matmul(a, b);
}

export const dot = hotOp<MatrixOp>('dot(Tensor input, Tensor tensor) -> Tensor', dotImpl, 2);
function dotImpl(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== 1 || b.shape.length !== 1) {
    throw new Error(`1D tensors expected, but got ${a.shape.length}D and ${b.shape.length}D tensors`);
  }
  return matmul(a, b);
}

/** F.linear(input, weight, bias?): input @ weight^T + bias. */
export const linear = hotOp<(input: Tensor, weight: Tensor, bias?: Tensor | null) => Tensor>('linear(Tensor input, Tensor weight, Tensor? bias=None) -> Tensor',
  linearImpl, (a) => (a.length === 2 || (a.length === 3 && (a[2] instanceof Tensor || a[2] === null || a[2] === undefined))) && a[0] instanceof Tensor && a[1] instanceof Tensor);
function linearImpl(input: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (input.shape[input.shape.length - 1] !== weight.shape[weight.shape.length - 1]) {
    const rows = numelOf(input.shape.slice(0, -1));
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${rows}x${input.shape[input.shape.length - 1]} and ${weight.shape[1]}x${weight.shape[0]})`);
  }
  const fused = weight.shape.length === 2 && input.shape.length >= 1 && input.dtype === 'float32' && weight.dtype === 'float32' &&
    (!bias || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === weight.shape[0]));
  return composite(() => {
    if (!fused) {
      const y = matmul(input, weight.shape.length === 2 ? transpose(weight, 0, 1) : weight);
      return bias ? add(y, bias) : y;
    }
    const rows = input.shape.length === 2 ? input : reshape(input, [-1, weight.shape[1]]);
    const y = linear2(rows, weight, bias ?? null);
    return input.shape.length === 2 ? y : reshape(y, [...input.shape.slice(0, -1), weight.shape[0]]);
  });
}

/**
 * y = x W^T + b for x [M, I], W [O, I] as one GEMM whose C starts as the
 * broadcast bias (the bias add costs no pass of its own). Backward writes
 * every gradient contiguous in its parameter's layout: dW = g^T x, not
 * (x^T g)^T, which would need a strided copy into .grad.
 */
function linear2(x: Tensor, w: Tensor, b: Tensor | null): Tensor {
  const [M, I] = x.shape, O = w.shape[0];
  tick();
  const y = empty([M, O], 'float32');
  if (y.numel() > 0) {
    // the bias is written into y by the GEMM (by each thread into its own part)
    const bias = b ? ptr(dense(b)) : 0;
    gemm(M, O, I, ptr(x), x._strides[0], x._strides[1], ptr(w), w._strides[1], w._strides[0], ptr(y), O, 0, gemmScratch, bias);
  }
  return record(y, b ? 'AddmmBackward0' : 'MmBackward0', [x, w, b], (g, needs) => [
    needs[0] ? matmul(g, w) : null,
    needs[1] ? matmul(transpose(g, 0, 1), x) : null,
    needs[2] ? sum(g, 0) : null,
  ], [x, w]);
}
