// PyTorch's calling convention for torch.optim, torch.optim.lr_scheduler, torch.utils.data and
// torch.nn.utils.clip_grad_*: each callable's parameters by position or by name give the same object, the
// defaults are PyTorch's, and bad calls raise PyTorch's messages. Every expected value below was printed
// from PyTorch 2.13 (inspect.signature, param_groups, state_dict(), the exception text) or is arithmetic.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { optim } = torch;
const S = optim.lr_scheduler;
const { DataLoader, RandomSampler, SequentialSampler, SubsetRandomSampler, BatchSampler, random_split } = torch.utils.data;
const U = torch.nn.utils;

const param = () => torch.zeros([2], { requires_grad: true });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A param group's options, params left out. */
function options(opt: { param_groups: Record<string, unknown>[] }, i = 0): Record<string, unknown> {
  const { params: _p, ...rest } = opt.param_groups[i];
  return rest;
}
type AnyCtor = new (...args: any[]) => any;
const make = (C: unknown, ...args: unknown[]) => new (C as AnyCtor)(...args);

describe('optimizer constructors', () => {
  // dict(optimizer.param_groups[0]) without 'params', from PyTorch 2.13, in its key order
  const DEFAULTS: [string, unknown, Record<string, unknown>][] = [
    ['SGD', optim.SGD, { lr: 0.001, momentum: 0, dampening: 0, weight_decay: 0, nesterov: false, maximize: false, foreach: null,
      differentiable: false, fused: null }],
    ['Adam', optim.Adam, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-08, weight_decay: 0, amsgrad: false, maximize: false, foreach: null,
      capturable: false, differentiable: false, fused: null, decoupled_weight_decay: false }],
    ['AdamW', optim.AdamW, { lr: 0.001, betas: [0.9, 0.999], eps: 1e-08, weight_decay: 0.01, amsgrad: false, maximize: false,
      foreach: null, capturable: false, differentiable: false, fused: null, decoupled_weight_decay: true }],
    ['RMSprop', optim.RMSprop, { lr: 0.01, momentum: 0, alpha: 0.99, eps: 1e-08, centered: false, weight_decay: 0, capturable: false,
      foreach: null, maximize: false, differentiable: false }],
    ['Adagrad', optim.Adagrad, { lr: 0.01, lr_decay: 0, eps: 1e-10, weight_decay: 0, initial_accumulator_value: 0, foreach: null,
      maximize: false, differentiable: false, fused: null }],
  ];
  for (const [name, C, defaults] of DEFAULTS) {
    it(`${name}(params): PyTorch's defaults, in PyTorch's key order`, () => {
      const opt = make(C, [param()]);
      expect(options(opt)).toEqual(defaults);
      expect(Object.keys(options(opt))).toEqual(Object.keys(defaults));
      expect(opt.defaults).toEqual(defaults);
    });
  }

  it('positional and keyword forms give the same param groups', () => {
    const cases: [unknown, unknown[], Record<string, unknown>][] = [
      [optim.SGD, [0.1, 0.9, 0, 0.01, true], { lr: 0.1, momentum: 0.9, dampening: 0, weight_decay: 0.01, nesterov: true }],
      [optim.Adam, [0.01, [0.8, 0.9], 1e-6, 0.1, true], { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weight_decay: 0.1, amsgrad: true }],
      [optim.AdamW, [0.01, [0.8, 0.9], 1e-6, 0.1, true], { lr: 0.01, betas: [0.8, 0.9], eps: 1e-6, weight_decay: 0.1, amsgrad: true }],
      // RMSprop has no keyword-only marker: all eleven parameters may come by position
      [optim.RMSprop, [0.1, 0.9, 1e-6, 0.1, 0.5, true, false, null, true, false],
        { lr: 0.1, alpha: 0.9, eps: 1e-6, weight_decay: 0.1, momentum: 0.5, centered: true, capturable: false, foreach: null,
          maximize: true, differentiable: false }],
      [optim.Adagrad, [0.1, 0.01, 0.1, 0.5, 1e-6, true], { lr: 0.1, lr_decay: 0.01, weight_decay: 0.1, initial_accumulator_value: 0.5,
        eps: 1e-6, foreach: true }],
    ];
    for (const [C, pos, kw] of cases) {
      const a = make(C, [param()], ...pos);
      const b = make(C, [param()], kw);
      const c = make(C, [param()], pos[0], pos[1], { ...Object.fromEntries(Object.entries(kw).slice(2)) });
      expect(options(a)).toEqual(options(b));
      expect(options(c)).toEqual(options(b));
      expect(options(b)).toMatchObject(kw);
    }
  });

  it('keyword-only options come by name only', () => {
    expect(options(new optim.SGD([param()], 0.1, { maximize: true }))).toMatchObject({ lr: 0.1, maximize: true });
    expect(() => make(optim.SGD, [param()], 0.1, 0.9, 0, 0, false, true))
      .toThrow('SGD.__init__() takes from 2 to 7 positional arguments but 8 were given');
    expect(() => make(optim.Adam, [param()], 0.1, [0.9, 0.99], 1e-8, 0, false, 1))
      .toThrow('Adam.__init__() takes from 2 to 7 positional arguments but 8 were given');
    expect(() => make(optim.RMSprop, [param()], 0.1, 0.9, 1e-8, 0, 0, false, false, null, false, false, 1))
      .toThrow('RMSprop.__init__() takes from 2 to 12 positional arguments but 13 were given');
    expect(() => make(optim.SGD, [param()], 0.1, 0.9, 0, 0, false, 1, 2, 3))
      .toThrow('SGD.__init__() takes from 2 to 7 positional arguments but 10 were given');
  });

  it("binding errors are Python's", () => {
    expect(() => make(optim.SGD, [param()], { lrr: 0.1 })).toThrow("SGD.__init__() got an unexpected keyword argument 'lrr'");
    expect(() => make(optim.SGD, [param()], 0.1, { lr: 0.1 })).toThrow("SGD.__init__() got multiple values for argument 'lr'");
    expect(() => make(optim.SGD)).toThrow("SGD.__init__() missing 1 required positional argument: 'params'");
    expect(() => make(optim.AdamW, [param()], { decoupled_weight_decay: true }))
      .toThrow("AdamW.__init__() got an unexpected keyword argument 'decoupled_weight_decay'");
  });

  it("value checks are PyTorch's, in its order, before any group is made", () => {
    const p = [param()];
    const cases: [() => unknown, string][] = [
      [() => new optim.SGD(p, { lr: -1 }), 'Invalid learning rate: -1'],
      [() => new optim.SGD(p, -1), 'Invalid learning rate: -1'],
      [() => new optim.SGD(p, { momentum: -0.1 }), 'Invalid momentum value: -0.1'],
      [() => new optim.SGD(p, { weight_decay: -0.1 }), 'Invalid weight_decay value: -0.1'],
      [() => new optim.SGD(p, { nesterov: true }), 'Nesterov momentum requires a momentum and zero dampening'],
      [() => new optim.SGD(p, 0.1, 0.9, 0.1, 0, true), 'Nesterov momentum requires a momentum and zero dampening'],
      [() => new optim.Adam(p, { betas: [1.5, 0.9] }), 'Invalid beta parameter at index 0: 1.5'],
      [() => new optim.Adam(p, { betas: [0.9, -0.1] }), 'Invalid beta parameter at index 1: -0.1'],
      [() => new optim.Adam(p, { eps: -1 }), 'Invalid epsilon value: -1'],
      [() => new optim.Adam(p, { weight_decay: -1 }), 'Invalid weight_decay value: -1'],
      [() => new optim.AdamW(p, { lr: -0.5 }), 'Invalid learning rate: -0.5'],
      [() => new optim.AdamW(p, { betas: [0.9, 1.0] }), 'Invalid beta parameter at index 1: 1'],
      [() => new optim.RMSprop(p, { alpha: -1 }), 'Invalid alpha value: -1'],
      [() => new optim.RMSprop(p, { momentum: -1 }), 'Invalid momentum value: -1'],
      [() => new optim.RMSprop(p, { eps: -1 }), 'Invalid epsilon value: -1'],
      [() => new optim.Adagrad(p, { lr_decay: -1 }), 'Invalid lr_decay value: -1'],
      [() => new optim.Adagrad(p, { initial_accumulator_value: -1 }), 'Invalid initial_accumulator_value value: -1'],
      [() => new optim.Adagrad(p, { eps: -1 }), 'Invalid epsilon value: -1'],
      [() => new optim.SGD([], { lr: 0.1 }), 'optimizer got an empty parameter list'],
      [() => make(optim.SGD, torch.zeros(2)), 'params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor'],
      [() => make(optim.SGD, [1.5]), 'optimizer can only optimize Tensors, but one of the params is float'],
      [() => new optim.SGD([torch.zeros([2], { requires_grad: true }).mul(2)]), "can't optimize a non-leaf Tensor"],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
    // lr < 0 is PyTorch's test: nan passes it
    expect(new optim.SGD(p, { lr: NaN }).param_groups[0].lr).toBeNaN();
    // the first failing check is reported: momentum is checked before nesterov
    expect(() => new optim.SGD(p, { momentum: -1, nesterov: true })).toThrow('Invalid momentum value: -1');
  });

  it('lr may be a one-element tensor, as in PyTorch', () => {
    expect(new optim.SGD([param()], torch.tensor(0.25)).param_groups[0].lr).toBe(0.25);
    expect(new optim.Adam([param()], { lr: torch.tensor([0.5]) }).param_groups[0].lr).toBe(0.5);
    expect(() => new optim.SGD([param()], { lr: torch.tensor([0.5, 0.5]) })).toThrow('Tensor lr must be 1-element');
  });

  it('implementation options: foreach is accepted; capturable, differentiable and fused=True are refused', () => {
    expect(options(new optim.SGD([param()], { foreach: true }))).toMatchObject({ foreach: true });
    expect(options(new optim.Adam([param()], { fused: false, capturable: false, differentiable: false }))).toMatchObject({ fused: false });
    expect(() => new optim.SGD([param()], { fused: true })).toThrow('SGD: fused=True is not supported by wasmtorch');
    expect(() => new optim.Adam([param()], { capturable: true })).toThrow('Adam: capturable=True is not supported by wasmtorch');
    expect(() => new optim.AdamW([param()], { differentiable: true })).toThrow('AdamW: differentiable=True is not supported by wasmtorch');
  });

  it("Adam(decoupled_weight_decay=True) steps as AdamW does", () => {
    const run = (make: (p: torch.Tensor) => torch.optim.Optimizer<object>) => {
      const p = torch.tensor([1.0, -2.0], { requires_grad: true });
      const opt = make(p);
      for (let i = 0; i < 3; i++) {
        opt.zero_grad();
        p.square().sum().backward();
        opt.step();
      }
      return p.tolist() as number[];
    };
    const a = run((p) => new optim.Adam([p], { lr: 0.1, weight_decay: 0.5, decoupled_weight_decay: true }));
    const w = run((p) => new optim.AdamW([p], 0.1, [0.9, 0.999], 1e-8, 0.5));
    const plain = run((p) => new optim.Adam([p], { lr: 0.1, weight_decay: 0.5 }));
    expect(a).toEqual(w);
    expect(a).not.toEqual(plain);
  });

  it('named parameters (name, tensor) pairs record param_names, as PyTorch 2.x does', () => {
    const m = new torch.nn.Linear(2, 1);
    const opt = new optim.SGD(m.named_parameters(), { lr: 0.1 });
    expect(opt.param_groups[0].param_names).toEqual(['weight', 'bias']);
    expect(opt.param_groups[0].params).toEqual([m.weight, m.bias]);
  });

  it('zero_grad(set_to_none=True) and add_param_group(param_group) bind as PyTorch does', () => {
    const p = param();
    const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
    p.sum().backward();
    opt.zero_grad({ set_to_none: false });
    expect(p.grad!.tolist()).toEqual([0, 0]);
    opt.zero_grad(true);
    expect(p.grad).toBeNull();
    expect(() => (opt.zero_grad as (...a: unknown[]) => void)(true, 1))
      .toThrow('Optimizer.zero_grad() takes from 1 to 2 positional arguments but 3 were given');
    expect(() => (opt.zero_grad as (...a: unknown[]) => void)({ foo: 1 })).toThrow("Optimizer.zero_grad() got an unexpected keyword argument 'foo'");
    const q = param();
    opt.add_param_group({ params: q, lr: 0.5 });
    // PyTorch: the group's own keys, then the defaults it leaves out
    expect(options(opt, 1)).toEqual({ lr: 0.5, momentum: 0.9, dampening: 0, weight_decay: 0, nesterov: false, maximize: false,
      foreach: null, differentiable: false, fused: null });
    expect(opt.param_groups[1].params).toEqual([q]);
    expect(() => (opt.add_param_group as (...a: unknown[]) => void)([p])).toThrow("param_group must be a dict, but got <class 'list'>");
    expect(() => opt.add_param_group({ params: [p] })).toThrow('some parameters appear in more than one parameter group');
    expect(() => (opt.add_param_group as (...a: unknown[]) => void)())
      .toThrow("Optimizer.add_param_group() missing 1 required positional argument: 'param_group'");
  });
});

