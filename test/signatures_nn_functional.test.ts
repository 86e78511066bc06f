// PyTorch's signatures for torch.nn.init, the functional normalisations and dropouts, F.unfold, the recurrent
// cells and RNNBase, the containers and Parameter, and torch.utils.data's datasets and collate functions: each
// call gives the same values with its parameters by position, by name or mixed, and each check raises PyTorch's
// words. Every expected string and number below was printed by PyTorch 2.13 running the same call (or is the
// arithmetic named beside it); the generic bad-call suite over every signature is test/signature_table.test.ts.
import { describe, it, expect, vi, afterEach } from 'vitest';
import * as torch from '../src/index.js';
import { expectIntact } from './helpers/intact.js';

const { nn } = torch;
const F = nn.functional;
const I = nn.init;
const D = torch.utils.data;
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const call = (f: unknown, ...args: unknown[]): Any => (f as (...a: unknown[]) => unknown)(...args);
const make = (C: unknown, ...args: unknown[]): Any => new (C as new (...a: unknown[]) => unknown)(...args);

/** The values of a tensor, rounded as PyTorch's were printed (round(v, digits)). */
const rounded = (t: torch.Tensor, digits = 5): number[] => (t.flatten().tolist() as number[]).map((v) => +v.toFixed(digits));
function expectValues(t: torch.Tensor, expected: number[], tol = 2e-5): void {
  const got = t.flatten().tolist() as number[];
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tol));
}
/** Each call's message, and for a TypeError (an argument refused by the parser) nothing left allocated or broken. */
function expectRefused(f: () => unknown, message: string, type: ErrorConstructor = Error): void {
  const before = torch.memory().resident_blocks;
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error, message).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
  if (type === TypeError) expect(torch.memory().resident_blocks).toBe(before);
  expectIntact();
}

afterEach(() => vi.restoreAllMocks());

