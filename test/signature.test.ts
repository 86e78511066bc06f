// The one parser of PyTorch's calling convention (src/signature.ts): each callable's schema line decides what
// may come by position or by name, and every bad call is refused with PyTorch's words before anything runs.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { signature, bind, pyType } from '../src/signature.js';

const { nn } = torch;
const F = nn.functional;
const CONV = signature('conv2d(Tensor input, Tensor weight, Tensor? bias=None, int[2] stride=1, int[2]|str padding=0, int[2] dilation=1, int groups=1) -> Tensor');
const x = () => torch.ones(1, 1, 5, 5);
const w = () => torch.ones(1, 1, 3, 3);

describe('signature lines', () => {
  it('read names, order, defaults, nullability and the keyword-only marker', () => {
    const s = signature('f(Tensor input, int[2] k, float? p=None, *, bool flag=False, str mode="x", int[] dims=[0, 1])');
    expect(s.name).toBe('f');
    expect(s.params.map((p) => p.name)).toEqual(['input', 'k', 'p', 'flag', 'mode', 'dims']);
    expect(s.positional).toBe(3);
    expect(s.required).toBe(2);
    expect(s.params.map((p) => p.default)).toEqual([undefined, undefined, null, false, 'x', [0, 1]]);
    expect(s.params[2].nullable).toBe(true);
    expect(s.params[3].keywordOnly).toBe(true);
  });

  it("name JS values as Python's types in messages", () => {
    expect([1, 1.5, 'a', true, null, undefined, [1], {}, torch.ones(1)].map(pyType))
      .toEqual(['int', 'float', 'str', 'bool', 'NoneType', 'NoneType', 'list', 'dict', 'Tensor']);
  });
});

describe('bind: positional, by name, or both', () => {
  it('every parameter before * may come by position or by name, with the same values', () => {
    const [a, b] = [x(), w()];
    const byPosition = bind(CONV, [a, b, null, 2, 1, 1, 1]);
    const byName = bind(CONV, [a, b, { stride: 2, padding: 1 }]);
    const mixed = bind(CONV, [a, b, null, 2, { padding: [1, 1] }]);
    expect(byPosition).toEqual([a, b, null, [2, 2], [1, 1], [1, 1], 1]);
    expect(byName).toEqual(byPosition);
    expect(mixed).toEqual(byPosition);
    expect(bind(CONV, [{ input: a, weight: b, groups: 1 }])).toEqual([a, b, null, [1, 1], [0, 0], [1, 1], 1]);
  });

  it('int[N] takes one int, a list of one, or N ints; a union takes its other type', () => {
    expect(bind(CONV, [x(), w(), null, [3], [1, 2]]).slice(3, 5)).toEqual([[3, 3], [1, 2]]);
    expect(bind(CONV, [x(), w(), { padding: 'same' }])[4]).toBe('same');
  });

  it("keyword-only parameters cannot come by position", () => {
    const s = signature('f(Tensor input, *, int k=1)');
    expect(() => bind(s, [x(), 2])).toThrow(new TypeError('f() takes 1 positional argument but 2 were given'));
    expect(bind(s, [x(), { k: 2 }])[1]).toBe(2);
  });
});

describe("bad calls: PyTorch's TypeError, before anything runs", () => {
  it('an unknown keyword', () => {
    expect(() => F.conv2d(x(), w(), null, { strides: 2 } as never)).toThrow(new TypeError("conv2d() got an unexpected keyword argument 'strides'"));
  });
  it('too many positional arguments', () => {
    expect(() => F.conv2d(x(), w(), null, 1, 0, 1, 1, 5 as never)).toThrow(new TypeError('conv2d() takes from 2 to 7 positional arguments but 8 were given'));
  });
  it('the same parameter twice', () => {
    expect(() => F.conv2d(x(), w(), null, 2, { stride: 2 })).toThrow(new TypeError("conv2d() got multiple values for argument 'stride'"));
  });
  it('a missing required argument', () => {
    expect(() => (F.conv2d as (...a: unknown[]) => unknown)(x())).toThrow(new TypeError('conv2d() missing 1 required positional arguments: "weight"'));
  });
  it('a float where an int or ints are due', () => {
    expect(() => F.max_pool2d(x(), 1.5)).toThrow(new TypeError("max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not float"));
    expect(() => F.max_pool2d(x(), [2, 2.5])).toThrow("argument 'kernel_size' (position 2) must be tuple of ints, but found element of type float at pos 1");
    expect(() => F.conv2d(x(), w(), null, { groups: 1.5 })).toThrow(new TypeError("conv2d(): argument 'groups' must be int, not float"));
  });
  it('a wrong type', () => {
    expect(() => F.conv2d([[1]] as never, w())).toThrow(new TypeError("conv2d(): argument 'input' (position 1) must be Tensor, not list"));
    expect(() => F.max_pool2d(x(), 2, { ceil_mode: 1 as never })).toThrow(new TypeError("max_pool2d(): argument 'ceil_mode' must be bool, not int"));
    expect(() => F.max_pool2d(x(), 'a' as never)).toThrow("max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not str");
  });
  it('a list of the wrong length', () => {
    expect(() => F.max_pool2d(x(), [2, 2, 2])).toThrow(new TypeError("max_pool2d(): argument 'kernel_size' (position 2) must be tuple of 2 ints, but got 3 of them"));
  });
  it('None where a value is due', () => {
    expect(() => F.max_pool2d(x(), null as never)).toThrow(new TypeError("max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not NoneType"));
  });
  it('module constructors too', () => {
    expect(() => new nn.Conv2d(1, 2, 3, { strides: 2 } as never)).toThrow(new TypeError("Conv2d.__init__() got an unexpected keyword argument 'strides'"));
    expect(() => new nn.Conv2d(1, 2)).toThrow(new TypeError("Conv2d.__init__() missing 1 required positional argument: 'kernel_size'"));
    expect(() => new nn.MaxPool2d(2.5)).toThrow("MaxPool2d.__init__(): argument 'kernel_size' (position 1) must be tuple of ints, not float");
    expect(() => new nn.Conv2d(1, 2, 3, { padding: 'full' as never })).toThrow("Invalid padding string 'full', should be one of ['valid', 'same']");
  });
});

