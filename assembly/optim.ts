import { checkRange } from "./common";

// torch.optim.SGD's update for one parameter in one pass:
//   g = grad (negated if maximize) + weight_decay * p
//   buf = g on the first step, else momentum * buf + (1 - dampening) * g
//   g = nesterov ? g + momentum * buf : buf      (when momentum != 0)
//   p -= lr * g
@inline function sgdScalar(p: usize, grad: usize, buf: usize, o: usize, lr: f32, momentum: f32,
  dampening: f32, weightDecay: f32, nesterov: i32, sign: f32, firstStep: i32): void {
  const w = load<f32>(p + o);
  let g = sign * load<f32>(grad + o);
  if (weightDecay != 0) g += weightDecay * w;
  if (momentum != 0) {
    const b: f32 = firstStep ? g : momentum * load<f32>(buf + o) + (1 - dampening) * g;
    store<f32>(buf + o, b);
    g = nesterov ? g + momentum * b : b;
  }
  store<f32>(p + o, w - lr * g);
}

export function sgd_step(p: usize, grad: usize, buf: usize, n: i32, lr: f32, momentum: f32,
  dampening: f32, weightDecay: f32, nesterov: i32, maximize: i32, firstStep: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  if (momentum != 0) checkRange(buf, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  const vSign = f32x4.splat(sign), vWd = f32x4.splat(weightDecay), vMom = f32x4.splat(momentum);
  const vDamp = f32x4.splat(1 - dampening), vLr = f32x4.splat(lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const w = v128.load(p + o);
    let g = f32x4.mul(vSign, v128.load(grad + o));
    if (weightDecay != 0) g = f32x4.add(g, f32x4.mul(vWd, w));
    if (momentum != 0) {
      const b = firstStep ? g : f32x4.add(f32x4.mul(vMom, v128.load(buf + o)), f32x4.mul(vDamp, g));
      v128.store(buf + o, b);
      g = nesterov ? f32x4.add(g, f32x4.mul(vMom, b)) : b;
    }
    v128.store(p + o, f32x4.sub(w, f32x4.mul(vLr, g)));
  }
  for (; i < n; i++) sgdScalar(p, grad, buf, <usize>i << 2, lr, momentum, dampening, weightDecay, nesterov, sign, firstStep);
}
