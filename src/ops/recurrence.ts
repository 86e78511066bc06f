// The recurrence of RNN/LSTM/GRU as one op: one layer and direction over a
// packed batch, all time steps in one kernel call each way (the input
// projection x W_ih^T + b_ih is an ordinary linear before it). Its backward
// is the kernel's adjoint plus two GEMM-sized reductions for W_hh and b_hh.
import { Tensor } from '../tensor.js';
import { record, is_grad_enabled, grad } from '../autograd/engine.js';
import { disposeStorage } from '../backend/memory.js';
import { K, codes, tick, empty, ptr, dense, gemmScratch, toDtypeRaw } from './core.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { transpose, narrow, chunk, cat } from './shape.js';
import { add, mul, sub, sigmoid, tanh, relu } from './elementwise.js';

export type RecurrentMode = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
export const GATES: Record<RecurrentMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };
const MODE_CODE: Record<RecurrentMode, number> = {
  RNN_TANH: codes.RNN_TANH, RNN_RELU: codes.RNN_RELU, LSTM: codes.RNN_LSTM, GRU: codes.RNN_GRU,
};
const BACKWARD_NAME: Record<RecurrentMode, string> = {
  RNN_TANH: 'RnnTanhBackward0', RNN_RELU: 'RnnReluBackward0', LSTM: 'LstmBackward0', GRU: 'GruBackward0',
};

/**
 * xw [N, G*H]: the input projections of every packed row; h0 (and LSTM's c0)
 * [B, H]; w_hh [G*H, H]; b_hh [G*H] or null; batch_sizes: rows per step
 * (non-increasing), summing to N. Returns the new h of every row [N, H],
 * h_n and c_n (null but for LSTM) [B, H].
 */
export function recurrence(mode: RecurrentMode, xw: Tensor, h0: Tensor, c0: Tensor | null, w_hh: Tensor,
  b_hh: Tensor | null, batch_sizes: Tensor, reverse: boolean): [Tensor, Tensor, Tensor | null] {
  const lstm = mode === 'LSTM', gru = mode === 'GRU';
  const [N] = xw.shape, [B, H] = h0.shape, T = batch_sizes.numel();
  const x = dense(xw), h = dense(h0), c = c0 ? dense(c0) : null, w = dense(w_hh), b = b_hh ? dense(b_hh) : null;
  const sizes = dense(toDtypeRaw(batch_sizes, 'int32')); // the kernels read the step sizes as int32
  tick();
  const y = empty([N + B * (lstm ? 2 : 1), H]);
  const hprev = empty([N, H]);
  const act = lstm || gru ? empty([N, 4 * H]) : null;
  const cprev = lstm ? empty([N, H]) : null;
  const G = w.shape[0];
  const hw = empty([B, G]), wpack = empty([K.gemm_packed_floats(H, G)]);
  if (y.numel() > 0) {
    K.rnn_forward(MODE_CODE[mode], T, N, B, H, ptr(x), ptr(h), c ? ptr(c) : 0, ptr(w), b ? ptr(b) : 0, ptr(sizes),
      reverse ? 1 : 0, ptr(y), ptr(hprev), act ? ptr(act) : 0, cprev ? ptr(cprev) : 0, ptr(hw), ptr(wpack), gemmScratch);
  }
  disposeStorage(hw.storage);
  disposeStorage(wpack.storage);
  record(y, BACKWARD_NAME[mode], [xw, h0, c0, w_hh, b_hh], (g, needs) => {
    if (is_grad_enabled()) {
      // create_graph: differentiate the same recurrence written with ops, so the gradient has a graph too
      const inputs = [xw, h0, c0, w_hh, b_hh];
      const wanted = inputs.filter((t, i): t is Tensor => t !== null && needs[i]);
      const grads = grad(composedRecurrence(mode, xw, h0, c0, w_hh, b_hh, batch_sizes, reverse), wanted, g,
        { create_graph: true, allow_unused: true });
      return inputs.map((t, i) => (t !== null && needs[i] ? grads[wanted.indexOf(t)] : null));
    }
    const gy = dense(g);
    tick();
    const dG = empty([N, G]);
    const dGh = gru ? empty([N, G]) : dG;
    const dh = empty([B, H]);
    const dc = lstm ? empty([B, H]) : null;
    const wpackT = empty([K.gemm_packed_floats(G, H)]);
    if (y.numel() > 0) {
      K.rnn_backward(MODE_CODE[mode], T, N, B, H, ptr(gy), ptr(w), ptr(sizes), reverse ? 1 : 0, ptr(y), ptr(hprev),
        act ? ptr(act) : 0, cprev ? ptr(cprev) : 0, ptr(dG), ptr(dGh), ptr(dh), dc ? ptr(dc) : 0, ptr(wpackT), gemmScratch);
    } else {
      dh.zero_();
      dc?.zero_();
    }
    disposeStorage(wpackT.storage);
    const dW = needs[3] ? matmul(transpose(dGh, 0, 1), hprev) : null;
    const db = needs[4] ? sum(dGh, 0) : null;
    return [needs[0] ? dG : null, dh, dc, dW, db];
  }, [y, hprev, act, cprev, w, sizes, xw, h0, c0]); // the inputs too: double backward recomputes from them
  const out = y.narrow(0, 0, N), hN = y.narrow(0, N, B);
  return [out, hN, lstm ? y.narrow(0, N + B, B) : null];
}

/** The recurrence written with differentiable ops, step by step (rnn_forward's arithmetic); y as recurrence's. */
function composedRecurrence(mode: RecurrentMode, xw: Tensor, h0: Tensor, c0: Tensor | null, w_hh: Tensor,
  b_hh: Tensor | null, batch_sizes: Tensor, reverse: boolean): Tensor {
  const sizes = Array.from(batch_sizes.dataSync());
  const T = sizes.length, B = h0.shape[0];
  const offsets: number[] = [];
  sizes.reduce((acc, b) => (offsets.push(acc), acc + b), 0);
  let h = h0, c = c0;
  const rows: Tensor[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s, b = sizes[t];
    const x = narrow(xw, 0, offsets[t], b), hp = narrow(h, 0, 0, b);
    let hw = matmul(hp, transpose(w_hh, 0, 1));
    if (b_hh) hw = add(hw, b_hh);
    let h2: Tensor, c2: Tensor | null = null;
    if (mode === 'LSTM') {
      const [i, f, g, o] = chunk(add(hw, x), 4, 1);
      c2 = add(mul(sigmoid(f), narrow(c!, 0, 0, b)), mul(sigmoid(i), tanh(g)));
      h2 = mul(sigmoid(o), tanh(c2));
    } else if (mode === 'GRU') {
      const [xr, xz, xn] = chunk(x, 3, 1), [hr, hz, hn] = chunk(hw, 3, 1);
      const r = sigmoid(add(hr, xr)), z = sigmoid(add(hz, xz));
      const n = tanh(add(xn, mul(hn, r)));
      h2 = add(mul(sub(hp, n), z), n);
    } else {
      const pre = add(hw, x);
      h2 = mode === 'RNN_TANH' ? tanh(pre) : relu(pre);
    }
    // sequences that have ended (or, in reverse, not yet begun) keep their state
    h = b === B ? h2 : cat([h2, narrow(h, 0, b, B - b)], 0);
    if (c2) c = b === B ? c2 : cat([c2, narrow(c!, 0, b, B - b)], 0);
    rows[t] = h2;
  }
  return cat([...rows, h, ...(mode === 'LSTM' ? [c!] : [])], 0);
}