describe('the calls that were silently misread now read as PyTorch reads them', () => {
  it('nn.Conv2d(1, 32, 3, 2) has stride 2; nn.Conv2d(1, 4, 3, 1, 1) has padding 1', () => {
    const c = new nn.Conv2d(1, 32, 3, 2);
    expect(c.stride).toEqual([2, 2]);
    expect(c.forward(torch.ones(1, 1, 9, 9)).shape).toEqual([1, 32, 4, 4]);
    const p = new nn.Conv2d(1, 4, 3, 1, 1);
    expect(p.padding).toEqual([1, 1]);
    expect(p.forward(torch.ones(1, 1, 9, 9)).shape).toEqual([1, 4, 9, 9]);
    expect(String(p)).toBe('Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))');
  });

  it('new nn.Conv2d(1, 10, { kernel_size: 5 }) and every argument by name', () => {
    expect(new nn.Conv2d(1, 10, { kernel_size: 5 }).weight.shape).toEqual([10, 1, 5, 5]);
    const c = new nn.Conv2d({ in_channels: 2, out_channels: 4, kernel_size: [3, 1], groups: 2, bias: false });
    expect(c.weight.shape).toEqual([4, 1, 3, 1]);
    expect(c.bias).toBe(null);
  });

  it('nn.MaxPool2d(2, 1) and F.max_pool2d(x, 2, 1) have stride 1; nn.MaxPool2d keeps PyTorch\'s order (return_indices before ceil_mode)', () => {
    const input = torch.arange(25, { dtype: torch.float32 }).reshape(1, 1, 5, 5);
    expect((new nn.MaxPool2d(2, 1).forward(input) as torch.Tensor).shape).toEqual([1, 1, 4, 4]);
    expect((F.max_pool2d(input, 2, 1) as torch.Tensor).shape).toEqual([1, 1, 4, 4]);
    const m = new nn.MaxPool2d(2, 2, 0, 1, true);
    expect(m.return_indices).toBe(true);
    expect(Array.isArray(m.forward(input))).toBe(true);
    expect(String(new nn.MaxPool2d(2))).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
  });

  it('F.conv2d(x, w, b, 2) and F.avg_pool2d(x, 3, 1, 1) keep their strides', () => {
    expect(F.conv2d(torch.ones(1, 1, 9, 9), torch.ones(1, 1, 3, 3), null, 2).shape).toEqual([1, 1, 4, 4]);
    expect(F.avg_pool2d(torch.ones(1, 1, 5, 5), 3, 1, 1).shape).toEqual([1, 1, 5, 5]);
  });

  it('F.adaptive_max_pool2d(x, size, { return_indices: true }) returns the values and the indices', () => {
    const r = F.adaptive_max_pool2d(torch.arange(35, { dtype: torch.float32 }).reshape(1, 1, 5, 7), [2, 3], { return_indices: true });
    expect(Array.isArray(r)).toBe(true);
    const [values, indices] = r as [torch.Tensor, torch.Tensor];
    // the maximum of each window of an increasing ramp is its last element
    expect(indices.tolist()).toEqual([[[[16, 18, 20], [30, 32, 34]]]]);
    expect(values.tolist()).toEqual([[[[16, 18, 20], [30, 32, 34]]]]);
    expect(indices.dtype).toBe('int64');
  });
});

