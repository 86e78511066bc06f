import { checkRange } from "./common";
import { gemm_pack_b, gemm_prepacked } from "./gemm";
import { sigmoid4, tanh4 } from "./activations";

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

@inline function row(p: usize, r: i32, width: i32): usize { return p + (<usize>r * <usize>width << 2); }

// The gate arithmetic is written once over f32x4 and run four units at a time
// (full = true), then one at a time in lane 0 for the tail (full = false).
@inline function ld(p: usize, i: i32, full: bool): v128 {
  return full ? v128.load(p + (<usize>i << 2)) : v128.load32_zero(p + (<usize>i << 2));
}
@inline function st(p: usize, i: i32, v: v128, full: bool): void {
  if (full) v128.store(p + (<usize>i << 2), v);
  else v128.store32_lane(p + (<usize>i << 2), v, 0);
}
@inline function add(a: v128, b: v128): v128 { return f32x4.add(a, b); }
@inline function sub(a: v128, b: v128): v128 { return f32x4.sub(a, b); }
@inline function mul(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
@inline function oneMinus(a: v128): v128 { return f32x4.sub(f32x4.splat(1), a); }
// gate pre-activation of unit k in gate block q: (h W_hh^T + b_hh) + x W_ih^T
@inline function pre(g: usize, bhh: usize, x: usize, q: i32, k: i32, full: bool): v128 {
  const hb = bhh ? add(ld(g, q + k, full), ld(bhh, q + k, full)) : ld(g, q + k, full);
  return add(hb, ld(x, q + k, full));
}

@inline function lstmForward(k: i32, H: i32, g: usize, bhh: usize, x: usize, a: usize, c: usize, cp: usize, h: usize, out: usize, full: bool): void {
  const ig = sigmoid4(pre(g, bhh, x, 0, k, full)), fg = sigmoid4(pre(g, bhh, x, H, k, full));
  const cg = tanh4(pre(g, bhh, x, 2 * H, k, full)), og = sigmoid4(pre(g, bhh, x, 3 * H, k, full));
  st(a, k, ig, full); st(a, H + k, fg, full); st(a, 2 * H + k, cg, full); st(a, 3 * H + k, og, full);
  const cOld = ld(c, k, full);
  st(cp, k, cOld, full);
  const cNew = add(mul(fg, cOld), mul(ig, cg));
  st(c, k, cNew, full);
  const hNew = mul(og, tanh4(cNew));
  st(h, k, hNew, full); st(out, k, hNew, full);
}

@inline function gruForward(k: i32, H: i32, g: usize, bhh: usize, x: usize, a: usize, h: usize, out: usize, full: bool): void {
  const r = sigmoid4(pre(g, bhh, x, 0, k, full)), z = sigmoid4(pre(g, bhh, x, H, k, full));
  const hn = bhh ? add(ld(g, 2 * H + k, full), ld(bhh, 2 * H + k, full)) : ld(g, 2 * H + k, full);
  const n = tanh4(add(ld(x, 2 * H + k, full), mul(hn, r)));
  st(a, k, r, full); st(a, H + k, z, full); st(a, 2 * H + k, n, full); st(a, 3 * H + k, hn, full);
  const hNew = add(mul(sub(ld(h, k, full), n), z), n);
  st(h, k, hNew, full); st(out, k, hNew, full);
}

@inline function rnnForward(k: i32, relu: bool, g: usize, bhh: usize, x: usize, h: usize, out: usize, full: bool): void {
  const p = pre(g, bhh, x, 0, k, full);
  const hNew = relu ? f32x4.pmax(p, f32x4.splat(0)) : tanh4(p); // pmax keeps NaN
  st(h, k, hNew, full); st(out, k, hNew, full);
}

@inline function lstmBackward(k: i32, H: i32, d: usize, gy: usize, a: usize, cp: usize, dcj: usize, dg: usize, full: bool): void {
  const dht = add(ld(d, k, full), ld(gy, k, full));
  const ig = ld(a, k, full), fg = ld(a, H + k, full), cg = ld(a, 2 * H + k, full), og = ld(a, 3 * H + k, full);
  const cOld = ld(cp, k, full);
  const tc = tanh4(add(mul(fg, cOld), mul(ig, cg)));
  const dct = add(ld(dcj, k, full), mul(mul(dht, og), oneMinus(mul(tc, tc))));
  st(dg, k, mul(mul(mul(dct, cg), ig), oneMinus(ig)), full);
  st(dg, H + k, mul(mul(mul(dct, cOld), fg), oneMinus(fg)), full);
  st(dg, 2 * H + k, mul(mul(dct, ig), oneMinus(mul(cg, cg))), full);
  st(dg, 3 * H + k, mul(mul(mul(dht, tc), og), oneMinus(og)), full);
  st(dcj, k, mul(dct, fg), full);
}

@inline function gruBackward(k: i32, H: i32, d: usize, gy: usize, a: usize, hp: usize, dg: usize, dgh: usize, full: bool): void {
  const dht = add(ld(d, k, full), ld(gy, k, full));
  const r = ld(a, k, full), z = ld(a, H + k, full), n = ld(a, 2 * H + k, full), hn = ld(a, 3 * H + k, full);
  const dn = mul(mul(dht, oneMinus(z)), oneMinus(mul(n, n)));
  const dr = mul(mul(mul(dn, hn), r), oneMinus(r));
  const dz = mul(mul(mul(dht, sub(ld(hp, k, full), n)), z), oneMinus(z));
  st(dg, k, dr, full); st(dg, H + k, dz, full); st(dg, 2 * H + k, dn, full);
  st(dgh, k, dr, full); st(dgh, H + k, dz, full); st(dgh, 2 * H + k, mul(dn, r), full);
  st(d, k, mul(dht, z), full); // the direct path; the GEMM adds the gates' part
}

@inline function rnnBackward(k: i32, relu: bool, d: usize, gy: usize, out: usize, dg: usize, full: bool): void {
  const dht = add(ld(d, k, full), ld(gy, k, full)), h = ld(out, k, full);
  const grad = relu ? v128.and(dht, f32x4.gt(h, f32x4.splat(0))) : mul(dht, oneMinus(mul(h, h)));
  st(dg, k, grad, full);
}

// xw [N, G]: input projections (with b_ih) of every row; h0, c0 [B, H];
// whh [G, H]; bhh [G] or 0. Writes y [N + B (+ B), H]: each row's new h, then
// h_n, then c_n (LSTM); the running state lives in the h_n/c_n rows. Saves
// for backward: hprev [N, H] (each row's h before its step), act [N, 4H]
// (LSTM i f g o, GRU r z n and W_hn h + b_hn), cprev [N, H] (LSTM).
// hw [B, G] and wpack (gemm_packed_floats(H, G): W_hh^T packed once for
// every step) are scratch.
export function rnn_forward(mode: i32, T: i32, N: i32, B: i32, H: i32, xw: usize, h0: usize, c0: usize,
  whh: usize, bhh: usize, sizes: usize, reverse: i32, y: usize, hprev: usize, act: usize, cprev: usize,
  hw: usize, wpack: usize, scratch: usize): void {
  const G = gateCount(mode) * H;
  const lstm = mode == RNN_LSTM, gru = mode == RNN_GRU;
  checkRange(y, <usize>(N + B * (lstm ? 2 : 1)) * <usize>H << 2);
  checkRange(hw, <usize>B * <usize>G << 2);
  const hs = row(y, N, H), cs = row(y, N + B, H);
  memory.copy(hs, h0, <usize>B * <usize>H << 2);
  if (lstm) memory.copy(cs, c0, <usize>B * <usize>H << 2);
  gemm_pack_b(whh, 1, H, H, G, wpack);
  let off = reverse ? N : 0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const b = load<i32>(sizes + (<usize>t << 2));
    if (reverse) off -= b;
    const hp = row(hprev, off, H);
    memory.copy(hp, hs, <usize>b * <usize>H << 2);
    gemm_prepacked(b, G, H, hp, H, 1, wpack, hw, G, 0, scratch);
    for (let j = 0; j < b; j++) {
      const x = row(xw, off + j, G), g = row(hw, j, G), out = row(y, off + j, H), h = row(hs, j, H);
      if (lstm) {
        const a = row(act, off + j, 4 * H), c = row(cs, j, H), cp = row(cprev, off + j, H);
        let k = 0;
        for (; k + 4 <= H; k += 4) lstmForward(k, H, g, bhh, x, a, c, cp, h, out, true);
        for (; k < H; k++) lstmForward(k, H, g, bhh, x, a, c, cp, h, out, false);
      } else if (gru) {
        const a = row(act, off + j, 4 * H);
        let k = 0;
        for (; k + 4 <= H; k += 4) gruForward(k, H, g, bhh, x, a, h, out, true);
        for (; k < H; k++) gruForward(k, H, g, bhh, x, a, h, out, false);
      } else {
        const relu = mode == RNN_RELU;
        let k = 0;
        for (; k + 4 <= H; k += 4) rnnForward(k, relu, g, bhh, x, h, out, true);
        for (; k < H; k++) rnnForward(k, relu, g, bhh, x, h, out, false);
      }
    }
    if (!reverse) off += b;
  }
}

