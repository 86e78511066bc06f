// Numerical gradient check (central differences) of every differentiable op.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';

const F = torch.nn.functional;
type Fn = (...xs: torch.Tensor[]) => torch.Tensor | torch.Tensor[];
const positive = (shape: number[], seed: number) => sample(shape, seed, 0.2, 2);
const labels = (values: number[]) => torch.tensor(values, { dtype: torch.long });
const mask = (values: boolean[][]) => torch.tensor(values);

/** A recurrent layer whose layer-0 weights are the given tensors (to check their gradients). */
function recurrentWith(make: () => torch.nn.Module, ws: torch.Tensor[]): torch.nn.Module {
  const m = make() as unknown as Record<string, unknown>;
  ['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0'].forEach((name, i) => (m[name] = ws[i]));
  return m as unknown as torch.nn.Module;
}
const packedPair = (a: torch.Tensor, b: torch.Tensor) => torch.nn.utils.rnn.pack_sequence([a, b], { enforce_sorted: false });
type Packed = torch.nn.utils.rnn.PackedSequence;

// [name, function, inputs]
const cases: [string, Fn, torch.Tensor[]][] = [
  ['add broadcast', (a, b) => torch.add(a, b), [sample([3, 4], 1), sample([4], 2)]],
  ['add alpha', (a, b) => torch.add(a, b, { alpha: 2.5 }), [sample([3, 4], 1), sample([3, 1], 2)]],
  ['sub broadcast', (a, b) => torch.sub(a, b), [sample([2, 1, 4], 3), sample([3, 1], 4)]],
  ['mul broadcast', (a, b) => torch.mul(a, b), [sample([2, 3], 5), sample([2, 1], 6)]],
  ['mul scalar', (a) => a.mul(-1.5), [sample([5], 7)]],
  ['div', (a, b) => torch.div(a, b), [sample([3, 4], 8), sample([3, 4], 9, 0.5, 2)]],
  ['rsub scalar', (a) => torch.sub(2, a), [sample([4], 10)]],
  ['pow tensor', (a, b) => torch.pow(a, b), [positive([3, 4], 11), sample([3, 4], 12)]],
  ['pow scalar', (a) => a.pow(3), [sample([6], 13)]],
  ['pow base scalar', (b) => torch.pow(2, b), [sample([6], 14)]],
  ['maximum', (a, b) => torch.maximum(a, b), [sample([3, 4], 15), sample([4], 16)]],
  ['minimum', (a, b) => torch.minimum(a, b), [sample([3, 4], 17), sample([3, 1], 18)]],
  ['neg', torch.neg, [sample([7], 19)]],
  ['exp', torch.exp, [sample([7], 20)]],
  ['log', torch.log, [positive([7], 21)]],
  ['sqrt', torch.sqrt, [positive([7], 22)]],
  ['abs', torch.abs, [sample([7], 23)]],
  ['sigmoid', torch.sigmoid, [sample([7], 24)]],
  ['tanh', torch.tanh, [sample([7], 25)]],
  ['relu', (x) => torch.relu(x), [sample([3, 5], 26)]],
  ['sin', torch.sin, [sample([7], 27)]],
  ['cos', torch.cos, [sample([7], 28)]],
  ['reciprocal', torch.reciprocal, [sample([7], 29, 0.5, 2)]],
  ['square', torch.square, [sample([7], 30)]],
  ['clamp', (x) => torch.clamp(x, { min: -0.5, max: 0.7 }), [sample([9], 31)]],
  ['clamp min only', (x) => x.clamp(0.3), [sample([9], 32)]],
  ['leaky_relu', (x) => F.leaky_relu(x, 0.2), [sample([9], 33)]],
  ['gelu', (x) => F.gelu(x), [sample([9], 34)]],
  ['gelu tanh', (x) => F.gelu(x, { approximate: 'tanh' }), [sample([9], 35)]],
  ['softplus', (x) => F.softplus(x), [sample([9], 36)]],
  ['softplus beta', (x) => F.softplus(x, { beta: 2, threshold: 1 }), [sample([9], 37)]],
  ['silu', (x) => F.silu(x), [sample([9], 38)]],
  ['sum all', (x) => x.sum(), [sample([3, 4], 39)]],
  ['sum dims keepdim', (x) => x.sum([0, 2], true), [sample([2, 3, 4], 40)]],
  ['mean dim', (x) => x.mean(1), [sample([2, 3, 4], 41)]],
  ['amax dim', (x) => x.amax(-1), [sample([3, 5], 42)]],
  ['max all', (x) => x.max(), [sample([3, 5], 43)]],
  ['max dim values', (x) => x.max(1)[0], [sample([3, 5], 44)]],
  ['min dim keepdim', (x) => x.min({ dim: 0, keepdim: true }).values, [sample([4, 3], 45)]],
  ['logsumexp', (x) => x.logsumexp(1), [sample([3, 5], 46)]],
  ['logsumexp dims', (x) => torch.logsumexp(x, [0, 1]), [sample([3, 5], 47)]],
  ['softmax', (x) => x.softmax(0), [sample([4, 3], 48)]],
  ['log_softmax', (x) => x.log_softmax(-1), [sample([2, 3, 4], 49)]],
  ['var', (x) => x.var(1), [sample([3, 5], 50)]],
  ['var unbiased false', (x) => torch.var(x, { dim: 0, unbiased: false }), [sample([3, 5], 51)]],
  ['std', (x) => x.std(), [sample([3, 5], 52)]],
  ['matmul 2d', (a, b) => a.matmul(b), [sample([3, 4], 53), sample([4, 5], 54)]],
  ['matmul 1d 2d', (a, b) => a.matmul(b), [sample([4], 55), sample([4, 5], 56)]],
  ['matmul 2d 1d', (a, b) => a.matmul(b), [sample([3, 4], 57), sample([4], 58)]],
  ['matmul 1d 1d', (a, b) => a.matmul(b), [sample([4], 59), sample([4], 60)]],
  ['matmul batched broadcast', (a, b) => a.matmul(b), [sample([2, 3, 4], 61), sample([4, 2], 62)]],
  ['matmul batch both', (a, b) => a.matmul(b), [sample([2, 1, 3, 4], 63), sample([3, 4, 2], 64)]],
  ['matmul transposed', (a, b) => a.t().matmul(b.t()), [sample([4, 3], 65), sample([2, 4], 66)]],
  ['dot', (a, b) => torch.dot(a, b), [sample([6], 67), sample([6], 68)]],
  ['linear', (x, w, b) => F.linear(x, w, b), [sample([5, 4], 69), sample([3, 4], 70), sample([3], 71)]],
  ['linear 3-D input, no bias', (x, w) => F.linear(x, w), [sample([2, 5, 4], 72), sample([3, 4], 73)]],
  ['linear transposed input, 1-D input', (x, w, b, v) => [F.linear(x.t(), w, b), F.linear(v, w, b)],
    [sample([4, 5], 74), sample([3, 4], 75), sample([3], 76), sample([4], 77)]],
  ['reshape', (x) => x.reshape(6, 2).mul(x.reshape(6, 2)), [sample([3, 4], 72)]],
  ['view of transpose via reshape', (x) => x.t().reshape(-1).mul(2), [sample([3, 4], 73)]],
  ['transpose', (x) => x.transpose(0, 2).mul(sample([4, 3, 2], 74)), [sample([2, 3, 4], 75)]],
  ['permute', (x) => x.permute(2, 0, 1).mul(sample([4, 2, 3], 76)), [sample([2, 3, 4], 77)]],
  ['unsqueeze squeeze', (x) => x.unsqueeze(1).mul(sample([3, 2, 4], 78)).squeeze(), [sample([3, 4], 79)]],
  ['flatten', (x) => x.flatten(1).exp(), [sample([2, 3, 4], 80)]],
  ['expand', (x) => x.expand(3, 4).mul(sample([3, 4], 81)), [sample([3, 1], 82)]],
  ['narrow', (x) => x.narrow(0, 1, 3).exp(), [sample([5, 4], 83)]],
  ['select', (x) => x.select(1, 2).exp(), [sample([3, 4], 84)]],
  ['cat', (a, b) => torch.cat([a, b, a], 1), [sample([2, 3], 85), sample([2, 1], 86)]],
  ['stack', (a, b) => torch.stack([a, b], 1), [sample([2, 3], 87), sample([2, 3], 88)]],
  ['split', (x) => x.split(2, 1)[1].exp(), [sample([2, 5], 89)]],
  ['index_select repeated', (x) => torch.index_select(x, 0, labels([3, 0, 3, 1])), [sample([5, 4], 90)]],
  ['gather', (x) => torch.gather(x, 1, labels([0, 3, 2, 2, 1, 0]).reshape(3, 2)), [sample([3, 4], 91)]],
  ['gather smaller index', (x) => torch.gather(x, 0, labels([1, 2]).reshape(1, 2)), [sample([3, 4], 92)]],
  ['where', (a, b) => torch.where(mask([[true, false, true], [false, true, true]]), a, b), [sample([2, 3], 93), sample([3], 94)]],
  ['masked_fill', (x) => x.masked_fill(mask([[true, false, true], [false, true, false]]), 0.5), [sample([2, 3], 95)]],
  ['mse_loss', (a, b) => F.mse_loss(a, b), [sample([4, 3], 96), sample([4, 3], 97)]],
  ['l1_loss sum', (a, b) => F.l1_loss(a, b, { reduction: 'sum' }), [sample([4, 3], 98), sample([4, 3], 99)]],
  ['smooth_l1_loss', (a, b) => F.smooth_l1_loss(a, b), [sample([4, 3], 100), sample([4, 3], 101)]],
  ['binary_cross_entropy', (p, t) => F.binary_cross_entropy(p.sigmoid(), t), [sample([6], 102), sample([6], 103, 0.1, 0.9)]],
  ['bce_with_logits', (x, t) => F.binary_cross_entropy_with_logits(x, t), [sample([6], 104), sample([6], 105, 0.1, 0.9)]],
  ['cross_entropy', (x) => F.cross_entropy(x, labels([1, 0, 3])), [sample([3, 4], 106)]],
  ['nll_loss sum', (x) => F.nll_loss(x.log_softmax(1), labels([2, 2]), { reduction: 'sum' }), [sample([2, 3], 107)]],
  ['conv2d stride padding', (x, w, b) => F.conv2d(x, w, b, { stride: 2, padding: 1 }), [sample([2, 2, 5, 5], 120), sample([3, 2, 3, 3], 121), sample([3], 122)]],
  ['conv2d dilation groups', (x, w) => F.conv2d(x, w, null, { dilation: 2, groups: 2 }), [sample([1, 4, 6, 6], 123), sample([4, 2, 2, 2], 124)]],
  ['conv2d same, rectangular kernel', (x, w) => F.conv2d(x, w, null, { padding: 'same' }), [sample([1, 2, 4, 5], 125), sample([2, 2, 2, 3], 126)]],
  ['conv1d', (x, w, b) => F.conv1d(x, w, b, { padding: 2, stride: 2 }), [sample([2, 3, 7], 127), sample([2, 3, 3], 128), sample([2], 129)]],
  ['unfold', (x) => F.unfold(x, [2, 3], { padding: 1, stride: [1, 2] }), [sample([2, 2, 4, 5], 130)]],
  ['max_pool2d padding dilation', (x) => F.max_pool2d(x, 3, { stride: 2, padding: 1, dilation: 1 }) as torch.Tensor, [sample([1, 2, 6, 6], 131)]],
  ['max_pool2d ceil_mode', (x) => F.max_pool2d(x, 2, { ceil_mode: true }) as torch.Tensor, [sample([1, 1, 5, 5], 132)]],
  ['avg_pool2d count_include_pad false, ceil', (x) => F.avg_pool2d(x, 3, { stride: 2, padding: 1, count_include_pad: false, ceil_mode: true }), [sample([1, 2, 6, 6], 133)]],
  ['adaptive_avg_pool2d uneven', (x) => F.adaptive_avg_pool2d(x, [3, 2]), [sample([1, 2, 7, 5], 134)]],
  ['adaptive_max_pool2d uneven', (x) => F.adaptive_max_pool2d(x, [2, 3]), [sample([1, 2, 5, 7], 135)]],
  ['GRUCell', (x, h) => { torch.manual_seed(3); return new torch.nn.GRUCell(3, 2).forward(x, h); }, [sample([2, 3], 150), sample([2, 2], 151)]],
  ['LSTMCell', (x, h, c) => { torch.manual_seed(4); return new torch.nn.LSTMCell(3, 2).forward(x, [h, c]); }, [sample([2, 3], 152), sample([2, 2], 153), sample([2, 2], 154)]],
  ['RNNCell relu', (x) => { torch.manual_seed(5); return new torch.nn.RNNCell(3, 2, { nonlinearity: 'relu' }).forward(x); }, [sample([2, 3], 155)]],
  ['LSTM 2 layers bidirectional', (x) => {
    torch.manual_seed(6);
    const [out, [h, c]] = new torch.nn.LSTM(3, 2, { num_layers: 2, bidirectional: true }).forward(x) as [torch.Tensor, [torch.Tensor, torch.Tensor]];
    return [out, h, c];
  }, [sample([4, 2, 3], 156)]],
  ['GRU batch_first with h0', (x, h0) => {
    torch.manual_seed(7);
    const [out, h] = new torch.nn.GRU(3, 2, { batch_first: true }).forward(x, h0) as [torch.Tensor, torch.Tensor];
    return [out, h];
  }, [sample([2, 4, 3], 157), sample([1, 2, 2], 158)]],
  ...([['LSTM', 4], ['GRU', 3], ['RNN', 1]] as const).map(([kind, gates]): [string, Fn, torch.Tensor[]] => [
    `${kind} weights and inputs, packed lengths 3 and 2, bidirectional`,
    (a, b, wi, wh, bi, bh) => {
      torch.manual_seed(8);
      const rnn = recurrentWith(() => new torch.nn[kind](2, 2, { bidirectional: true }), [wi, wh, bi, bh]);
      const [out, h] = rnn.forward(packedPair(a, b)) as [Packed, torch.Tensor | torch.Tensor[]];
      return [out.data, ...(Array.isArray(h) ? h : [h])];
    },
    [sample([3, 2], 160), sample([2, 2], 161), sample([2 * gates, 2], 162), sample([2 * gates, 2], 163), sample([2 * gates], 164), sample([2 * gates], 165)],
  ]),
  ['composite chain', (x, w) => x.matmul(w).relu().sigmoid().mul(x.sum()).mean(), [sample([3, 4], 108), sample([4, 2], 109)]],
];