describe('more calls PyTorch takes, read as PyTorch reads them', () => {
  it('index_put(x, idx, v, { accumulate: false }) replaces; accumulate: true adds', () => {
    const x = torch.zeros(4);
    const idx = [torch.tensor([1, 1, 3], { dtype: torch.long })];
    const v = torch.tensor([1, 2, 5]);
    // with repeated indices, replacing keeps one of the values written; adding sums them
    expect(torch.index_put(x, idx, torch.tensor([2, 2, 5]), { accumulate: false }).tolist()).toEqual([0, 2, 0, 5]);
    expect(torch.index_put(x, idx, v, { accumulate: true }).tolist()).toEqual([0, 3, 0, 5]);
    expect(torch.index_put(x, idx, v, true).tolist()).toEqual([0, 3, 0, 5]);
    expect(x.clone().index_put_(idx, torch.tensor([2, 2, 5]), { accumulate: false }).tolist()).toEqual([0, 2, 0, 5]);
    expect(() => torch.index_put(x, idx, v, { accumulate: 1 } as never)).toThrow(new TypeError("index_put(): argument 'accumulate' must be bool, not int"));
  });

  it("x.div(y, { rounding_mode: 'floor' }) rounds, has a zero gradient, and a bad mode is PyTorch's error", () => {
    const x = torch.tensor([5, -7], { requires_grad: true });
    const y = x.div(torch.tensor([2, 2]), { rounding_mode: 'floor' });
    expect(y.tolist()).toEqual([2, -4]);
    expect(x.div(2, { rounding_mode: 'trunc' }).tolist()).toEqual([2, -3]);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0]);
    expect(() => x.div(2, { rounding_mode: 'round' as never })).toThrow("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'");
    expect(() => x.div(2, { rounding: 'floor' } as never)).toThrow(new TypeError("div() got an unexpected keyword argument 'rounding'"));
  });

  it('torch.clamp(x, minTensor, maxTensor) uses the tensor bounds', () => {
    expect(torch.clamp(torch.tensor([-2, 0.5, 3]), torch.tensor([-1, 1, 1]), torch.tensor([0, 2, 2])).tolist()).toEqual([-1, 1, 2]);
    expect(torch.tensor([-2, 0.5, 3]).clamp({ max: torch.tensor(1) }).tolist()).toEqual([-2, 0.5, 1]);
  });

  it('torch.std(x, true) is the unbiased overload; torch.flatten(x, { start_dim: 1 }); F.one_hot(x, { num_classes: 3 })', () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
    // sample standard deviation of 1..6: sqrt(17.5 / 5)
    expect(torch.std(x, true).item()).toBeCloseTo(Math.sqrt(3.5), 6);
    expect(torch.std(x, false).item()).toBeCloseTo(Math.sqrt(17.5 / 6), 6);
    expect(torch.flatten(torch.ones(2, 3, 4), { start_dim: 1 }).shape).toEqual([2, 12]);
    expect(torch.ones(2, 3, 4).flatten({ end_dim: 1 }).shape).toEqual([6, 4]);
    expect(F.one_hot(torch.tensor([0, 2], { dtype: torch.long }), { num_classes: 3 }).tolist()).toEqual([[1, 0, 0], [0, 0, 1]]);
  });

  it('new nn.RNN({ input_size, hidden_size, batch_first }) and PyTorch\'s positional order', () => {
    const rnn = new nn.RNN({ input_size: 5, hidden_size: 4, batch_first: true });
    expect(rnn.batch_first).toBe(true);
    expect((rnn.forward(torch.ones(2, 3, 5))[0] as torch.Tensor).shape).toEqual([2, 3, 4]);
    const gru = new nn.GRU(5, 4, 2, true, true);
    expect([gru.num_layers, gru.bias, gru.batch_first]).toEqual([2, true, true]);
    const relu = new nn.RNN(3, 2, 1, 'relu');
    expect(relu.mode).toBe('RNN_RELU');
    expect(() => new nn.LSTM(3, 2, { num_layer: 2 } as never)).toThrow(new TypeError("RNNBase.__init__() got an unexpected keyword argument 'num_layer'"));
    expect(() => new nn.RNN(3, 2, 1, 'sigmoid')).toThrow("Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.");
  });

  it('nn.Embedding(5, 3, 0) has padding_idx 0 (its row zero, and no gradient there)', () => {
    const e = new nn.Embedding(5, 3, 0);
    expect(e.padding_idx).toBe(0);
    expect(e.weight.select(0, 0).tolist()).toEqual([0, 0, 0]);
    expect(new nn.Embedding({ num_embeddings: 4, embedding_dim: 2, padding_idx: -1 }).padding_idx).toBe(3);
  });

  it('select and narrow take ints (or 0-dim integer tensors), never garbage', () => {
    const x = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4);
    expect(() => x.select(0, [0, 1] as never)).toThrow(new TypeError("select(): argument 'index' (position 2) must be int, not list"));
    expect(() => x.narrow(0, 0.5, 1)).toThrow(new TypeError("narrow(): argument 'start' (position 2) must be int, not float"));
    expect(x.narrow(0, torch.tensor(1, { dtype: torch.long }), 2).tolist()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(x.select(1, torch.tensor(2, { dtype: torch.long })).tolist()).toEqual([2, 6, 10]);
  });
});

