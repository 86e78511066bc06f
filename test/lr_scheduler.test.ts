// torch.optim.lr_scheduler against PyTorch's documented closed forms, computed
// here in plain JS (the schedulers compute the chainable, recursive forms).
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import * as direct from '../src/optim/lr_scheduler.js';

const { optim } = torch;
// the public torch.optim.lr_scheduler once it is exported, the module until then
const S = (optim as unknown as { lr_scheduler?: typeof direct }).lr_scheduler ?? direct;

const param = () => torch.zeros([2], { requires_grad: true });
const sgd = (lr = 0.1, momentum = 0) => new optim.SGD([param()], { lr, momentum });
const twoGroups = () => new optim.SGD([{ params: [param()], lr: 0.1 }, { params: [param()], lr: 0.02 }], { lr: 0.5 });

/** Relative 1e-12 (plus a tiny absolute floor for values that are 0 in exact arithmetic). */
function close(actual: number, expected: number, rel = 1e-12): void {
  const tol = rel * Math.abs(expected) + 1e-15;
  if (!(Math.abs(actual - expected) <= tol)) expect.fail(`${actual} is not within ${tol} of ${expected}`);
}
/** lr of every group after constructing (epoch 0) and after each of `epochs` steps. */
function run(sched: { step(): void; get_last_lr(): number[] }, opt: { param_groups: { lr: unknown }[] }, epochs: number): number[][] {
  const out: number[][] = [];
  for (let e = 0; e <= epochs; e++) {
    if (e > 0) sched.step();
    expect(sched.get_last_lr()).toEqual(opt.param_groups.map((g) => g.lr));
    out.push(sched.get_last_lr().slice());
  }
  return out;
}

describe('StepLR', () => {
  it('lr = base * gamma ** floor(epoch / step_size), in every call form', () => {
    for (const make of [
      (o: torch.optim.Optimizer<object>) => new S.StepLR(o, { step_size: 3, gamma: 0.5 }),
      (o: torch.optim.Optimizer<object>) => new S.StepLR(o, 3, 0.5),
      (o: torch.optim.Optimizer<object>) => new S.StepLR(o, 3, { gamma: 0.5 }),
    ]) {
      const opt = twoGroups();
      const lrs = run(make(opt), opt, 12);
      lrs.forEach((lr, e) => [0.1, 0.02].forEach((base, i) => close(lr[i], base * 0.5 ** Math.floor(e / 3))));
    }
  });

  it('sets initial_lr on the groups and defaults gamma to 0.1', () => {
    const opt = sgd(0.05);
    const s = new S.StepLR(opt, 2);
    expect(opt.param_groups[0].initial_lr).toBe(0.05);
    expect(s.gamma).toBe(0.1);
    run(s, opt, 6).forEach((lr, e) => close(lr[0], 0.05 * 0.1 ** Math.floor(e / 2)));
  });

  it('step(epoch) jumps with the closed form', () => {
    const opt = sgd(1);
    const s = new S.StepLR(opt, 3, 0.1);
    s.step(7);
    expect(s.last_epoch).toBe(7);
    close(opt.param_groups[0].lr, 0.1 ** 2);
  });

  it('argument errors name the argument, as Python does', () => {
    const opt = sgd();
    expect(() => new S.StepLR(opt, {})).toThrow("StepLR.__init__() missing 1 required positional argument: 'step_size'");
    // @ts-expect-error not a StepLR argument
    expect(() => new S.StepLR(opt, 3, { gama: 0.5 })).toThrow("StepLR.__init__() got an unexpected keyword argument 'gama'");
    // @ts-expect-error not an optimizer
    expect(() => new S.StepLR({}, 3)).toThrow('dict is not an Optimizer');
    expect(() => new S.StepLR(opt, 3, 0.1, 4)).toThrow("param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer");
  });
});

describe('MultiStepLR', () => {
  it('lr = base * gamma ** (milestones reached), repeated milestones counting twice', () => {
    const opt = sgd(0.2);
    const milestones = [2, 5, 5];
    const lrs = run(new S.MultiStepLR(opt, { milestones, gamma: 0.5 }), opt, 8);
    lrs.forEach((lr, e) => close(lr[0], 0.2 * 0.5 ** milestones.filter((m) => m <= e).length));
    const opt2 = sgd(0.2);
    const s = new S.MultiStepLR(opt2, [2, 5, 5], 0.5);
    s.step(6);
    close(opt2.param_groups[0].lr, 0.2 * 0.5 ** 3);
  });
});