describe('gradcheck (central differences)', () => {
  for (const [name, fn, inputs] of cases) {
    it(name, () => expect(gradcheck(fn, inputs)).toBeNull());
  }
});

describe('double backward', () => {
  it('d2/dx2 of x^3 via create_graph', () => {
    const x = torch.tensor([1.5, -2], { requires_grad: true });
    const [g] = torch.autograd.grad(x.pow(3).sum(), x, null, { create_graph: true });
    expect(Array.from(g.dataSync())).toEqual([3 * 1.5 ** 2, 12].map(Math.fround));
    const [g2] = torch.autograd.grad(g.sum(), x);
    expect(Array.from(g2.dataSync())).toEqual([9, -12]);
  });
  it('gradient of a gradient through conv2d (unfold and fold record each other)', () => {
    const w = sample([2, 1, 2, 2], 140);
    const fn = (x: torch.Tensor) => {
      const [g] = torch.autograd.grad(F.conv2d(x, w).tanh().sum(), x, null, { create_graph: true });
      return g.mul(g).sum();
    };
    expect(gradcheck(fn, [sample([1, 1, 4, 4], 141)])).toBeNull();
  });

  it('gradient of a gradient through F.linear (one GEMM with the bias as its start) matches finite differences', () => {
    const w = sample([2, 3], 112), b = sample([2], 113);
    const fn = (x: torch.Tensor) => {
      const [g] = torch.autograd.grad(F.linear(x, w, b).tanh().sum(), x, null, { create_graph: true });
      return g.mul(g).sum();
    };
    expect(gradcheck(fn, [sample([4, 3], 114)])).toBeNull();
  });

  it('gradient of a gradient through tanh and matmul matches finite differences', () => {
    const w = sample([3, 2], 110);
    const fn = (x: torch.Tensor) => {
      const [g] = torch.autograd.grad(x.matmul(w).tanh().sum(), x, null, { create_graph: true });
      return g.mul(g).sum();
    };
    expect(gradcheck(fn, [sample([2, 3], 111)])).toBeNull();
  });

  for (const kind of ['LSTM', 'GRU', 'RNN'] as const) {
    it(`gradient of a gradient through a packed ${kind} (the recurrence recomposed from ops under create_graph)`, () => {
      const fn = (a: torch.Tensor, b: torch.Tensor) => {
        torch.manual_seed(9);
        const rnn: torch.nn.RNNBase = new torch.nn[kind](2, 2);
        const [out] = rnn.forward(packedPair(a, b)) as [Packed, unknown];
        const [ga, gb] = torch.autograd.grad(out.data.tanh().sum(), [a, b], null, { create_graph: true });
        return ga.mul(ga).sum().add(gb.pow(3).sum());
      };
      expect(gradcheck(fn, [sample([3, 2], 170), sample([2, 2], 171)])).toBeNull();
    });
  }
});
