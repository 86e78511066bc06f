import { checkRange } from "./common";
import { gemm } from "./gemm";
import { sigmoid32, tanh32 } from "./elementwise";

// One layer and direction of RNN/LSTM/GRU over a packed batch, every time
// step in one call: h @ W_hh^T by GEMM, then the cell's gates fused in one
// pass. Rows are packed: step t owns sizes[t] rows (longest sequences first)
// starting at the sum of the sizes before it. The arithmetic follows
// PyTorch's CPU cells op for op (gates = (h W_hh^T + b_hh) + x W_ih^T, GRU's
// h' = (h - n) z + n), so results round alike.
export const RNN_TANH: i32 = 0;
export const RNN_RELU: i32 = 1;
export const RNN_LSTM: i32 = 2;
export const RNN_GRU: i32 = 3;

@inline function gateCount(mode: i32): i32 {
  return mode == RNN_LSTM ? 4 : mode == RNN_GRU ? 3 : 1;
}

@inline function f(p: usize, i: i32): f32 { return load<f32>(p + (<usize>i << 2)); }
@inline function put(p: usize, i: i32, v: f32): void { store<f32>(p + (<usize>i << 2), v); }
@inline function row(p: usize, r: i32, width: i32): usize { return p + (<usize>r * <usize>width << 2); }

// xw [N, G]: input projections (with b_ih) of every row; h0, c0 [B, H];
// whh [G, H]; bhh [G] or 0. Writes y [N + B (+ B), H]: each row's new h, then
// h_n, then c_n (LSTM); the running state lives in the h_n/c_n rows. Saves
// for backward: hprev [N, H] (each row's h before its step), act [N, 4H]
// (LSTM i f g o, GRU r z n and W_hn h + b_hn), cprev [N, H] (LSTM).
// hw [B, G] is scratch.
export function rnn_forward(mode: i32, T: i32, N: i32, B: i32, H: i32, xw: usize, h0: usize, c0: usize,
  whh: usize, bhh: usize, sizes: usize, reverse: i32, y: usize, hprev: usize, act: usize, cprev: usize,
  hw: usize, scratch: usize): void {
  const G = gateCount(mode) * H;
  const lstm = mode == RNN_LSTM, gru = mode == RNN_GRU;
  checkRange(y, <usize>(N + B * (lstm ? 2 : 1)) * <usize>H << 2);
  checkRange(hw, <usize>B * <usize>G << 2);
  const hs = row(y, N, H), cs = row(y, N + B, H);
  memory.copy(hs, h0, <usize>B * <usize>H << 2);
  if (lstm) memory.copy(cs, c0, <usize>B * <usize>H << 2);
  let off = reverse ? N : 0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const b = load<i32>(sizes + (<usize>t << 2));
    if (reverse) off -= b;
    const hp = row(hprev, off, H);
    memory.copy(hp, hs, <usize>b * <usize>H << 2);
    gemm(b, G, H, hp, H, 1, whh, 1, H, hw, G, 0, scratch);
    for (let j = 0; j < b; j++) {
      const x = row(xw, off + j, G), g = row(hw, j, G), out = row(y, off + j, H), h = row(hs, j, H);
      if (lstm) {
        const a = row(act, off + j, 4 * H), c = row(cs, j, H), cp = row(cprev, off + j, H);
        for (let k = 0; k < H; k++) {
          const ig = sigmoid32(f(g, k) + (bhh ? f(bhh, k) : 0) + f(x, k));
          const fg = sigmoid32(f(g, H + k) + (bhh ? f(bhh, H + k) : 0) + f(x, H + k));
          const cg = tanh32(f(g, 2 * H + k) + (bhh ? f(bhh, 2 * H + k) : 0) + f(x, 2 * H + k));
          const og = sigmoid32(f(g, 3 * H + k) + (bhh ? f(bhh, 3 * H + k) : 0) + f(x, 3 * H + k));
          put(a, k, ig); put(a, H + k, fg); put(a, 2 * H + k, cg); put(a, 3 * H + k, og);
          const cOld = f(c, k);
          put(cp, k, cOld);
          const cNew = fg * cOld + ig * cg;
          put(c, k, cNew);
          const hNew = og * tanh32(cNew);
          put(h, k, hNew); put(out, k, hNew);
        }
      } else if (gru) {
        const a = row(act, off + j, 4 * H);
        for (let k = 0; k < H; k++) {
          const r = sigmoid32(f(g, k) + (bhh ? f(bhh, k) : 0) + f(x, k));
          const z = sigmoid32(f(g, H + k) + (bhh ? f(bhh, H + k) : 0) + f(x, H + k));
          const hn = f(g, 2 * H + k) + (bhh ? f(bhh, 2 * H + k) : 0);
          const n = tanh32(f(x, 2 * H + k) + hn * r);
          put(a, k, r); put(a, H + k, z); put(a, 2 * H + k, n); put(a, 3 * H + k, hn);
          const hNew = (f(h, k) - n) * z + n;
          put(h, k, hNew); put(out, k, hNew);
        }
      } else {
        for (let k = 0; k < H; k++) {
          const pre = f(g, k) + (bhh ? f(bhh, k) : 0) + f(x, k);
          const hNew = mode == RNN_TANH ? tanh32(pre) : (pre > 0 ? pre : (pre != pre ? pre : 0));
          put(h, k, hNew); put(out, k, hNew);
        }
      }
    }
    if (!reverse) off += b;
  }
}