describe('ExponentialLR', () => {
  it('lr = base * gamma ** epoch', () => {
    const opt = twoGroups();
    run(new S.ExponentialLR(opt, 0.9), opt, 20).forEach((lr, e) => [0.1, 0.02].forEach((b, i) => close(lr[i], b * 0.9 ** e)));
    expect(() => new S.ExponentialLR(opt)).toThrow("missing 1 required positional argument: 'gamma'");
  });
});

describe('CosineAnnealingLR', () => {
  const closed = (base: number, etaMin: number, t: number, T: number) => etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / T)) / 2;

  it('the recursive form follows eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2, past T_max too', () => {
    const opt = twoGroups();
    const lrs = run(new S.CosineAnnealingLR(opt, { T_max: 10, eta_min: 0.001 }), opt, 35);
    lrs.forEach((lr, t) => [0.1, 0.02].forEach((b, i) => close(lr[i], closed(b, 0.001, t, 10))));
    const opt2 = sgd(1);
    run(new S.CosineAnnealingLR(opt2, 7), opt2, 14).forEach((lr, t) => close(lr[0], closed(1, 0, t, 7)));
  });

  it('step(epoch) uses the closed form', () => {
    const opt = sgd(1);
    const s = new S.CosineAnnealingLR(opt, 10, 0.1);
    s.step(4);
    close(opt.param_groups[0].lr, closed(1, 0.1, 4, 10));
  });
});

describe('LambdaLR and MultiplicativeLR', () => {
  it('LambdaLR: lr = base * lr_lambda(epoch), one function per group or one for all', () => {
    const fns = [(e: number) => Math.floor(e / 3), (e: number) => 0.95 ** e];
    const opt = twoGroups();
    run(new S.LambdaLR(opt, fns), opt, 10).forEach((lr, e) => [0.1, 0.02].forEach((b, i) => close(lr[i], b * fns[i](e))));
    const opt2 = twoGroups();
    run(new S.LambdaLR(opt2, { lr_lambda: (e) => 1 / (e + 1) }), opt2, 5)
      .forEach((lr, e) => [0.1, 0.02].forEach((b, i) => close(lr[i], b / (e + 1))));
    expect(() => new S.LambdaLR(twoGroups(), [fns[0]])).toThrow('Expected 2 lr_lambdas, but got 1');
  });

  it('MultiplicativeLR: lr *= lr_lambda(epoch)', () => {
    const opt = sgd(0.3);
    run(new S.MultiplicativeLR(opt, () => 0.9), opt, 6).forEach((lr, e) => close(lr[0], 0.3 * 0.9 ** e));
  });
});