describe('lr scheduler constructors', () => {
  const sgd = () => new optim.SGD([param()], { lr: 0.1, momentum: 0.9 });
  const third = 0.1 / 3;
  /** state_dict() entries PyTorch 2.13 has right after construction with defaults (lr 0.1, momentum 0.9). */
  const cases: [string, (o: any) => any, (o: any) => any, Record<string, unknown>, number][] = [
    ['StepLR', (o) => new S.StepLR(o, 30, 0.1, -1), (o) => new S.StepLR(o, { step_size: 30 }),
      { step_size: 30, gamma: 0.1, base_lrs: [0.1], last_epoch: 0, _step_count: 1, _last_lr: [0.1] }, 0.1],
    ['MultiStepLR', (o) => new S.MultiStepLR(o, [2, 5], 0.1), (o) => new S.MultiStepLR(o, { milestones: [2, 5] }),
      { milestones: { 2: 1, 5: 1 }, gamma: 0.1, base_lrs: [0.1], last_epoch: 0, _step_count: 1 }, 0.1],
    ['ConstantLR', (o) => new S.ConstantLR(o, 1 / 3, 5, -1), (o) => new S.ConstantLR(o, {}),
      { factor: 0.3333333333333333, total_iters: 5, base_lrs: [0.1], last_epoch: 0, _step_count: 1 }, third],
    ['LinearLR', (o) => new S.LinearLR(o, 1 / 3, 1.0, 5), (o) => new S.LinearLR(o),
      { start_factor: 0.3333333333333333, end_factor: 1.0, total_iters: 5, base_lrs: [0.1], last_epoch: 0 }, third],
    ['ExponentialLR', (o) => new S.ExponentialLR(o, 0.9), (o) => new S.ExponentialLR(o, { gamma: 0.9, last_epoch: -1 }),
      { gamma: 0.9, base_lrs: [0.1], last_epoch: 0, _step_count: 1 }, 0.1],
    ['PolynomialLR', (o) => new S.PolynomialLR(o, 5, 1.0), (o) => new S.PolynomialLR(o),
      { total_iters: 5, power: 1.0, base_lrs: [0.1], last_epoch: 0 }, 0.1],
    ['CosineAnnealingLR', (o) => new S.CosineAnnealingLR(o, 10, 0.0), (o) => new S.CosineAnnealingLR(o, { T_max: 10 }),
      { T_max: 10, eta_min: 0.0, base_lrs: [0.1], last_epoch: 0, _step_count: 1 }, 0.1],
    ['CosineAnnealingWarmRestarts', (o) => new S.CosineAnnealingWarmRestarts(o, 10, 1, 0.0, -1),
      (o) => new S.CosineAnnealingWarmRestarts(o, { T_0: 10 }),
      { T_0: 10, T_i: 10, T_mult: 1, eta_min: 0.0, T_cur: 0, base_lrs: [0.1], last_epoch: 0, _step_count: 0 }, 0.1],
    ['OneCycleLR', (o) => new S.OneCycleLR(o, 1.0, 100), (o) => new S.OneCycleLR(o, { max_lr: 1.0, total_steps: 100 }),
      { total_steps: 100, _anneal_func_type: 'cos', cycle_momentum: true, use_beta1: false, base_lrs: [0.04], last_epoch: 0,
        _step_count: 1 }, 1.0 / 25],
    ['ReduceLROnPlateau', (o) => new S.ReduceLROnPlateau(o, 'min', 0.1, 10, 1e-4, 'rel', 0, 0, 1e-8), (o) => new S.ReduceLROnPlateau(o),
      { factor: 0.1, default_min_lr: 0, min_lrs: [0], patience: 10, cooldown: 0, eps: 1e-08, last_epoch: 0, _last_lr: [0.1],
        mode_worse: Infinity, mode: 'min', threshold: 0.0001, threshold_mode: 'rel', best: Infinity, cooldown_counter: 0,
        num_bad_epochs: 0 }, 0.1],
    ['LambdaLR', (o) => new S.LambdaLR(o, () => 0.5, -1), (o) => new S.LambdaLR(o, { lr_lambda: () => 0.5 }),
      { base_lrs: [0.1], last_epoch: 0, _step_count: 1, _last_lr: [0.05], lr_lambdas: [null] }, 0.05],
    ['MultiplicativeLR', (o) => new S.MultiplicativeLR(o, () => 0.5), (o) => new S.MultiplicativeLR(o, { lr_lambda: () => 0.5 }),
      { base_lrs: [0.1], last_epoch: 0, _step_count: 1, _last_lr: [0.1], lr_lambdas: [null] }, 0.1],
  ];
  for (const [name, positional, keyword, state, lr] of cases) {
    it(`${name}: positional and keyword forms, PyTorch's state after construction`, () => {
      const o1 = sgd(), o2 = sgd();
      const a = positional(o1), b = keyword(o2);
      expect(a.state_dict()).toEqual(b.state_dict());
      expect(a.state_dict()).toMatchObject(state);
      expect(o1.param_groups[0].lr).toBeCloseTo(lr, 15);
      expect(o2.param_groups[0].lr).toBe(o1.param_groups[0].lr);
    });
  }

  it('SequentialLR and ChainedScheduler: positional and keyword forms', () => {
    const o1 = sgd(), o2 = sgd();
    const a = new S.SequentialLR(o1, [new S.ConstantLR(o1), new S.ExponentialLR(o1, 0.9)], [3]);
    const b = new S.SequentialLR(o2, { schedulers: [new S.ConstantLR(o2), new S.ExponentialLR(o2, 0.9)], milestones: [3] });
    expect(a.state_dict()).toEqual(b.state_dict());
    // PyTorch: last_epoch 0, _milestones [3], lr 0.1/3
    expect(a.last_epoch).toBe(0);
    expect(a._milestones).toEqual([3]);
    expect(o1.param_groups[0].lr).toBeCloseTo(third, 15);
    const o3 = sgd(), o4 = sgd();
    const c = new S.ChainedScheduler([new S.ConstantLR(o3), new S.ExponentialLR(o3, 0.9)], o3);
    const d = new S.ChainedScheduler([new S.ConstantLR(o4), new S.ExponentialLR(o4, 0.9)], { optimizer: o4 });
    expect(c.state_dict()).toEqual(d.state_dict());
    expect(c.get_last_lr()[0]).toBeCloseTo(third, 15);
  });

  it("binding errors are Python's", () => {
    const o = sgd();
    const cases: [() => unknown, string][] = [
      [() => make(S.StepLR, o, 3, 0.1, -1, 5), 'StepLR.__init__() takes from 3 to 5 positional arguments but 6 were given'],
      [() => make(S.StepLR, o, 3, { step_size: 3 }), "StepLR.__init__() got multiple values for argument 'step_size'"],
      [() => make(S.StepLR, o, { gama: 3 }), "StepLR.__init__() got an unexpected keyword argument 'gama'"],
      [() => make(S.StepLR), "StepLR.__init__() missing 2 required positional arguments: 'optimizer' and 'step_size'"],
      [() => make(S.SequentialLR, o), "SequentialLR.__init__() missing 2 required positional arguments: 'schedulers' and 'milestones'"],
      [() => make(S.OneCycleLR, o), "OneCycleLR.__init__() missing 1 required positional argument: 'max_lr'"],
      [() => make(S.LambdaLR, o), "LambdaLR.__init__() missing 1 required positional argument: 'lr_lambda'"],
      [() => make(S.LambdaLR, o, {}), "LambdaLR.__init__() missing 1 required positional argument: 'lr_lambda'"],
      [() => make(S.ReduceLROnPlateau, o, 'min', 0.1, 10, 1e-4, 'rel', 0, 0, 1e-8, 1),
        'ReduceLROnPlateau.__init__() takes from 2 to 10 positional arguments but 11 were given'],
      [() => make(S.ChainedScheduler), "ChainedScheduler.__init__() missing 1 required positional argument: 'schedulers'"],
      [() => make(S.ChainedScheduler, [new S.StepLR(o, 2)], o, 1), 'ChainedScheduler.__init__() takes from 2 to 3 positional arguments but 4 were given'],
      [() => make(S.CosineAnnealingWarmRestarts, o, 0), 'Expected positive integer T_0, but got 0'],
      [() => make(S.CosineAnnealingWarmRestarts, o, 2, 0), 'Expected integer T_mult >= 1, but got 0'],
      [() => make(S.StepLR, {}, 3), 'dict is not an Optimizer'],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
  });
});

describe('DataLoader and samplers', () => {
  it("DataLoader(dataset): PyTorch's defaults", () => {
    const d = new DataLoader(range(10));
    expect({ batch_size: d.batch_size, drop_last: d.drop_last, num_workers: d.num_workers, pin_memory: d.pin_memory, timeout: d.timeout,
      worker_init_fn: d.worker_init_fn, multiprocessing_context: d.multiprocessing_context, generator: d.generator,
      prefetch_factor: d.prefetch_factor, persistent_workers: d.persistent_workers, pin_memory_device: d.pin_memory_device,
      in_order: d.in_order }).toEqual({ batch_size: 1, drop_last: false, num_workers: 0, pin_memory: false, timeout: 0,
      worker_init_fn: null, multiprocessing_context: null, generator: null, prefetch_factor: null, persistent_workers: false,
      pin_memory_device: '', in_order: true });
    expect(d.sampler).toBeInstanceOf(SequentialSampler);
    expect(d.batch_sampler).toBeInstanceOf(BatchSampler);
  });

  it('positional and keyword forms are the same loader', () => {
    const a = new DataLoader(range(10), 3, false, null, null, 0, null, false, true);
    const b = new DataLoader(range(10), { batch_size: 3, drop_last: true });
    const c = new DataLoader(range(10), 3, { drop_last: true });
    for (const d of [a, b, c]) {
      expect([d.batch_size, d.drop_last, d.len()]).toEqual([3, true, 3]);
      expect([...d].map((t) => (t as torch.Tensor).tolist())).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    }
  });

  it("binding errors and PyTorch's ValueErrors", () => {
    const cases: [() => unknown, string][] = [
      [() => make(DataLoader, range(3), { shufle: true }), "DataLoader.__init__() got an unexpected keyword argument 'shufle'"],
      [() => make(DataLoader, range(3), 2, { batch_size: 2 }), "DataLoader.__init__() got multiple values for argument 'batch_size'"],
      [() => make(DataLoader), "DataLoader.__init__() missing 1 required positional argument: 'dataset'"],
      [() => make(DataLoader, range(3), 1, false, null, null, 0, null, false, false, 0, null, null, null, 2),
        'DataLoader.__init__() takes from 2 to 14 positional arguments but 15 were given'],
      [() => new DataLoader(range(3), { num_workers: -1 }), 'num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.'],
      [() => new DataLoader(range(3), { timeout: -1 }), 'timeout option should be non-negative'],
      [() => new DataLoader(range(3), { prefetch_factor: 2 }), 'prefetch_factor option could only be specified in multiprocessing.let ' +
        'num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.'],
      [() => new DataLoader(range(3), { persistent_workers: true }), 'persistent_workers option needs num_workers > 0'],
      [() => new DataLoader(range(3), { batch_size: null, drop_last: true }),
        'batch_size=None option disables auto-batching and is mutually exclusive with drop_last'],
      [() => new DataLoader(range(5), { sampler: [0], shuffle: true }), 'sampler option is mutually exclusive with shuffle'],
      [() => new DataLoader(range(5), { batch_sampler: [[0]], batch_size: 2 }),
        'batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last'],
      [() => new DataLoader(range(5), { batch_size: 0 }), 'batch_size should be a positive integer value, but got batch_size=0'],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
    // PyTorch sets prefetch_factor 2 when workers are asked for
    expect(new DataLoader(range(3), { num_workers: 2 }).prefetch_factor).toBe(2);
  });

  it('samplers: positional and keyword forms, PyTorch draws and messages', () => {
    // list(RandomSampler(range(5), False, 3, torch.Generator().manual_seed(2))) in PyTorch
    const r1 = [...new RandomSampler(range(5), false, 3, new torch.Generator().manual_seed(2))];
    const r2 = [...new RandomSampler(range(5), { num_samples: 3, generator: new torch.Generator().manual_seed(2) })];
    expect(r1).toEqual([3, 4, 1]);
    expect(r2).toEqual(r1);
    // list(SubsetRandomSampler([10, 20, 30, 40], torch.Generator().manual_seed(1)))
    expect([...new SubsetRandomSampler([10, 20, 30, 40], new torch.Generator().manual_seed(1))]).toEqual([20, 40, 30, 10]);
    expect([...new SubsetRandomSampler([10, 20, 30, 40], { generator: new torch.Generator().manual_seed(1) })]).toEqual([20, 40, 30, 10]);
    expect([...new BatchSampler(range(5), 2, true)]).toEqual([[0, 1], [2, 3]]);
    expect([...new BatchSampler(range(5), { batch_size: 2, drop_last: false })]).toEqual([[0, 1], [2, 3], [4]]);
    expect([...new SequentialSampler(range(3))]).toEqual([0, 1, 2]);
    const cases: [() => unknown, string][] = [
      [() => make(RandomSampler, range(3), false, null, null, 1), 'RandomSampler.__init__() takes from 2 to 5 positional arguments but 6 were given'],
      [() => make(RandomSampler, range(3), { num_samples: 0 }), 'num_samples should be a positive integer value, but got num_samples=0'],
      [() => make(BatchSampler, range(3), 2, false, 1), 'BatchSampler.__init__() takes 4 positional arguments but 5 were given'],
      [() => make(BatchSampler, range(3), 2), "BatchSampler.__init__() missing 1 required positional argument: 'drop_last'"],
      [() => make(BatchSampler, range(3), 0, false), 'batch_size should be a positive integer value, but got batch_size=0'],
      [() => make(SubsetRandomSampler, [1], null, 1), 'SubsetRandomSampler.__init__() takes from 2 to 3 positional arguments but 4 were given'],
      [() => make(SubsetRandomSampler), "SubsetRandomSampler.__init__() missing 1 required positional argument: 'indices'"],
      [() => make(SequentialSampler, range(3), 1), 'SequentialSampler.__init__() takes 2 positional arguments but 3 were given'],
      [() => make(SequentialSampler), "SequentialSampler.__init__() missing 1 required positional argument: 'data_source'"],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
  });

  it('random_split(dataset, lengths, generator): positional and keyword forms', () => {
    // [list(s.indices) for s in random_split(range(10), [3, 7], torch.Generator().manual_seed(0))]
    const expected = [[4, 1, 7], [5, 3, 9, 0, 8, 6, 2]];
    expect(random_split(range(10), [3, 7], new torch.Generator().manual_seed(0)).map((s) => s.indices)).toEqual(expected);
    expect(random_split(range(10), [0.3, 0.7], { generator: new torch.Generator().manual_seed(0) }).map((s) => s.indices)).toEqual(expected);
    expect(() => (random_split as (...a: unknown[]) => unknown)(range(3), [1, 2], { lenghts: 3 }))
      .toThrow("random_split() got an unexpected keyword argument 'lenghts'");
    expect(() => (random_split as (...a: unknown[]) => unknown)(range(3), [1, 2], null, 4))
      .toThrow('random_split() takes from 2 to 3 positional arguments but 4 were given');
    expect(() => (random_split as (...a: unknown[]) => unknown)(range(3)))
      .toThrow("random_split() missing 1 required positional argument: 'lengths'");
  });
});

describe('clip_grad_norm_, clip_grad_value_, get_total_norm, clip_grads_with_norm_', () => {
  const withGrad = () => {
    const p = torch.zeros([2], { requires_grad: true });
    p.mul(torch.tensor([3, 4])).sum().backward(); // grad [3, 4], norm 5
    return p;
  };
  it('positional and keyword forms clip alike: [3, 4] to norm 1 is [0.6, 0.8]', () => {
    const forms: ((p: torch.Tensor) => torch.Tensor)[] = [
      (p) => U.clip_grad_norm_([p], 1.0, 2.0, false, null),
      (p) => U.clip_grad_norm_([p], { max_norm: 1.0, norm_type: 2.0 }),
      (p) => U.clip_grad_norm_([p], 1.0, { error_if_nonfinite: false, foreach: null }),
    ];
    for (const clip of forms) {
      const p = withGrad();
      expect(clip(p).item()).toBeCloseTo(5, 5);
      const g = p.grad!.tolist() as number[];
      expect(g[0]).toBeCloseTo(0.6, 6);
      expect(g[1]).toBeCloseTo(0.8, 6);
    }
    const a = withGrad(), b = withGrad();
    U.clip_grad_value_([a], 3.5);
    U.clip_grad_value_([b], { clip_value: 3.5 });
    expect(a.grad!.tolist()).toEqual([3, 3.5]);
    expect(b.grad!.tolist()).toEqual([3, 3.5]);
    expect(U.get_total_norm([a.grad!], 1).item()).toBeCloseTo(6.5, 6);
    expect(U.get_total_norm([a.grad!], { norm_type: 'inf' }).item()).toBe(3.5);
    const c = withGrad();
    U.clip_grads_with_norm_([c], 2.5, torch.tensor(5));
    expect((c.grad!.tolist() as number[])[0]).toBeCloseTo(1.5, 5);
    const d = withGrad();
    U.clip_grads_with_norm_([d], { max_norm: 2.5, total_norm: torch.tensor(5) });
    expect(d.grad!.tolist()).toEqual(c.grad!.tolist());
  });

  it("binding errors are Python's", () => {
    const p = withGrad();
    const call = (f: unknown, ...args: unknown[]) => () => (f as (...a: unknown[]) => unknown)(...args);
    const cases: [() => unknown, string][] = [
      [call(U.clip_grad_norm_, [p]), "clip_grad_norm_() missing 1 required positional argument: 'max_norm'"],
      [call(U.clip_grad_norm_, [p], 1, 2, false, null, 3), 'clip_grad_norm_() takes from 2 to 5 positional arguments but 6 were given'],
      [call(U.clip_grad_norm_, [p], 1, { foo: 3 }), "clip_grad_norm_() got an unexpected keyword argument 'foo'"],
      [call(U.clip_grad_norm_, [p], 1, { norm_type: 'abc' }), "could not convert string to float: 'abc'"],
      [call(U.clip_grad_value_, [p]), "clip_grad_value_() missing 1 required positional argument: 'clip_value'"],
      [call(U.clip_grad_value_, [p], 1, null, 3), 'clip_grad_value_() takes from 2 to 3 positional arguments but 4 were given'],
      [call(U.clip_grad_value_, [p], { clip_valu: 1 }), "clip_grad_value_() got an unexpected keyword argument 'clip_valu'"],
      // PyTorch's own messages name these _get_total_norm and _clip_grads_with_norm_ (their function objects' names)
      [call(U.get_total_norm, [p.grad!], 2, false, null, 1), 'get_total_norm() takes from 1 to 4 positional arguments but 5 were given'],
      [call(U.clip_grads_with_norm_, [p], 1), "clip_grads_with_norm_() missing 1 required positional argument: 'total_norm'"],
      [call(U.clip_grads_with_norm_, [p], 1, torch.tensor(5), null, 1),
        'clip_grads_with_norm_() takes from 3 to 4 positional arguments but 5 were given'],
    ];
    for (const [f, message] of cases) expect(f).toThrow(message);
  });
});