describe('nn.init', () => {
  it('calculate_gain(nonlinearity, param=None): the gains, by position or by name', () => {
    expect(I.calculate_gain('linear')).toBe(1);
    expect(I.calculate_gain('conv_transpose2d')).toBe(1);
    expect(I.calculate_gain('tanh')).toBe(5 / 3);
    expect(I.calculate_gain({ nonlinearity: 'relu' })).toBe(Math.SQRT2);
    expect(I.calculate_gain('selu')).toBe(0.75);
    expect(I.calculate_gain('leaky_relu')).toBeCloseTo(1.4141428569978354, 15); // sqrt(2 / (1 + 0.01²))
    for (const g of [I.calculate_gain('leaky_relu', 0.2), I.calculate_gain('leaky_relu', { param: 0.2 }), I.calculate_gain({ nonlinearity: 'leaky_relu', param: 0.2 })]) {
      expect(g).toBeCloseTo(1.3867504905630728, 15);
    }
    expect(I.calculate_gain('leaky_relu', 0)).toBe(Math.SQRT2);
    expect(I.calculate_gain('tanh', 0.2)).toBe(5 / 3); // param is leaky_relu's only
  });

  it("calculate_gain refuses what PyTorch refuses, in its words", () => {
    expectRefused(() => I.calculate_gain('foo'), 'Unsupported nonlinearity foo');
    expectRefused(() => call(I.calculate_gain, 'leaky_relu', 'x'), 'negative_slope x not a valid number');
    expectRefused(() => call(I.calculate_gain, 'leaky_relu', true), 'negative_slope True not a valid number');
    expectRefused(() => call(I.calculate_gain), "calculate_gain() missing 1 required positional argument: 'nonlinearity'", TypeError);
    expectRefused(() => call(I.calculate_gain, 'relu', 1, 2), 'calculate_gain() takes from 1 to 2 positional arguments but 3 were given', TypeError);
    expectRefused(() => call(I.calculate_gain, 'relu', { foo: 1 }), "calculate_gain() got an unexpected keyword argument 'foo'", TypeError);
  });

  // torch.manual_seed(0); t = torch.empty(...); nn.init.<f>(t, ...); t.flatten().tolist(), rounded to 6 digits
  const SEEDED: [string, () => torch.Tensor, number[]][] = [
    ['uniform_(t, -1, 2)', () => I.uniform_(torch.empty(2, 3), -1, 2), [0.48877, 1.304665, -0.734568, -0.603909, -0.077732, 0.902236]],
    ['normal_(t, 1, 0.5)', () => I.normal_(torch.empty(2, 3), 1, 0.5), [1.770498, 0.853286, -0.089395, 1.284216, 0.457739, 0.300702]],
    ['kaiming_uniform_(t, a=sqrt(5))', () => I.kaiming_uniform_(torch.empty(3, 4), { a: Math.sqrt(5) }),
      [-0.003743, 0.268222, -0.411523, -0.36797, -0.192577, 0.134079, -0.009907, 0.396445, -0.044372, 0.132306, -0.151107, -0.098283]],
    ["kaiming_uniform_(t, 0, 'fan_out', 'relu')", () => I.kaiming_uniform_(torch.empty(3, 4), 0, 'fan_out', 'relu'),
      [-0.010588, 0.758646, -1.163962, -1.040775, -0.54469, 0.379232, -0.02802, 1.121315, -0.125503, 0.374219, -0.427394, -0.277985]],
    ["kaiming_normal_(t, mode='fan_out')", () => I.kaiming_normal_(torch.empty(3, 4), { mode: 'fan_out' }),
      [1.258218, -0.239584, -1.778974, 0.464122, -0.885509, -1.141948, 0.329331, 0.684246, -0.587271, -0.329329, -0.487151, 0.148632]],
    ['xavier_uniform_(t, 2.0)', () => I.xavier_uniform_(torch.empty(3, 4), 2),
      [-0.013863, 0.993301, -1.523983, -1.362694, -0.713167, 0.496531, -0.036687, 1.468146, -0.164322, 0.489967, -0.55959, -0.363968]],
    ['xavier_normal_(t)', () => I.xavier_normal_(torch.empty(3, 4)),
      [0.823697, -0.156844, -1.164612, 0.303839, -0.579702, -0.747581, 0.215598, 0.447944, -0.384459, -0.215596, -0.318915, 0.097303]],
  ];
  for (const [name, init, expected] of SEEDED) {
    it(`${name} draws PyTorch's values for the same seed`, () => {
      torch.manual_seed(0);
      expectValues(init(), expected, 2e-6);
    });
  }

  it('each initialiser takes its parameters by position, by name or mixed, with the same values', () => {
    const forms: [string, (() => torch.Tensor)[]][] = [
      ['uniform_', [() => I.uniform_(torch.empty(2, 3), -1, 2), () => I.uniform_(torch.empty(2, 3), { a: -1, b: 2 }),
        () => I.uniform_(torch.empty(2, 3), -1, { b: 2 }), () => I.uniform_({ tensor: torch.empty(2, 3), a: -1, b: 2 })]],
      ['normal_', [() => I.normal_(torch.empty(2, 3), 1, 0.5), () => I.normal_(torch.empty(2, 3), { std: 0.5, mean: 1 }),
        () => I.normal_({ tensor: torch.empty(2, 3), mean: 1, std: 0.5 })]],
      ['xavier_uniform_', [() => I.xavier_uniform_(torch.empty(3, 4), 2), () => I.xavier_uniform_(torch.empty(3, 4), { gain: 2 }),
        () => I.xavier_uniform_({ tensor: torch.empty(3, 4), gain: 2 })]],
      ['xavier_normal_', [() => I.xavier_normal_(torch.empty(3, 4), 0.5), () => I.xavier_normal_(torch.empty(3, 4), { gain: 0.5 })]],
      ['kaiming_uniform_', [() => I.kaiming_uniform_(torch.empty(3, 4), 0, 'fan_out', 'relu'),
        () => I.kaiming_uniform_(torch.empty(3, 4), { a: 0, mode: 'fan_out', nonlinearity: 'relu' }),
        () => I.kaiming_uniform_(torch.empty(3, 4), 0, { nonlinearity: 'relu', mode: 'fan_out' }),
        () => I.kaiming_uniform_(torch.empty(3, 4), { mode: 'FAN_OUT' as never, nonlinearity: 'relu' })]], // PyTorch lowers the mode
      ['kaiming_normal_', [() => I.kaiming_normal_(torch.empty(3, 4), 0.1, 'fan_in', 'leaky_relu'),
        () => I.kaiming_normal_({ tensor: torch.empty(3, 4), a: 0.1 })]],
      ['constant_', [() => I.constant_(torch.empty(2, 2), 0.25), () => I.constant_(torch.empty(2, 2), { val: 0.25 }),
        () => I.constant_({ tensor: torch.empty(2, 2), val: 0.25 })]],
    ];
    for (const [name, calls] of forms) {
      const values = calls.map((f) => {
        torch.manual_seed(5);
        return f().tolist();
      });
      for (const v of values) expect(v, name).toEqual(values[0]);
    }
  });

  it("bounds are PyTorch's formulas: kaiming gain·sqrt(3 / fan), xavier gain·sqrt(6 / (fan_in + fan_out))", () => {
    torch.manual_seed(1);
    const w = I.kaiming_uniform_(torch.empty(64, 50), { nonlinearity: 'relu' });
    const bound = Math.SQRT2 * Math.sqrt(3 / 50);
    expect(w.abs().max().item()).toBeLessThanOrEqual(bound);
    expect(w.abs().max().item()).toBeGreaterThan(0.98 * bound);
    const x = I.xavier_uniform_(torch.empty(64, 50), { gain: 3 });
    const xb = 3 * Math.sqrt(6 / 114);
    expect(x.abs().max().item()).toBeLessThanOrEqual(xb);
    expect(x.abs().max().item()).toBeGreaterThan(0.98 * xb);
    expect(I._calculate_fan_in_and_fan_out(torch.empty(4, 3, 2, 5))).toEqual([30, 40]);
    expect(I._calculate_fan_in_and_fan_out({ tensor: torch.empty(4, 3) })).toEqual([3, 4]);
  });

  it('a generator is used when given, by position or by name; the fills', () => {
    // g = torch.Generator().manual_seed(7); nn.init.uniform_(torch.empty(2, 2), generator=g)
    const g = () => new torch.Generator().manual_seed(7);
    expectValues(I.uniform_(torch.empty(2, 2), { generator: g() }), [0.534923, 0.198803, 0.659212, 0.65689], 2e-6);
    expectValues(I.uniform_(torch.empty(2, 2), 0, 1, g()), [0.534923, 0.198803, 0.659212, 0.65689], 2e-6);
    expectValues(I.kaiming_uniform_(torch.empty(2, 2), { generator: g() }), [0.120975, -1.043376, 0.551525, 0.543484], 2e-6);
    expect(I.constant_(torch.empty(2, 3), 0.25).tolist()).toEqual([[0.25, 0.25, 0.25], [0.25, 0.25, 0.25]]);
    expect(I.constant_(torch.empty(2, 3), true).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(I.ones_(torch.empty(2, 3)).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(I.zeros_({ tensor: torch.empty(2, 3) }).tolist()).toEqual([[0, 0, 0], [0, 0, 0]]);
    const p = new nn.Parameter(torch.ones(2));
    I.zeros_(p);
    expect([p.tolist(), p.requires_grad, p.grad_fn]).toEqual([[0, 0], true, null]); // outside autograd
  });

  it('a zero-element tensor is left as it is, with PyTorch\'s warning (kaiming_*)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = torch.empty(0, 3);
    expect(I.kaiming_uniform_(t, { mode: 'fan_avg' as never })).toBe(t);
    expect(I.kaiming_normal_(t)).toBe(t);
    expect(warn).toHaveBeenCalledWith('Initializing zero-element tensors is a no-op');
  });

  it("refuse what PyTorch refuses, in its words", () => {
    const x = torch.ones(2, 3);
    expectRefused(() => call(I.uniform_), "uniform_() missing 1 required positional argument: 'tensor'", TypeError);
    expectRefused(() => call(I.uniform_, x, 0, 1, null, 5), 'uniform_() takes from 1 to 4 positional arguments but 5 were given', TypeError);
    expectRefused(() => call(I.uniform_, x, { c: 3 }), "uniform_() got an unexpected keyword argument 'c'", TypeError);
    expectRefused(() => call(I.uniform_, x, { generator: 3 }), "uniform_(): argument 'generator' must be torch.Generator, not int", TypeError);
    expectRefused(() => call(I.uniform_, x, 0, 1, 3), "uniform_(): argument 'generator' must be torch.Generator, not int", TypeError);
    expectRefused(() => I.uniform_(x, 1, 0), 'uniform_ expects to return a [from, to) range, but found from=1 > to=0');
    expectRefused(() => I.uniform_(x, 1.5, 0.25), 'uniform_ expects to return a [from, to) range, but found from=1.5 > to=0.25');
    expectRefused(() => I.normal_(x, 0, -1), 'normal expects std >= 0.0, but found std -1');
    expectRefused(() => call(I.normal_, x, { generator: 3 }), "normal_(): argument 'generator' must be torch.Generator, not int", TypeError);
    expectRefused(() => call(I.constant_, x), "constant_() missing 1 required positional argument: 'val'", TypeError);
    expectRefused(() => call(I.zeros_), "zeros_() missing 1 required positional argument: 'tensor'", TypeError);
    const fewDims = 'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions';
    expectRefused(() => I.xavier_uniform_(torch.ones(3)), fewDims);
    expectRefused(() => I.xavier_normal_(torch.ones(3)), fewDims);
    expectRefused(() => I.kaiming_uniform_(torch.ones(3)), fewDims);
    expectRefused(() => I._calculate_fan_in_and_fan_out(torch.ones(3)), fewDims);
    expectRefused(() => call(I._calculate_fan_in_and_fan_out), "_calculate_fan_in_and_fan_out() missing 1 required positional argument: 'tensor'", TypeError);
    expectRefused(() => call(I.kaiming_uniform_), "kaiming_uniform_() missing 1 required positional argument: 'tensor'", TypeError);
    expectRefused(() => I.kaiming_uniform_(x, { mode: 'fan_avg' as never }), "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
    expectRefused(() => I.kaiming_normal_(x, { mode: 'Fan_Avg' as never }), "Mode fan_avg not supported, please use one of ['fan_in', 'fan_out']");
    expectRefused(() => I.kaiming_uniform_(x, { nonlinearity: 'foo' }), 'Unsupported nonlinearity foo');
    expectRefused(() => call(I.kaiming_uniform_, x, 0, 'fan_in', 'relu', null, 3), 'kaiming_uniform_() takes from 1 to 5 positional arguments but 6 were given', TypeError);
    expect(x.tolist()).toEqual([[1, 1, 1], [1, 1, 1]]); // every refused call left it as it was
  });
});

describe('F.batch_norm, F.layer_norm, F.group_norm', () => {
  const x = () => torch.arange(12, { dtype: torch.float32 }).reshape(4, 3).pow(1.5).div(10);
  const w = () => torch.tensor([1, 2, -1]), b = () => torch.tensor([0.5, 0, -0.5]);
  const stats = () => [torch.tensor([0.1, 0.2, 0.3]), torch.tensor([1, 2, 0.5])];
  // F.batch_norm(x, rm, rv, w, b, False, 0.1, 1e-3)
  const EVAL = [0.40005, -0.14139, -0.47576, 0.91941, 0.84832, -1.65572, 1.86901, 2.33573, -3.27296, 3.0987, 4.18825, -5.23047];
  // F.batch_norm(x, rm, rv, w, b, True, 0.2, 1e-5), and rm, rv after it
  const TRAIN = [-0.641, -2.38733, 0.7221, -0.13527, -1.17511, 0.06152, 0.78942, 0.64672, -0.84387, 1.98685, 2.91572, -1.93975];

  it('batch_norm: every form gives PyTorch\'s values (and running stats)', () => {
    const evalForms = [
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), rm, rv, w(), b(), false, 0.1, 1e-3),
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), rm, rv, { weight: w(), bias: b(), eps: 1e-3 }),
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm({ input: x(), running_mean: rm, running_var: rv, weight: w(), bias: b(), eps: 1e-3 }),
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), rm, rv, w(), { bias: b(), training: false, eps: 1e-3 }),
    ];
    for (const f of evalForms) {
      const [rm, rv] = stats();
      expectValues(f(rm, rv), EVAL, 1e-4);
      expect(rounded(rm)).toEqual([0.1, 0.2, 0.3]);
    }
    const trainForms = [
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), rm, rv, w(), b(), true, 0.2, 1e-5),
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), rm, rv, { weight: w(), bias: b(), training: true, momentum: 0.2 }),
      (rm: torch.Tensor, rv: torch.Tensor) => F.batch_norm(x(), { running_mean: rm, running_var: rv, weight: w(), bias: b(), training: true, momentum: 0.2 }),
    ];
    for (const f of trainForms) {
      const [rm, rv] = stats();
      expectValues(f(rm, rv), TRAIN, 1e-4);
      expectValues(rm, [0.31447, 0.45572, 0.6056], 1e-4);
      expectValues(rv, [1.08151, 1.95568, 0.82627], 1e-4);
    }
  });

  it('layer_norm and group_norm: every form gives PyTorch\'s values', () => {
    const x3 = () => torch.arange(24, { dtype: torch.float32 }).reshape(2, 3, 4).sin();
    const lw = () => torch.full([3, 4], 2), lb = () => torch.full([3, 4], 0.5);
    // F.layer_norm(x3, [3, 4], full(2.0), full(0.5), 1e-3)
    const LN = [0.40307, 2.78325, 2.9751, 0.80224, -1.73761, -2.30933, -0.38728, 2.26142, 3.20156, 1.56879, -1.13574, -2.42549,
      -1.19504, 1.58207, 3.23788, 2.25004, -0.47323, -2.42818, -1.81742, 0.79751, 3.01245, 2.79101, 0.33677, -2.09385];
    for (const y of [F.layer_norm(x3(), [3, 4], lw(), lb(), 1e-3), F.layer_norm(x3(), [3, 4], { weight: lw(), bias: lb(), eps: 1e-3 }),
      F.layer_norm(x3(), { normalized_shape: [3, 4], weight: lw(), bias: lb(), eps: 1e-3 }),
      F.layer_norm({ input: x3(), normalized_shape: [3, 4], weight: lw(), bias: lb(), eps: 1e-3 })]) {
      expectValues(y, LN, 1e-4);
    }
    const x4 = () => torch.arange(32, { dtype: torch.float32 }).reshape(2, 4, 4).cos();
    const gw = () => torch.tensor([1, 2, 3, 4]), gb = () => torch.tensor([0, 1, 0, -1]);
    // F.group_norm(x4, 2, [1, 2, 3, 4], [0, 1, 0, -1], 1e-3)
    const GN = [1.12806, 0.49195, -0.83154, -1.6256, -1.32035, 1.27365, 3.14589, 2.57504, -0.22353, -3.63711, -3.31584, 0.44492, 4.58339,
      4.96143, 0.37978, -4.9492, -1.13689, -0.16775, 1.16063, 1.62694, 2.60492, -0.10958, -1.39392, -0.06728, 1.22247, 3.6708, 2.18423,
      -1.87051, -7.354, -6.11881, -0.92406, 3.45421];
    for (const y of [F.group_norm(x4(), 2, gw(), gb(), 1e-3), F.group_norm(x4(), 2, { bias: gb(), weight: gw(), eps: 1e-3 }),
      F.group_norm(x4(), { num_groups: 2, weight: gw(), bias: gb(), eps: 1e-3 }), F.group_norm(x4(), 2, gw(), { bias: gb(), eps: 1e-3 })]) {
      expectValues(y, GN, 1e-4);
    }
  });

  it("refuse what PyTorch refuses, in its words", () => {
    const [rm, rv] = stats();
    const x1 = x(), one = torch.ones(1, 3);
    const bn = F.batch_norm as unknown;
    expectRefused(() => call(bn, x1), "batch_norm() missing 2 required positional arguments: 'running_mean' and 'running_var'", TypeError);
    expectRefused(() => call(bn, x1, rm), "batch_norm() missing 1 required positional argument: 'running_var'", TypeError);
    expectRefused(() => call(bn), "batch_norm() missing 3 required positional arguments: 'input', 'running_mean', and 'running_var'", TypeError);
    expectRefused(() => call(bn, x1, rm, rv, null, null, false, 0.1, 1e-5, 3), 'batch_norm() takes from 3 to 8 positional arguments but 9 were given', TypeError);
    expectRefused(() => call(bn, x1, rm, rv, { foo: 1 }), "batch_norm() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => call(bn, x1, rm, rv, null, null, 'a'), "batch_norm(): argument 'training' (position 6) must be bool, not str", TypeError);
    expectRefused(() => call(bn, x1, rm, rv, null, null, true, 'a'), "batch_norm(): argument 'momentum' (position 7) must be float, not str", TypeError);
    expectRefused(() => call(bn, 3, rm, rv), "batch_norm(): argument 'input' (position 1) must be Tensor, not int", TypeError);
    expectRefused(() => F.batch_norm(x1, rm, rv, { eps: -1e-5 }), 'batch_norm eps must be non-negative, but got -1e-05');
    expectRefused(() => F.batch_norm(x1, rm, rv, { training: true, eps: 0 }), 'batch_norm eps must be positive during training, but got 0.0');
    expectRefused(() => F.batch_norm(one, rm, rv, { training: true, eps: 0 }),
      'Expected more than 1 value per channel when training, got input size torch.Size([1, 3])');
    expectRefused(() => F.batch_norm(x1, null, null), 'running_mean must be defined in evaluation mode');
    expect(rounded(rm)).toEqual([0.1, 0.2, 0.3]);

    const ln = F.layer_norm as unknown;
    expectRefused(() => call(ln, x1), "layer_norm() missing 1 required positional argument: 'normalized_shape'", TypeError);
    expectRefused(() => call(ln), "layer_norm() missing 2 required positional arguments: 'input' and 'normalized_shape'", TypeError);
    expectRefused(() => call(ln, x1, 3, null, null, 1e-5, 3), 'layer_norm() takes from 2 to 5 positional arguments but 6 were given', TypeError);
    expectRefused(() => call(ln, x1, 3, { foo: 1 }), "layer_norm() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => call(ln, x1, 'a'), "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not str", TypeError);
    expectRefused(() => call(ln, x1, 3.5), "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not float", TypeError);
    expectRefused(() => call(ln, x1, [3.5]),
      "layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, but found element of type float at pos 0", TypeError);
    expectRefused(() => call(ln, x1, [3], 3), "layer_norm(): argument 'weight' (position 3) must be Tensor, not int", TypeError);
    expectRefused(() => call(ln, x1, [3], null, null, 'a'), "layer_norm(): argument 'eps' (position 5) must be float, not str", TypeError);
    expectRefused(() => call(ln, 3, [3]), "layer_norm(): argument 'input' (position 1) must be Tensor, not int", TypeError);
    expectRefused(() => F.layer_norm(x1, []),
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');

    const gn = F.group_norm as unknown;
    const x4 = torch.ones(2, 4, 3, 3);
    expectRefused(() => call(gn, x1), "group_norm() missing 1 required positional argument: 'num_groups'", TypeError);
    expectRefused(() => call(gn), "group_norm() missing 2 required positional arguments: 'input' and 'num_groups'", TypeError);
    expectRefused(() => call(gn, x1, 1, null, null, 1e-5, 3), 'group_norm() takes from 2 to 5 positional arguments but 6 were given', TypeError);
    expectRefused(() => call(gn, x1, 1, { foo: 1 }), "group_norm() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => call(gn, x1, 1.5), "group_norm(): argument 'num_groups' (position 2) must be int, not float", TypeError);
    expectRefused(() => call(gn, x1, 1, 3), "group_norm(): argument 'weight' (position 3) must be Tensor, not int", TypeError);
    expectRefused(() => call(gn, x1, 1, null, null, 'a'), "group_norm(): argument 'eps' (position 5) must be float, not str", TypeError);
    expectRefused(() => F.group_norm(x4, 0), 'integer division or modulo by zero');
    expectRefused(() => F.group_norm(x4, -2), 'Expected num groups to be greater than 0, got -2');
    expectRefused(() => F.group_norm(x4, 3),
      'Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 4, 3, 3] and num_groups=3');
  });
});

describe('F.dropout, F.dropout2d', () => {
  it('every form gives PyTorch\'s masks for the same seed', () => {
    // torch.manual_seed(3); F.dropout(torch.ones(8), 0.25, True, False)
    const DROP = [1.33333, 1.33333, 0, 1.33333, 0, 1.33333, 1.33333, 1.33333];
    for (const f of [() => F.dropout(torch.ones(8), 0.25, true, false), () => F.dropout(torch.ones(8), { p: 0.25 }),
      () => F.dropout(torch.ones(8), 0.25, { training: true }), () => F.dropout({ input: torch.ones(8), p: 0.25, inplace: false })]) {
      torch.manual_seed(3);
      expectValues(f(), DROP, 1e-5);
    }
    // torch.manual_seed(3); F.dropout2d(torch.ones(2, 4, 1, 2), 0.5, True)
    const DROP2D = [2, 2, 2, 2, 0, 0, 2, 2, 0, 0, 0, 0, 2, 2, 2, 2];
    for (const f of [() => F.dropout2d(torch.ones(2, 4, 1, 2), 0.5, true), () => F.dropout2d(torch.ones(2, 4, 1, 2), { p: 0.5, training: true }),
      () => F.dropout2d({ input: torch.ones(2, 4, 1, 2) })]) {
      torch.manual_seed(3);
      expectValues(f(), DROP2D, 0);
    }
    const x = torch.ones(3);
    expect(F.dropout(x, { training: false })).toBe(x);
    expect(F.dropout(x, 0.5, true, true)).toBe(x); // in place
  });

  it("refuse what PyTorch refuses, in its words", () => {
    const x = torch.ones(2, 3), x4 = torch.ones(1, 2, 3, 3);
    for (const [f, name] of [[F.dropout, 'dropout'], [F.dropout2d, 'dropout2d']] as const) {
      expectRefused(() => call(f), `${name}() missing 1 required positional argument: 'input'`, TypeError);
      expectRefused(() => call(f, x4, 0.5, true, false, 3), `${name}() takes from 1 to 4 positional arguments but 5 were given`, TypeError);
      expectRefused(() => call(f, x4, { foo: 1 }), `${name}() got an unexpected keyword argument 'foo'`, TypeError);
      expectRefused(() => f(x4, 1.5), 'dropout probability has to be between 0 and 1, but got 1.5');
    }
    expectRefused(() => F.dropout(x, -0.1), 'dropout probability has to be between 0 and 1, but got -0.1');
    expectRefused(() => F.dropout(x, NaN), 'dropout probability has to be between 0 and 1, but got nan');
    expectRefused(() => call(F.dropout, 3), "dropout(): argument 'input' (position 1) must be Tensor, not int", TypeError);
  });
});

describe('F.unfold(input, kernel_size, dilation=1, padding=0, stride=1)', () => {
  const x = () => torch.arange(2 * 2 * 4 * 5, { dtype: torch.float32 }).reshape(2, 2, 4, 5);

  it("every form gives PyTorch's blocks", () => {
    // F.unfold(x, [2, 3], 1, 1, [1, 2]): shape [2, 12, 15], summed over dim 1
    const SUMS = [42, 72, 54, 104, 174, 128, 144, 234, 168, 184, 294, 208, 102, 162, 114, 202, 312, 214, 424, 654, 448, 464, 714, 488,
      504, 774, 528, 262, 402, 274];
    for (const u of [F.unfold(x(), [2, 3], 1, 1, [1, 2]), F.unfold(x(), [2, 3], { padding: 1, stride: [1, 2] }),
      F.unfold(x(), { kernel_size: [2, 3], dilation: [1], padding: [1, 1], stride: [1, 2] }), F.unfold(x(), [2, 3], 1, { stride: [1, 2], padding: 1 })]) {
      expect(u.shape).toEqual([2, 12, 15]);
      expect(u.sum(1).flatten().tolist()).toEqual(SUMS);
    }
    // F.unfold(x, 2, dilation=2, stride=1): shape [2, 8, 6], the first block
    const u2 = F.unfold(x(), 2, { dilation: 2, stride: 1 });
    expect(u2.shape).toEqual([2, 8, 6]);
    expect(u2.select(0, 0).select(1, 0).tolist()).toEqual([0, 2, 10, 12, 20, 22, 30, 32]);
  });

  it("refuses what PyTorch refuses, in its words", () => {
    const x4 = torch.ones(2, 4, 3, 3);
    expectRefused(() => call(F.unfold, x4), "unfold() missing 1 required positional argument: 'kernel_size'", TypeError);
    expectRefused(() => call(F.unfold), "unfold() missing 2 required positional arguments: 'input' and 'kernel_size'", TypeError);
    expectRefused(() => call(F.unfold, x4, 2, 1, 0, 1, 3), 'unfold() takes from 2 to 5 positional arguments but 6 were given', TypeError);
    expectRefused(() => call(F.unfold, x4, 2, { foo: 1 }), "unfold() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => F.unfold(x4, 0), 'kernel size should be greater than zero, but got kernel_height: 0 kernel_width: 0');
    expectRefused(() => F.unfold(x4, 2, { stride: 0 }), 'stride should be greater than zero, but got stride_height: 0 stride_width: 0');
    expectRefused(() => F.unfold(x4, 2, { padding: -1 }), 'padding should be non-negative, but got pad_height: -1 pad_width: -1');
    expectRefused(() => F.unfold(x4, 5), 'Given input with spatial size (3, 3), kernel_size=(5, 5), dilation=(1, 1), padding=(0, 0), ' +
      'calculated shape of the array of sliding blocks as (-1, -1), but its components must be at least one.');
  });
});

describe('recurrent cells and RNNBase', () => {
  const x = () => torch.tensor([[1, -2, 0.5]]);

  it("the cells: every form gives PyTorch's weights and outputs for the same seed, and its reprs", () => {
    // torch.manual_seed(0); c = nn.RNNCell(3, 2, False, 'relu'); c.weight_ih, c(x)
    for (const f of [() => new nn.RNNCell(3, 2, false, 'relu'), () => new nn.RNNCell(3, 2, { bias: false, nonlinearity: 'relu' }),
      () => new nn.RNNCell({ input_size: 3, hidden_size: 2, bias: false, nonlinearity: 'relu' }), () => new nn.RNNCell(3, 2, false, { nonlinearity: 'relu' })]) {
      torch.manual_seed(0);
      const c = f();
      expectValues(c.weight_ih, [-0.00529, 0.37932, -0.58198, -0.52039, -0.27235, 0.18962], 1e-5);
      expect([c.bias_ih, c.nonlinearity, String(c)]).toEqual([null, 'relu', 'RNNCell(3, 2, bias=False, nonlinearity=relu)']);
      expectValues(c.forward(x()), [0, 0.11911], 1e-5);
    }
    for (const f of [() => new nn.GRUCell(3, 2), () => new nn.GRUCell(3, { hidden_size: 2 }), () => new nn.GRUCell({ input_size: 3, hidden_size: 2, bias: true })]) {
      torch.manual_seed(0);
      const g = f();
      expectValues(g.bias_hh!, [-0.41277, 0.60783, 0.31552, 0.34272, 0.03719, -0.36252], 1e-5);
      expectValues(g.forward(x()), [-0.28091, -0.30997], 1e-5);
      expect(String(g)).toBe('GRUCell(3, 2)');
    }
    for (const f of [() => new nn.LSTMCell(3, 2, false), () => new nn.LSTMCell(3, 2, { bias: false }), () => new nn.LSTMCell({ input_size: 3, hidden_size: 2, bias: false })]) {
      torch.manual_seed(0);
      const l = f();
      const [h, c] = l.forward(x());
      expectValues(h, [0.01678, -0.12348], 1e-5);
      expectValues(c, [0.02966, -0.16432], 1e-5);
      expect(String(l)).toBe('LSTMCell(3, 2, bias=False)');
    }
    expect(new nn.RNNCell(3, 0).hidden_size).toBe(0);
  });

  it('RNNBase(mode, ...) is a recurrent layer of its own; RNN, LSTM and GRU take their forms', () => {
    const b = new nn.RNNBase('GRU', 3, 2, 2, false, true);
    expect(String(b)).toBe('RNNBase(3, 2, num_layers=2, bias=False, batch_first=True)');
    expect(b.named_parameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'weight_ih_l1', 'weight_hh_l1']);
    expect(String(new nn.RNNBase({ mode: 'LSTM', input_size: 3, hidden_size: 2, num_layers: 2, bias: false, batch_first: true }))).toBe(String(b));
    for (const r of [new nn.RNN(3, 2, 1, 'relu', false), new nn.RNN(3, 2, { nonlinearity: 'relu', bias: false }),
      new nn.RNN({ input_size: 3, hidden_size: 2, nonlinearity: 'relu', bias: false })]) {
      expect([String(r), r.nonlinearity, r.mode]).toEqual(['RNN(3, 2, bias=False)', 'relu', 'RNN_RELU']);
    }
    // nn.GRU(3, 4, 2, False, True, 0.25, True)
    for (const g of [new nn.GRU(3, 4, 2, false, true, 0.25, true), new nn.GRU(3, 4, { num_layers: 2, bias: false, batch_first: true, dropout: 0.25, bidirectional: true })]) {
      expect(String(g)).toBe('GRU(3, 4, num_layers=2, bias=False, batch_first=True, dropout=0.25, bidirectional=True)');
    }
    expect(String(new nn.LSTM(3, 4, 1, true, false, 0, false, 0))).toBe('LSTM(3, 4)');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(String(new nn.LSTM(3, 4, { dropout: 1 }))).toBe('LSTM(3, 4, dropout=1.0)');
    expect(warn).toHaveBeenCalledWith('dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects ' +
      'num_layers greater than 1, but got dropout=1 and num_layers=1');
  });

  it("refuse what PyTorch refuses, in its words", () => {
    expectRefused(() => make(nn.RNNCell), "RNNCell.__init__() missing 2 required positional arguments: 'input_size' and 'hidden_size'", TypeError);
    expectRefused(() => make(nn.RNNCell, 3), "RNNCell.__init__() missing 1 required positional argument: 'hidden_size'", TypeError);
    expectRefused(() => make(nn.RNNCell, 3, 4, true, 'tanh', null, null, 5), 'RNNCell.__init__() takes from 3 to 7 positional arguments but 8 were given', TypeError);
    expectRefused(() => make(nn.RNNCell, 3, 4, { foo: 1 }), "RNNCell.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expect(() => new nn.RNNCell(3, 4, { device: 'cuda' })).toThrow('Torch not compiled with CUDA enabled');
    expectRefused(() => new nn.RNNCell(-1, 4), 'Trying to create tensor with negative dimension -1: [4, -1]');
    expectRefused(() => new nn.RNNCell(3, 4, { nonlinearity: 'foo' as never }), 'Unknown nonlinearity: foo'); // PyTorch's forward() says it
    expectRefused(() => make(nn.GRUCell), "GRUCell.__init__() missing 2 required positional arguments: 'input_size' and 'hidden_size'", TypeError);
    expectRefused(() => make(nn.GRUCell, 3, 4, true, null, null, 5), 'GRUCell.__init__() takes from 3 to 6 positional arguments but 7 were given', TypeError);
    expectRefused(() => make(nn.LSTMCell, 3, 4, true, null, null, 5), 'LSTMCell.__init__() takes from 3 to 6 positional arguments but 7 were given', TypeError);
    expectRefused(() => make(nn.LSTMCell, 3, 4, { nonlinearity: 'relu' }), "LSTMCell.__init__() got an unexpected keyword argument 'nonlinearity'", TypeError);

    expectRefused(() => make(nn.RNNBase), "RNNBase.__init__() missing 3 required positional arguments: 'mode', 'input_size', and 'hidden_size'", TypeError);
    expectRefused(() => new nn.RNNBase('FOO', 3, 4), 'Unrecognized RNN mode: FOO');
    expectRefused(() => make(nn.RNNBase, 'LSTM', 3, 4, 1, true, false, 0, false, 0, null, null, 5),
      'RNNBase.__init__() takes from 4 to 12 positional arguments but 13 were given', TypeError);
    expectRefused(() => make(nn.RNNBase, 'LSTM', 3, 4, { foo: 1 }), "RNNBase.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { num_layers: 0 }), 'num_layers must be greater than zero');
    const dropoutWords = 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed';
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { dropout: 1.5 }), dropoutWords);
    expectRefused(() => new nn.LSTM(3, 4, { dropout: true as never }), dropoutWords);
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { proj_size: -1 }), 'proj_size should be a positive integer or zero to disable projections');
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { proj_size: 4 }), 'proj_size has to be smaller than hidden_size');
    expectRefused(() => new nn.RNNBase('LSTM', 3.5, 4), 'input_size should be of type int, got: float', TypeError);
    expectRefused(() => new nn.RNNBase('LSTM', 3, 0), 'hidden_size must be greater than zero');
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { bias: 'a' as never }), 'bias should be of type bool, got: str', TypeError);
    expectRefused(() => new nn.RNNBase('LSTM', 3, 4, { batch_first: 1 as never }), 'batch_first should be of type bool, got: int', TypeError);

    expectRefused(() => make(nn.RNN), "RNNBase.__init__() missing 2 required positional arguments: 'input_size' and 'hidden_size'", TypeError);
    expectRefused(() => make(nn.LSTM, 3), "RNNBase.__init__() missing 1 required positional argument: 'hidden_size'", TypeError);
    expectRefused(() => make(nn.RNN, 3, 4, { foo: 1 }), "RNNBase.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => new nn.RNN(3, 4, { nonlinearity: 'foo' as never }), "Unknown nonlinearity 'foo'. Select from 'tanh' or 'relu'.");
    expectRefused(() => make(nn.LSTM, 3, 4, 1, true, false, 0, false, 0, null, null, 5),
      'RNNBase.__init__() takes from 4 to 12 positional arguments but 13 were given', TypeError);
    expectRefused(() => make(nn.GRU, 3, 4, 1, true, false, 0, false, 0, null, null, 5),
      'RNNBase.__init__() takes from 4 to 12 positional arguments but 13 were given', TypeError);
    expectRefused(() => make(nn.LSTM, 3, 4, { nonlinearity: 'relu' }), "RNNBase.__init__() got an unexpected keyword argument 'nonlinearity'", TypeError);
    expectRefused(() => new nn.GRU(3, 4, { proj_size: 1 }), 'proj_size argument is only supported for LSTM, not RNN or GRU');
    expectRefused(() => new nn.RNN(3, 4, { proj_size: 0 }), 'proj_size argument is only supported for LSTM, not RNN or GRU');
    expectRefused(() => new nn.LSTM('a' as never, 4), 'input_size should be of type int, got: str', TypeError);
    expectRefused(() => new nn.LSTM(3, 4, { bias: 1 as never }), 'bias should be of type bool, got: int', TypeError);
  });
});