describe('reductions and softmax through their signature lines', () => {
  const x = torch.tensor([[1, 2], [3, 4]]);
  it('a misspelt keyword, an extra argument or a float dim is refused (they were silently ignored)', () => {
    expect(() => x.sum({ dims: 1 } as never)).toThrow(new TypeError("sum() got an unexpected keyword argument 'dims'"));
    expect(() => torch.mean(x, { keep_dim: true } as never)).toThrow(new TypeError("mean() got an unexpected keyword argument 'keep_dim'"));
    // NumPy's names, which PyTorch's parser also takes
    expect(torch.mean(x, { axis: 1, keepdims: true } as never).shape).toEqual(torch.mean(x, 1, true).shape);
    expect(() => torch.mean(x, 1, { axis: 1 } as never)).toThrow(new TypeError("mean() got multiple values for argument 'dim'"));
    expect(() => torch.sum(x, 1, true, 5 as never)).toThrow(new TypeError('sum() takes from 1 to 3 positional arguments but 4 were given'));
    expect(() => x.sum(0.5)).toThrow(new TypeError("sum(): argument 'dim' (position 1) must be tuple of ints, not float"));
    expect(() => x.amax({ dim: 0, keepdim: 1 } as never)).toThrow(new TypeError("amax(): argument 'keepdim' must be bool, not int"));
    expect(() => (torch.softmax as (...a: unknown[]) => unknown)(x)).toThrow(new TypeError('softmax() missing 1 required positional arguments: "dim"'));
    expect(() => (torch.logsumexp as (...a: unknown[]) => unknown)(x)).toThrow(new TypeError('logsumexp() missing 1 required positional arguments: "dim"'));
  });
  it('every form PyTorch takes gives the same values', () => {
    expect(torch.sum(x, 1, true).tolist()).toEqual([[3], [7]]);
    expect(torch.sum(x, { dim: 1, keepdim: true }).tolist()).toEqual([[3], [7]]);
    expect(torch.sum(x, 1, { keepdim: true }).tolist()).toEqual([[3], [7]]);
    expect(torch.mean(x, [0, 1], true).tolist()).toEqual([[2.5]]);
    expect(torch.arange(4).sum({ dtype: torch.float32 }).dtype).toBe('float32');
    expect(torch.softmax(x, { dim: 1 }).tolist()).toEqual(torch.softmax(x, 1).tolist());
    expect(torch.log_softmax(x, 1, { dtype: torch.float32 }).tolist()).toEqual(torch.log_softmax(x, 1).tolist());
  });
});

describe('losses: one parameter list per loss, for F.<loss> and its module', () => {
  const a = torch.tensor([1, 3]), b = torch.zeros(2);
  it('a misspelt keyword is refused, in the module and in the function (it was silently the mean)', () => {
    expect(() => new nn.MSELoss({ reductions: 'sum' } as never)).toThrow(new TypeError("MSELoss.__init__() got an unexpected keyword argument 'reductions'"));
    expect(() => F.mse_loss(a, b, { reductio: 'sum' } as never)).toThrow(new TypeError("mse_loss() got an unexpected keyword argument 'reductio'"));
    expect(() => new nn.CrossEntropyLoss({ ignore_index: 1.5 })).toThrow(new TypeError("CrossEntropyLoss.__init__(): argument 'ignore_index' must be int, not float"));
  });
  it("PyTorch's positional order works too, and gives what the keywords give", () => {
    expect(new nn.MSELoss(null, null, 'sum')(a, b).item()).toBe(10);
    expect(new nn.MSELoss({ reduction: 'sum' })(a, b).item()).toBe(10);
    expect(F.mse_loss(a, b, null, null, 'sum').item()).toBe(10);
    expect(new nn.MSELoss({ size_average: false })(a, b).item()).toBe(10);
    expect(new nn.HuberLoss('sum', 1)(a, b).item()).toBe(0.5 + 2.5);
    class Mine extends nn.L1Loss {}
    expect(new Mine()(a, b).item()).toBe(2);
  });
});
