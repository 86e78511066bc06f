import { checkRange } from "./common";

// Running sums and products along the middle axis of [outer, len, inner] (cumsum, cumprod).
export const SCAN_SUM: i32 = 0;
export const SCAN_PROD: i32 = 1;

// float32 values accumulated in f64 and rounded once a step, as PyTorch's CPU kernel accumulates
export function scan(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  const bytes = <usize>outer * <usize>len * <usize>inner << 2;
  checkRange(x, bytes);
  checkRange(out, bytes);
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const first = (<usize>o * <usize>len * <usize>inner + <usize>i) << 2;
      let px = x + first, po = out + first;
      let acc: f64 = op == SCAN_PROD ? 1 : 0;
      for (let r = 0; r < len; r++, px += step, po += step) {
        const v = <f64>load<f32>(px);
        acc = op == SCAN_PROD ? acc * v : acc + v;
        store<f32>(po, <f32>acc);
      }
    }
  }
}

// int64, exact (wrapping on overflow, as PyTorch's)
export function scan_i64(op: i32, x: usize, out: usize, outer: i32, len: i32, inner: i32): void {
  const bytes = <usize>outer * <usize>len * <usize>inner << 3;
  checkRange(x, bytes);
  checkRange(out, bytes);
  const step = <usize>inner << 3;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const first = (<usize>o * <usize>len * <usize>inner + <usize>i) << 3;
      let px = x + first, po = out + first;
      let acc: i64 = op == SCAN_PROD ? 1 : 0;
      for (let r = 0; r < len; r++, px += step, po += step) {
        const v = load<i64>(px);
        acc = op == SCAN_PROD ? acc * v : acc + v;
        store<i64>(po, acc);
      }
    }
  }
}
