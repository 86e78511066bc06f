import { checkRange } from "./common";

// The gradient every update starts from: negated for maximize, plus
// weight_decay * p (L2 decay added to the gradient, as torch.optim does).
@inline function decayedGrad(grad: usize, o: usize, sign: f32, weightDecay: f32, p: f32): f32 {
  let g = sign * load<f32>(grad + o);
  if (weightDecay != 0) g += weightDecay * p;
  return g;
}

// torch.optim.SGD's update for one parameter in one pass:
//   g = grad (negated if maximize) + weight_decay * p
//   buf = g on the first step, else momentum * buf + (1 - dampening) * g
//   g = nesterov ? g + momentum * buf : buf      (when momentum != 0)
//   p -= lr * g
@inline function sgdScalar(p: usize, grad: usize, buf: usize, o: usize, lr: f32, momentum: f32,
  dampening: f32, weightDecay: f32, nesterov: i32, sign: f32, firstStep: i32): void {
  const w = load<f32>(p + o);
  let g = decayedGrad(grad, o, sign, weightDecay, w);
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

// torch.optim.Adam / AdamW for one parameter in one pass, in PyTorch's order
// of float32 operations (single-tensor path):
//   g = grad (negated if maximize); Adam: g += weight_decay * p; AdamW: p *= 1 - lr * weight_decay
//   m = m + (1 - beta1) * (g - m)          (lerp)
//   v = v * beta2 + (1 - beta2) * g * g
//   vmax = max(vmax, v)                    (amsgrad)
//   p = p + (-stepSize * m) / (sqrt(v or vmax) / bc2Sqrt + eps)      (addcdiv)
// w1 = 1 - beta1 and w2 = 1 - beta2 come from the caller, rounded from double as PyTorch's.
export function adam_step(p: usize, grad: usize, m: usize, v: usize, vmax: usize, n: i32, stepSize: f32, bc2Sqrt: f32,
  w1: f32, beta2: f32, w2: f32, eps: f32, weightDecay: f32, decoupledDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(m, <usize>n << 2);
  checkRange(v, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let w = load<f32>(p + o);
    if (decoupledDecay != 1) w *= decoupledDecay;
    const g = decayedGrad(grad, o, sign, weightDecay, w);
    const mi = load<f32>(m + o);
    const mNew = mi + w1 * (g - mi);
    store<f32>(m + o, mNew);
    const vNew = load<f32>(v + o) * beta2 + w2 * g * g;
    store<f32>(v + o, vNew);
    let vUse = vNew;
    if (vmax) {
      const vm = max(load<f32>(vmax + o), vNew);
      store<f32>(vmax + o, vm);
      vUse = vm;
    }
    const denom = Mathf.sqrt(vUse) / bc2Sqrt + eps;
    store<f32>(p + o, w + (-stepSize * mNew) / denom);
  }
}

// torch.optim.RMSprop (w = 1 - alpha from the caller): sq = alpha sq + (1 - alpha) g^2; centered: ga = lerp(ga, g, 1 - alpha),
// avg = sqrt(sq - ga^2) else sqrt(sq); avg += eps; momentum: buf = momentum buf + g / avg,
// p -= lr buf; else p -= lr g / avg.
export function rmsprop_step(p: usize, grad: usize, sq: usize, gavg: usize, buf: usize, n: i32, lr: f32, alpha: f32,
  w: f32, eps: f32, weightDecay: f32, momentum: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(sq, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const s = load<f32>(sq + o) * alpha + w * g * g;
    store<f32>(sq + o, s);
    let avg: f32;
    if (gavg) {
      const ga = load<f32>(gavg + o);
      const gaNew = ga + w * (g - ga);
      store<f32>(gavg + o, gaNew);
      avg = Mathf.sqrt(s + -1 * gaNew * gaNew);
    } else {
      avg = Mathf.sqrt(s);
    }
    avg += eps;
    if (buf) {
      const b = load<f32>(buf + o) * momentum + g / avg;
      store<f32>(buf + o, b);
      store<f32>(p + o, pi + -lr * b);
    } else {
      store<f32>(p + o, pi + (-lr * g) / avg);
    }
  }
}

// torch.optim.Adagrad: sum += g^2; p -= clr * g / (sqrt(sum) + eps)
export function adagrad_step(p: usize, grad: usize, sum: usize, n: i32, clr: f32, eps: f32, weightDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(sum, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const s = load<f32>(sum + o) + g * g;
    store<f32>(sum + o, s);
    store<f32>(p + o, pi + (-clr * g) / (Mathf.sqrt(s) + eps));
  }
}

// torch.optim.Adamax: m = lerp(m, g, 1 - beta1); u = max(u * beta2, |g| + eps); p += (-clr * m) / u
export function adamax_step(p: usize, grad: usize, m: usize, u: usize, n: i32, clr: f32, w1: f32, beta2: f32, eps: f32,
  weightDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(m, <usize>n << 2);
  checkRange(u, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const mi = load<f32>(m + o);
    const mNew = mi + w1 * (g - mi);
    store<f32>(m + o, mNew);
    const uNew = max(load<f32>(u + o) * beta2, Mathf.abs(g) + eps);
    store<f32>(u + o, uNew);
    store<f32>(p + o, pi + (-clr * mNew) / uNew);
  }
}

// torch.optim.Adadelta (w = 1 - rho): sq = sq rho + w g g; delta = sqrt(acc + eps) / sqrt(sq + eps) * g;
// acc = acc rho + w delta delta; p += -lr delta
export function adadelta_step(p: usize, grad: usize, sq: usize, acc: usize, n: i32, lr: f32, rho: f32, w: f32, eps: f32,
  weightDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(sq, <usize>n << 2);
  checkRange(acc, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const pi = load<f32>(p + o);
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const s = load<f32>(sq + o) * rho + w * g * g;
    store<f32>(sq + o, s);
    const std = Mathf.sqrt(s + eps);
    const a = load<f32>(acc + o);
    const delta = Mathf.sqrt(a + eps) / std * g;
    store<f32>(acc + o, a * rho + w * delta * delta);
    store<f32>(p + o, pi + -lr * delta);
  }
}

// torch.optim.NAdam: m = lerp(m, g, 1 - beta1); v = v beta2 + w2 g g; d = sqrt(v / bc2) + eps;
// p += (cg * g) / d; p += (cm * m) / d, the two coefficients from the caller (in double, with mu_product in float32)
export function nadam_step(p: usize, grad: usize, m: usize, v: usize, n: i32, cg: f32, cm: f32, w1: f32, beta2: f32, w2: f32,
  bc2: f32, eps: f32, weightDecay: f32, decoupledDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(m, <usize>n << 2);
  checkRange(v, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let pi = load<f32>(p + o);
    if (decoupledDecay != 1) pi *= decoupledDecay;
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const mi = load<f32>(m + o);
    const mNew = mi + w1 * (g - mi);
    store<f32>(m + o, mNew);
    const vNew = load<f32>(v + o) * beta2 + w2 * g * g;
    store<f32>(v + o, vNew);
    const d = Mathf.sqrt(vNew / bc2) + eps;
    pi = pi + (cg * g) / d;
    store<f32>(p + o, pi + (cm * mNew) / d);
  }
}

// torch.optim.RAdam: m = lerp(m, g, 1 - beta1); v = v beta2 + w2 g g; mh = m / bc1;
// rectified (rect > 0): p += -(((mh * lr) * (sqrtBc2 / (sqrt(v) + eps))) * rect); else p += -(mh * lr)
export function radam_step(p: usize, grad: usize, m: usize, v: usize, n: i32, lr: f32, w1: f32, beta2: f32, w2: f32, bc1: f32,
  sqrtBc2: f32, rect: f32, eps: f32, weightDecay: f32, decoupledDecay: f32, maximize: i32): void {
  checkRange(p, <usize>n << 2);
  checkRange(grad, <usize>n << 2);
  checkRange(m, <usize>n << 2);
  checkRange(v, <usize>n << 2);
  const sign: f32 = maximize ? -1 : 1;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    let pi = load<f32>(p + o);
    if (decoupledDecay != 1) pi *= decoupledDecay;
    const g = decayedGrad(grad, o, sign, weightDecay, pi);
    const mi = load<f32>(m + o);
    const mNew = mi + w1 * (g - mi);
    store<f32>(m + o, mNew);
    const vNew = load<f32>(v + o) * beta2 + w2 * g * g;
    store<f32>(v + o, vNew);
    const mh = mNew / bc1;
    const upd = rect > 0 ? ((mh * lr) * (sqrtBc2 / (Mathf.sqrt(vNew) + eps))) * rect : mh * lr;
    store<f32>(p + o, pi + -1 * upd);
  }
}