describe('Sequential, ModuleList, Parameter', () => {
  it("take PyTorch's forms", () => {
    const r = new nn.ReLU();
    // len(nn.Sequential(r, r)) is 2, and forward applies both
    const s = new nn.Sequential(r, r);
    expect([s.length, [...s].length]).toEqual([2, 2]);
    expect(new nn.Sequential(new nn.ReLU(), null).length).toBe(2);
    expect(String(new nn.Sequential(new Map<string, torch.nn.Module>([['a', new nn.ReLU()], ['b', new nn.Tanh()]]))))
      .toBe('Sequential(\n  (a): ReLU()\n  (b): Tanh()\n)');
    for (const ml of [new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]), new nn.ModuleList({ modules: [new nn.ReLU(), new nn.Tanh()] }),
      new nn.ModuleList([new nn.ReLU()]).extend([new nn.Tanh()]), new nn.ModuleList(new nn.Sequential(new nn.ReLU(), new nn.Tanh()))]) {
      expect(String(ml)).toBe('ModuleList(\n  (0): ReLU()\n  (1): Tanh()\n)');
    }
    expect(new nn.ModuleList(null).length).toBe(0);
    expect(new nn.ModuleList([null, new nn.ReLU()]).length).toBe(2);

    const x = torch.ones(2, 3);
    for (const p of [new nn.Parameter(x, false), new nn.Parameter(x, { requires_grad: false }), new nn.Parameter({ data: x, requires_grad: false })]) {
      expect([p.requires_grad, p.storage === x.storage, p.shape]).toEqual([false, true, [2, 3]]);
    }
    expect(new nn.Parameter({ data: x }).requires_grad).toBe(true);
    const empty = new nn.Parameter();
    expect([empty.shape, empty.requires_grad]).toEqual([[0], true]);
    expect(new nn.Parameter(torch.ones(2, { dtype: torch.int64 }), false).dtype).toBe('int64');
  });

  it("refuse what PyTorch refuses, in its words", () => {
    const relu = new nn.ReLU(), t = torch.ones(2);
    expectRefused(() => make(nn.Sequential, 3), 'int is not a Module subclass', TypeError);
    expectRefused(() => make(nn.Sequential, relu, 3), 'int is not a Module subclass', TypeError);
    expectRefused(() => make(nn.Sequential, [relu]), 'list is not a Module subclass', TypeError);
    expectRefused(() => make(nn.Sequential, t), 'torch.FloatTensor is not a Module subclass', TypeError);
    expectRefused(() => make(nn.Sequential, relu, { foo: 1 }), "Sequential.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => make(nn.ModuleList, 3), 'ModuleList.extend should be called with an iterable, but got int', TypeError);
    expectRefused(() => make(nn.ModuleList, relu), 'ModuleList.extend should be called with an iterable, but got ReLU', TypeError);
    expectRefused(() => make(nn.ModuleList, [3]), 'int is not a Module subclass', TypeError);
    expectRefused(() => make(nn.ModuleList, 'ab'), 'str is not a Module subclass', TypeError);
    expectRefused(() => make(nn.ModuleList, [relu], 3), 'ModuleList.__init__() takes from 1 to 2 positional arguments but 3 were given', TypeError);
    expectRefused(() => make(nn.ModuleList, { foo: 1 }), "ModuleList.__init__() got an unexpected keyword argument 'foo'", TypeError);
    const x = torch.ones(2, 3);
    // PyTorch's AttributeError ('int' object has no attribute 'detach') is a TypeError here, as JavaScript's own is
    expectRefused(() => make(nn.Parameter, 3), "'int' object has no attribute 'detach'", TypeError);
    expectRefused(() => make(nn.Parameter, [1]), "'list' object has no attribute 'detach'", TypeError);
    expectRefused(() => make(nn.Parameter, x, 3), "_make_subclass(): argument 'require_grad' (position 3) must be bool, not int", TypeError);
    expectRefused(() => make(nn.Parameter, x, { requires_grad: null }), "_make_subclass(): argument 'require_grad' (position 3) must be bool, not NoneType", TypeError);
    expectRefused(() => make(nn.Parameter, x, true, 3), 'Parameter.__new__() takes from 1 to 3 positional arguments but 4 were given', TypeError);
    expectRefused(() => make(nn.Parameter, { foo: 1 }), "Parameter.__new__() got an unexpected keyword argument 'foo'", TypeError);
    const long = torch.ones(2, { dtype: torch.int64 });
    expectRefused(() => new nn.Parameter(long), 'Only Tensors of floating point and complex dtype can require gradients');
  });
});

