// nn.Module, layers, losses and optim through the public API.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { nn, optim } = torch;

class Net extends nn.Module {
  l1 = new nn.Linear(4, 3);
  act = new nn.ReLU();
  head = new nn.Sequential(new nn.Linear(3, 2), new nn.Sigmoid());
  forward(x: torch.Tensor): torch.Tensor {
    return this.head.forward(this.act.forward(this.l1.forward(x))) as torch.Tensor;
  }
}

describe('Module', () => {
  it('registers submodules and parameters by assignment, with PyTorch\'s keys and order', () => {
    const net = new Net();
    expect(net.named_parameters().map(([k]) => k)).toEqual(['l1.weight', 'l1.bias', 'head.0.weight', 'head.0.bias']);
    expect(Object.keys(net.state_dict())).toEqual(['l1.weight', 'l1.bias', 'head.0.weight', 'head.0.bias']);
    expect(net.children().length).toBe(3);
    expect(net.modules().length).toBe(6);
    expect(net.named_modules().map(([k]) => k)).toEqual(['', 'l1', 'act', 'head', 'head.0', 'head.1']);
    expect(net.parameters().every((p) => p.requires_grad && p instanceof nn.Parameter)).toBe(true);
  });

  it('repr like PyTorch', () => {
    expect(String(new Net())).toBe(
      'Net(\n' +
      '  (l1): Linear(in_features=4, out_features=3, bias=True)\n' +
      '  (act): ReLU()\n' +
      '  (head): Sequential(\n' +
      '    (0): Linear(in_features=3, out_features=2, bias=True)\n' +
      '    (1): Sigmoid()\n' +
      '  )\n' +
      ')');
    expect(String(new nn.MSELoss())).toBe('MSELoss()');
  });

  it('train/eval set training on every module', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.head.training).toBe(true);
  });

  it('state_dict round trip gives the same outputs; tensors are detached copies-by-share', () => {
    torch.manual_seed(5);
    const a = new Net(), b = new Net();
    const x = torch.rand(2, 4);
    b.load_state_dict(a.state_dict());
    expect(b.forward(x).tolist()).toEqual(a.forward(x).tolist());
    expect(a.state_dict()['l1.weight'].requires_grad).toBe(false);
  });

  it('zero_grad sets grads to None by default, or zeros them', () => {
    const net = new Net();
    net.forward(torch.rand(2, 4)).sum().backward();
    expect(net.l1.weight.grad).not.toBeNull();
    net.zero_grad(false);
    expect(net.l1.weight.grad!.abs().sum().item()).toBe(0);
    net.zero_grad();
    expect(net.l1.weight.grad).toBeNull();
  });

  it('Linear initialisation bounds are +-1/sqrt(in_features)', () => {
    const l = new nn.Linear(100, 50);
    expect(l.weight.abs().max().item()).toBeLessThanOrEqual(0.1);
    expect(l.bias!.abs().max().item()).toBeLessThanOrEqual(0.1);
    expect(l.weight.std().item()).toBeCloseTo(0.1 / Math.sqrt(3), 2);
    expect(new nn.Linear(3, 2, { bias: false }).bias).toBeNull();
  });

  it('losses: reductions and the legacy size_average', () => {
    const a = torch.tensor([1, 2, 3]), b = torch.tensor([1, 0, 0]);
    expect(new nn.MSELoss().forward(a, b).item()).toBeCloseTo(13 / 3, 6);
    expect(new nn.MSELoss({ reduction: 'sum' }).forward(a, b).item()).toBe(13);
    expect(new nn.MSELoss({ size_average: false }).forward(a, b).item()).toBe(13);
    expect(new nn.MSELoss({ reduction: 'none' }).forward(a, b).tolist()).toEqual([0, 4, 9]);
    expect(new nn.L1Loss().forward(a, b).item()).toBeCloseTo(5 / 3, 6);
    expect(new nn.L1Loss({ reduction: 'sum' }).forward(a, b).item()).toBe(5);
  });
});