// The adjoint of rnn_forward. dy [N + B (+ B), H] is the gradient of y. Writes
// dG [N, G] (the gradient of the pre-activation gates = of xw) and dGh [N, G]
// (of h W_hh^T + b_hh: the same as dG but for GRU's n gate, which is scaled by
// r; pass dG again for the other modes); dh, dc [B, H] end as the gradients
// of h0 and c0. Steps run in reverse order, carrying dh (and dc).
export function rnn_backward(mode: i32, T: i32, N: i32, B: i32, H: i32, dy: usize, whh: usize, sizes: usize,
  reverse: i32, y: usize, hprev: usize, act: usize, cprev: usize, dG: usize, dGh: usize, dh: usize, dc: usize,
  scratch: usize): void {
  const G = gateCount(mode) * H;
  const lstm = mode == RNN_LSTM, gru = mode == RNN_GRU;
  checkRange(dG, <usize>N * <usize>G << 2);
  checkRange(dh, <usize>B * <usize>H << 2);
  memory.copy(dh, row(dy, N, H), <usize>B * <usize>H << 2);
  if (lstm) memory.copy(dc, row(dy, N + B, H), <usize>B * <usize>H << 2);
  let off = reverse ? 0 : N;
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const b = load<i32>(sizes + (<usize>t << 2));
    if (!reverse) off -= b;
    for (let j = 0; j < b; j++) {
      const d = row(dh, j, H), gy = row(dy, off + j, H), dg = row(dG, off + j, G);
      if (lstm) {
        const a = row(act, off + j, 4 * H), cp = row(cprev, off + j, H), dcj = row(dc, j, H);
        for (let k = 0; k < H; k++) {
          const dht = f(d, k) + f(gy, k);
          const ig = f(a, k), fg = f(a, H + k), cg = f(a, 2 * H + k), og = f(a, 3 * H + k);
          const cOld = f(cp, k);
          const tc = tanh32(fg * cOld + ig * cg);
          const dct = f(dcj, k) + dht * og * (1 - tc * tc);
          put(dg, k, dct * cg * ig * (1 - ig));
          put(dg, H + k, dct * cOld * fg * (1 - fg));
          put(dg, 2 * H + k, dct * ig * (1 - cg * cg));
          put(dg, 3 * H + k, dht * tc * og * (1 - og));
          put(dcj, k, dct * fg);
        }
      } else if (gru) {
        const a = row(act, off + j, 4 * H), hp = row(hprev, off + j, H), dgh = row(dGh, off + j, G);
        for (let k = 0; k < H; k++) {
          const dht = f(d, k) + f(gy, k);
          const r = f(a, k), z = f(a, H + k), n = f(a, 2 * H + k), hn = f(a, 3 * H + k);
          const dn = dht * (1 - z) * (1 - n * n);
          const dr = dn * hn * r * (1 - r);
          const dz = dht * (f(hp, k) - n) * z * (1 - z);
          put(dg, k, dr); put(dg, H + k, dz); put(dg, 2 * H + k, dn);
          put(dgh, k, dr); put(dgh, H + k, dz); put(dgh, 2 * H + k, dn * r);
          put(d, k, dht * z); // the direct path; the GEMM below adds the gates' part
        }
      } else {
        const out = row(y, off + j, H);
        for (let k = 0; k < H; k++) {
          const dht = f(d, k) + f(gy, k), h = f(out, k);
          put(dg, k, mode == RNN_TANH ? dht * (1 - h * h) : (h > 0 ? dht : 0));
        }
      }
    }
    // dh[0, b) = (GRU: dh +) dGh rows of this step @ W_hh
    gemm(b, H, G, row(dGh, off, G), G, 1, whh, H, 1, dh, H, gru ? 1 : 0, scratch);
    if (reverse) off += b;
  }
}