describe('OneCycleLR', () => {
  // PyTorch's documented schedule: phases end at pct_start * total - 1 (and 2 * pct_start * total - 2 with three_phase)
  // and total - 1; within a phase, pct = (step - phase start) / (phase end - phase start).
  const cosAnneal = (a: number, b: number, pct: number) => b + (a - b) / 2 * (1 + Math.cos(Math.PI * pct));
  const linAnneal = (a: number, b: number, pct: number) => a + (b - a) * pct;
  function expected(step: number, total: number, o: { max_lr: number; pct?: number; div?: number; final?: number; linear?: boolean; three?: boolean }) {
    const pct = o.pct ?? 0.3, init = o.max_lr / (o.div ?? 25), min = init / (o.final ?? 1e4);
    const f = o.linear ? linAnneal : cosAnneal;
    const phases: [number, number, number, number, number][] = o.three // [end, lr from, lr to, momentum from, momentum to]
      ? [[pct * total - 1, init, o.max_lr, 0.95, 0.85], [2 * pct * total - 2, o.max_lr, init, 0.85, 0.95], [total - 1, init, min, 0.95, 0.95]]
      : [[pct * total - 1, init, o.max_lr, 0.95, 0.85], [total - 1, o.max_lr, min, 0.85, 0.95]];
    let start = 0;
    for (const [i, [end, l0, l1, m0, m1]] of phases.entries()) {
      if (step <= end || i === phases.length - 1) {
        const p = (step - start) / (end - start);
        return { lr: f(l0, l1, p), momentum: f(m0, m1, p) };
      }
      start = end;
    }
    throw new Error('unreachable');
  }

  it('two phases of cosine annealing, momentum cycled inversely', () => {
    const opt = sgd(0.1, 0.9);
    const s = new S.OneCycleLR(opt, { max_lr: 1, total_steps: 20 });
    expect(opt.param_groups[0]).toMatchObject({ initial_lr: 0.04, max_lr: 1, max_momentum: 0.95, base_momentum: 0.85 });
    close(opt.param_groups[0].min_lr as number, 0.04 / 1e4);
    for (let t = 0; t <= 20; t++) {
      if (t > 0) s.step();
      const e = expected(t, 20, { max_lr: 1 });
      close(opt.param_groups[0].lr, e.lr);
      close(opt.param_groups[0].momentum, e.momentum);
    }
    expect(() => s.step()).toThrow('Tried to step 21 times. The specified number of total steps is 20');
  });

  it('linear and three-phase schedules, epochs * steps_per_epoch, Adam beta1', () => {
    const cases = [
      { kw: { max_lr: 0.5, epochs: 4, steps_per_epoch: 5, anneal_strategy: 'linear' as const }, o: { max_lr: 0.5, linear: true } },
      { kw: { max_lr: 0.5, total_steps: 20, three_phase: true, pct_start: 0.25, div_factor: 10 }, o: { max_lr: 0.5, three: true, pct: 0.25, div: 10 } },
    ];
    for (const { kw, o } of cases) {
      const opt = new optim.Adam([param()], { lr: 0.1, betas: [0.9, 0.99] });
      const s = new S.OneCycleLR(opt, kw);
      for (let t = 0; t <= 20; t++) {
        if (t > 0) s.step();
        const e = expected(t, 20, o);
        close(opt.param_groups[0].lr, e.lr);
        close(opt.param_groups[0].betas[0], e.momentum);
        expect(opt.param_groups[0].betas[1]).toBe(0.99);
      }
    }
  });

  it('positional max_lr, per-group max_lr lists, cycle_momentum off', () => {
    const opt = twoGroups();
    const s = new S.OneCycleLR(opt, [1, 2], 10, { cycle_momentum: false });
    // (cos annealing at pct 0 gives max_lr / div_factor up to rounding, in PyTorch too)
    s.get_last_lr().forEach((lr, i) => close(lr, [1, 2][i] / 25));
    expect(opt.param_groups[0].momentum).toBe(0);
  });

  it("PyTorch's errors", () => {
    expect(() => new S.OneCycleLR(sgd(), { max_lr: 1 })).toThrow('You must define either total_steps OR (epochs AND steps_per_epoch)');
    expect(() => new S.OneCycleLR(sgd(), 1, 0)).toThrow('Expected positive integer total_steps, but got 0');
    expect(() => new S.OneCycleLR(sgd(), 1, 10, { pct_start: 1.5 })).toThrow('Expected float between 0 and 1 pct_start, but got 1.5');
    // @ts-expect-error not a strategy
    expect(() => new S.OneCycleLR(sgd(), 1, 10, { anneal_strategy: 'exp' })).toThrow("anneal_strategy must be one of 'cos' or 'linear', instead got exp");
    expect(() => new S.OneCycleLR(new optim.Adagrad([param()]), 1, 10))
      .toThrow('optimizer must support momentum or beta1 with `cycle_momentum` option enabled');
    expect(() => new S.OneCycleLR(twoGroups(), [1], 10))
      .toThrow('max_lr must have the same length as optimizer.param_groups. max_lr has 1 values, param_groups has 2.');
  });
});