describe('optim.SGD', () => {
  it('state_dict / load_state_dict continue the same trajectory', () => {
    const run = (steps: number, resumeFrom?: torch.optim.OptimizerStateDict) => {
      const p = torch.tensor([1, -2, 3], { requires_grad: true });
      const opt = new optim.SGD([p], { lr: 0.1, momentum: 0.9 });
      if (resumeFrom) {
        torch.no_grad(() => p.copy_(torch.tensor([0.5, -1, 2])));
        opt.load_state_dict(resumeFrom);
      }
      for (let i = 0; i < steps; i++) {
        opt.zero_grad();
        p.pow(2).sum().backward();
        opt.step();
      }
      return { p, opt };
    };
    const full = run(4);
    const half = run(2);
    const sd = half.opt.state_dict();
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(sd.param_groups[0]).toMatchObject({ lr: 0.1, momentum: 0.9, params: [0] });
    const resumed = run(0, sd);
    resumed.p.data = half.p.data.clone();
    for (let i = 0; i < 2; i++) {
      resumed.opt.zero_grad();
      resumed.p.pow(2).sum().backward();
      resumed.opt.step();
    }
    expect(resumed.p.tolist()).toEqual(full.p.tolist());
  });

  it('param groups keep their own options', () => {
    const a = torch.tensor([1], { requires_grad: true }), b = torch.tensor([1], { requires_grad: true });
    const opt = new optim.SGD([{ params: [a] }, { params: [b], lr: 1 }], { lr: 0.1 });
    a.sum().add(b.sum()).backward();
    opt.step();
    expect(a.item()).toBeCloseTo(0.9, 6);
    expect(b.item()).toBe(0);
  });

  it('skips parameters without a gradient, and maximize ascends', () => {
    const a = torch.tensor([1], { requires_grad: true }), b = torch.tensor([1], { requires_grad: true });
    const opt = new optim.SGD([a, b], { lr: 0.5, maximize: true });
    a.mul(2).sum().backward();
    opt.step();
    expect(a.item()).toBe(2);
    expect(b.item()).toBe(1);
  });
});

describe('recurrent layers', () => {
  it('a 2-layer bidirectional LSTM has PyTorch\'s keys, shapes and order; its state dict round-trips', () => {
    torch.manual_seed(1);
    const a = new nn.LSTM(3, 4, 2, { bidirectional: true }), b = new nn.LSTM(3, 4, { num_layers: 2, bidirectional: true });
    const sd = a.state_dict();
    const keys: string[] = [];
    for (const layer of [0, 1]) for (const sfx of ['', '_reverse']) for (const k of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']) keys.push(`${k}_l${layer}${sfx}`);
    expect(Object.keys(sd)).toEqual(keys);
    expect(sd.weight_ih_l0.shape).toEqual([16, 3]); // 4 gates x hidden 4, input 3
    expect(sd.weight_ih_l1_reverse.shape).toEqual([16, 8]); // input: both directions of layer 0
    expect(sd.bias_hh_l1.shape).toEqual([16]);
    b.load_state_dict(sd);
    const x = torch.rand(5, 2, 3);
    const [ya, [ha, ca]] = a.forward(x), [yb, [hb, cb]] = b.forward(x);
    expect([yb.tolist(), hb.tolist(), cb.tolist()]).toEqual([ya.tolist(), ha.tolist(), ca.tolist()]);
    expect(String(a)).toBe('LSTM(3, 4, num_layers=2, bidirectional=True)');
  });

  it('num_layers may be positional, as in PyTorch; a wrong type is refused', () => {
    expect(new nn.GRU(4, 3, 2, { bidirectional: true }).num_layers).toBe(2);
    expect(new nn.RNN(4, 3, 3, { nonlinearity: 'relu' }).mode).toBe('RNN_RELU');
    expect(() => new nn.GRU(4, 3, 'two' as unknown as number)).toThrow(new TypeError("RNNBase.__init__(): argument 'num_layers' (position 3) must be int, not str"));
  });
});