describe('torch.utils.data: TensorDataset, Subset, ConcatDataset, default_collate, default_convert', () => {
  it("take PyTorch's forms, with the same values", () => {
    const a = torch.arange(6).reshape(3, 2), b = torch.tensor([7, 8, 9]);
    const td = new D.TensorDataset(a, b);
    expect([td.len(), td.getitem(1).map((t) => t.tolist())]).toEqual([3, [[2, 3], 8]]);
    for (const s of [new D.Subset([10, 20, 30], [2, 0]), new D.Subset([10, 20, 30], { indices: [2, 0] }),
      new D.Subset({ dataset: [10, 20, 30], indices: [2, 0] }), new D.Subset([10, 20, 30], torch.tensor([2, 0], { dtype: torch.int64 }))]) {
      expect([s.len(), s.getitem(0), s.getitem(-1)]).toEqual([2, 30, 10]);
    }
    for (const c of [new D.ConcatDataset([[1], [2, 3]]), new D.ConcatDataset({ datasets: [[1], [2, 3]] })]) {
      expect([c.cumulative_sizes, c.getitem(2), c.getitem(-3)]).toEqual([[1, 3], 3, 1]);
    }
    for (const batch of [D.default_collate([[1, 2], [3, 4]]), D.default_collate({ batch: [[1, 2], [3, 4]] })]) {
      expect(batch.map((t: torch.Tensor) => [t.tolist(), t.dtype])).toEqual([[[1, 3], 'int64'], [[2, 4], 'int64']]);
    }
    expect(D.default_convert(3)).toBe(3);
    expect(D.default_convert(new Float32Array([1, 2])).tolist()).toEqual([1, 2]);
    expect(D.default_convert({ x: new Float32Array([1]) }).x.tolist()).toEqual([1]); // a dict sample, not keywords
  });

  it("refuse what PyTorch refuses, in its words", () => {
    const x = torch.ones(2, 3);
    // PyTorch's assert is an Error here; its IndexError a RangeError
    expectRefused(() => new D.TensorDataset(x, torch.ones(3)), 'Size mismatch between tensors');
    expectRefused(() => new D.TensorDataset(x, torch.ones(3), 3 as never), 'Size mismatch between tensors');
    expectRefused(() => make(D.TensorDataset, 3), "'int' object has no attribute 'size'", TypeError);
    expectRefused(() => make(D.TensorDataset, x, 3), "'int' object has no attribute 'size'", TypeError);
    expectRefused(() => make(D.TensorDataset, { foo: 1 }), "TensorDataset.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => make(D.TensorDataset, { tensors: x }), "TensorDataset.__init__() got an unexpected keyword argument 'tensors'", TypeError);
    expectRefused(() => new D.TensorDataset().len(), 'tuple index out of range', RangeError);
    expectRefused(() => make(D.Subset), "Subset.__init__() missing 2 required positional arguments: 'dataset' and 'indices'", TypeError);
    expectRefused(() => make(D.Subset, [1, 2]), "Subset.__init__() missing 1 required positional argument: 'indices'", TypeError);
    expectRefused(() => make(D.Subset, [1, 2], [0], 3), 'Subset.__init__() takes 3 positional arguments but 4 were given', TypeError);
    expectRefused(() => make(D.Subset, [1, 2], { foo: 1 }), "Subset.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => new D.Subset([1, 2], [5]).getitem(0), 'list index out of range', RangeError);
    expectRefused(() => make(D.ConcatDataset), "ConcatDataset.__init__() missing 1 required positional argument: 'datasets'", TypeError);
    expectRefused(() => new D.ConcatDataset([]), 'datasets should not be an empty iterable');
    expectRefused(() => make(D.ConcatDataset, 3), "'int' object is not iterable", TypeError);
    expectRefused(() => make(D.ConcatDataset, [1]), "object of type 'int' has no len()", TypeError);
    expectRefused(() => make(D.ConcatDataset, [[1], [2]], 3), 'ConcatDataset.__init__() takes 2 positional arguments but 3 were given', TypeError);
    expectRefused(() => make(D.ConcatDataset, { foo: 1 }), "ConcatDataset.__init__() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => call(D.default_collate), "default_collate() missing 1 required positional argument: 'batch'", TypeError);
    expectRefused(() => call(D.default_collate, [1], 2), 'default_collate() takes 1 positional argument but 2 were given', TypeError);
    expectRefused(() => call(D.default_collate, { foo: 1 }), "default_collate() got an unexpected keyword argument 'foo'", TypeError);
    expectRefused(() => call(D.default_collate, 3), "'int' object is not subscriptable", TypeError);
    expectRefused(() => D.default_collate([]), 'list index out of range', RangeError);
    expectRefused(() => D.default_collate([null]),
      "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>", TypeError);
    expectRefused(() => D.default_collate([[1, 2], [3]]), 'each element in list of batch should be of equal size');
    expectRefused(() => call(D.default_convert), "default_convert() missing 1 required positional argument: 'data'", TypeError);
    expectRefused(() => call(D.default_convert, 1, 2), 'default_convert() takes 1 positional argument but 2 were given', TypeError);
    expectRefused(() => call(D.default_convert, 1, { foo: 1 }), "default_convert() got an unexpected keyword argument 'foo'", TypeError);
  });
});

describe('internal helpers stay out of torch.nn.functional', () => {
  it('has no lossModuleOptions, reductionOf or LOSS_MODULES', () => {
    for (const name of ['lossModuleOptions', 'reductionOf', 'LOSS_MODULES']) expect(name in F).toBe(false);
  });
});