describe('ReduceLROnPlateau', () => {
  /** lr after each step(metric). */
  const trace = (s: direct.ReduceLROnPlateau, metrics: (number | torch.Tensor)[]) => metrics.map((m) => {
    s.step(m);
    expect(s.get_last_lr()).toEqual(s.optimizer.param_groups.map((g) => g.lr));
    return s.get_last_lr()[0];
  });

  it('reduces once the metric has not improved for more than patience steps', () => {
    // 10 sets best; 9 improves (< 10 * (1 - 1e-4)); then 9, 9 are bad steps 1 and 2, the third (> patience 2)
    // halves lr and resets the count; three more bad steps halve it again.
    const s = new S.ReduceLROnPlateau(sgd(1), { factor: 0.5, patience: 2 });
    expect(trace(s, [10, 9, 9, 9, 9, 9, 9, 9, 8])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(s.best).toBe(8);
  });

  it('the rel threshold decides what counts as better', () => {
    // best 10: 9.5 is not below 10 * (1 - 0.1) = 9, so it is a bad step (patience 0 reduces at once)
    const s = new S.ReduceLROnPlateau(sgd(1), 'min', 0.5, 0, 0.1);
    expect(trace(s, [10, 9.5, 8.9])).toEqual([1, 0.5, 0.5]);
  });

  it('cooldown ignores bad steps after a reduction; min_lr floors; eps skips tiny changes', () => {
    const s = new S.ReduceLROnPlateau(sgd(1), { factor: 0.5, patience: 1, cooldown: 2 });
    // reduce at step 3; steps 4 and 5 are cooldown; bad again at 6, 7 -> reduce at 7
    expect(trace(s, [5, 5, 5, 5, 5, 5, 5])).toEqual([1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
    const floor = new S.ReduceLROnPlateau(sgd(1), { patience: 0, min_lr: 0.05 });
    expect(trace(floor, [1, 1, 1, 1]).map((x) => Math.round(x * 1e12) / 1e12)).toEqual([1, 0.1, 0.05, 0.05]);
    const tiny = new S.ReduceLROnPlateau(sgd(1e-8), { patience: 0, factor: 0.5 });
    expect(trace(tiny, [1, 1])).toEqual([1e-8, 1e-8]); // 1e-8 - 5e-9 is not more than eps
  });

  it('mode max with an abs threshold, tensor metrics, per-group min_lr', () => {
    const s = new S.ReduceLROnPlateau(twoGroups(), { mode: 'max', threshold_mode: 'abs', threshold: 0.5, patience: 0, min_lr: [0.05, 0] });
    // best 1; 1.4 is not above 1 + 0.5: reduce; 1.6 is; 1.7 is not above 2.1: reduce (group 0 floors at 0.05)
    expect(trace(s, [torch.tensor(1), 1.4, 1.6, 1.7])).toEqual([0.1, 0.05, 0.05, 0.05]);
    close(s.get_last_lr()[1], 0.02 * 0.1 * 0.1);
  });

  it('state_dict round trip continues identically', () => {
    const a = new S.ReduceLROnPlateau(sgd(1), { factor: 0.5, patience: 1, cooldown: 1 });
    trace(a, [3, 3, 3]);
    const sd = a.state_dict();
    expect(sd).not.toHaveProperty('optimizer');
    expect(sd).toMatchObject({ best: 3, factor: 0.5, patience: 1, last_epoch: 3, mode: 'min', mode_worse: Infinity });
    const opt = sgd(1);
    opt.load_state_dict(a.optimizer.state_dict());
    const b = new S.ReduceLROnPlateau(opt);
    b.load_state_dict(sd);
    const more = [3, 3, 2, 3, 3, 3];
    expect(trace(b, more)).toEqual(trace(a, more));
  });

  it("PyTorch's errors", () => {
    expect(() => new S.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('Factor should be < 1.0.');
    // @ts-expect-error not a mode
    expect(() => new S.ReduceLROnPlateau(sgd(), 'median')).toThrow('mode median is unknown!');
    // @ts-expect-error not a threshold mode
    expect(() => new S.ReduceLROnPlateau(sgd(), { threshold_mode: 'pct' })).toThrow('threshold mode pct is unknown!');
    expect(() => new S.ReduceLROnPlateau(twoGroups(), { min_lr: [0] })).toThrow('expected 2 min_lrs, got 1');
  });
});

describe('warmup and combinations', () => {
  it('LinearLR then ExponentialLR through SequentialLR', () => {
    const opt = sgd(1);
    const warm = new S.LinearLR(opt, { start_factor: 0.1, total_iters: 3 });
    const decay = new S.ExponentialLR(opt, 0.9);
    const s = new S.SequentialLR(opt, { schedulers: [warm, decay], milestones: [3] });
    run(s, opt, 10).forEach((lr, e) => close(lr[0], e < 3 ? 0.1 + 0.9 * e / 3 : 0.9 ** (e - 3)));
  });

  it('ConstantLR, PolynomialLR, and ChainedScheduler multiplying two schedules', () => {
    const o1 = sgd(1);
    run(new S.ConstantLR(o1, 0.5, 3), o1, 6).forEach((lr, e) => close(lr[0], e < 3 ? 0.5 : 1));
    const o2 = sgd(0.5);
    run(new S.PolynomialLR(o2, { total_iters: 4, power: 2 }), o2, 6).forEach((lr, e) => close(lr[0], 0.5 * (1 - Math.min(e, 4) / 4) ** 2));
    const o3 = sgd(1);
    const chained = new S.ChainedScheduler([new S.ConstantLR(o3, { factor: 0.1, total_iters: 2 }), new S.ExponentialLR(o3, 0.9)]);
    run(chained, o3, 6).forEach((lr, e) => close(lr[0], 0.9 ** e * (e < 2 ? 0.1 : 1)));
  });

  it('CosineAnnealingWarmRestarts restarts with periods T_0, T_0 * T_mult, ...', () => {
    const opt = sgd(1);
    const s = new S.CosineAnnealingWarmRestarts(opt, { T_0: 3, T_mult: 2, eta_min: 0.01 });
    run(s, opt, 20).forEach((lr, e) => {
      const [tCur, tI] = e < 3 ? [e, 3] : e < 9 ? [e - 3, 6] : [e - 9, 12];
      close(lr[0], 0.01 + 0.99 * (1 + Math.cos(Math.PI * tCur / tI)) / 2);
    });
  });
});

describe('state_dict', () => {
  it('holds everything but the optimizer and resumes the schedule exactly', () => {
    const makeOpt = () => new optim.SGD([param()], { lr: 0.1 });
    const o1 = makeOpt();
    const a = new S.CosineAnnealingLR(o1, 12, 0.001);
    for (let i = 0; i < 5; i++) a.step();
    const sd = a.state_dict();
    expect(sd).not.toHaveProperty('optimizer');
    expect(sd).toMatchObject({ T_max: 12, eta_min: 0.001, base_lrs: [0.1], last_epoch: 5, _step_count: 6 });
    const o2 = makeOpt();
    o2.load_state_dict(o1.state_dict()); // the lr and initial_lr live in the optimizer's param groups
    const b = new S.CosineAnnealingLR(o2, 1);
    b.load_state_dict(sd);
    expect(b.T_max).toBe(12);
    for (let i = 0; i < 10; i++) {
      a.step();
      b.step();
      expect(b.get_last_lr()).toEqual(a.get_last_lr());
    }
  });

  it('does not alias the scheduler, and LambdaLR leaves out its functions', () => {
    const opt = sgd(1);
    const s = new S.MultiStepLR(opt, [1]);
    const sd = s.state_dict();
    (sd.base_lrs as number[])[0] = 5;
    (sd.milestones as Record<number, number>)[1] = 9;
    expect(s.base_lrs).toEqual([1]);
    expect(s.milestones).toEqual({ 1: 1 });
    const l = new S.LambdaLR(twoGroups(), (e) => e);
    const lsd = l.state_dict();
    expect(lsd.lr_lambdas).toEqual([null, null]);
    l.load_state_dict({ ...lsd, last_epoch: 4 });
    expect(l.last_epoch).toBe(4);
    expect(typeof l.lr_lambdas[0]).toBe('function');
  });

  it('LRScheduler is the base of every scheduler; a subclass gets its fields before the initial step', () => {
    class Halving extends S.LRScheduler {
      declare every: number;
      constructor(o: torch.optim.Optimizer<object>, every: number) {
        super(o, -1, { every });
      }
      get_lr(): number[] {
        return this.base_lrs.map((b) => b * 0.5 ** Math.floor(this.last_epoch / this.every));
      }
    }
    const opt = sgd(1);
    run(new Halving(opt, 2), opt, 6).forEach((lr, e) => close(lr[0], 0.5 ** Math.floor(e / 2)));
    expect(new S.ReduceLROnPlateau(sgd())).toBeInstanceOf(S.LRScheduler);
  });
});