// The adjoint of rnn_forward. dy [N + B (+ B), H] is the gradient of y. Writes
// dG [N, G] (the gradient of the pre-activation gates = of xw) and dGh [N, G]
// (of h W_hh^T + b_hh: the same as dG but for GRU's n gate, which is scaled by
// r; pass dG again for the other modes); dh, dc [B, H] end as the gradients
// of h0 and c0. Steps run in reverse order, carrying dh (and dc). wpack
// (gemm_packed_floats(G, H)) is scratch for W_hh packed once.
export function rnn_backward(mode: i32, T: i32, N: i32, B: i32, H: i32, dy: usize, whh: usize, sizes: usize,
  reverse: i32, y: usize, hprev: usize, act: usize, cprev: usize, dG: usize, dGh: usize, dh: usize, dc: usize,
  wpack: usize, scratch: usize): void {
  const G = gateCount(mode) * H;
  const lstm = mode == RNN_LSTM, gru = mode == RNN_GRU;
  checkRange(dG, <usize>N * <usize>G << 2);
  checkRange(dh, <usize>B * <usize>H << 2);
  memory.copy(dh, row(dy, N, H), <usize>B * <usize>H << 2);
  if (lstm) memory.copy(dc, row(dy, N + B, H), <usize>B * <usize>H << 2);
  gemm_pack_b(whh, H, 1, G, H, wpack);
  let off = reverse ? 0 : N;
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const b = load<i32>(sizes + (<usize>t << 2));
    if (!reverse) off -= b;
    for (let j = 0; j < b; j++) {
      const d = row(dh, j, H), gy = row(dy, off + j, H), dg = row(dG, off + j, G);
      if (lstm) {
        const a = row(act, off + j, 4 * H), cp = row(cprev, off + j, H), dcj = row(dc, j, H);
        let k = 0;
        for (; k + 4 <= H; k += 4) lstmBackward(k, H, d, gy, a, cp, dcj, dg, true);
        for (; k < H; k++) lstmBackward(k, H, d, gy, a, cp, dcj, dg, false);
      } else if (gru) {
        const a = row(act, off + j, 4 * H), hp = row(hprev, off + j, H), dgh = row(dGh, off + j, G);
        let k = 0;
        for (; k + 4 <= H; k += 4) gruBackward(k, H, d, gy, a, hp, dg, dgh, true);
        for (; k < H; k++) gruBackward(k, H, d, gy, a, hp, dg, dgh, false);
      } else {
        const relu = mode == RNN_RELU, out = row(y, off + j, H);
        let k = 0;
        for (; k + 4 <= H; k += 4) rnnBackward(k, relu, d, gy, out, dg, true);
        for (; k < H; k++) rnnBackward(k, relu, d, gy, out, dg, false);
      }
    }
    // dh[0, b) = (GRU: dh +) dGh rows of this step @ W_hh
    gemm_prepacked(b, H, G, row(dGh, off, G), G, 1, wpack, dh, H, gru ? 1 : 0, scratch);
    if (reverse) off += b;
  }
}
