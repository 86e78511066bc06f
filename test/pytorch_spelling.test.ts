// What PyTorch users write and the library takes: callable modules, method
// variants exactly where PyTorch has them, and JS operators on tensors refused
// with the method to call instead of NaN or a string.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const { nn } = torch;

describe('modules are callable: model(x) is model.forward(x)', () => {
  class Model extends nn.Module {
    l1 = new nn.Linear(2, 3);
    l2 = new nn.Linear(3, 1);
    forward(x: torch.Tensor): torch.Tensor {
      return this.l2(this.l1(x).relu());
    }
  }

  it('a subclass with fields registered by assignment, called as in PyTorch', () => {
    torch.manual_seed(0);
    const m = new Model();
    const x = torch.tensor([[1, -2]]);
    expect(m(x).tolist()).toEqual(m.forward(x).tolist());
    expect(Object.keys(m.state_dict())).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias']);
    expect(m instanceof nn.Module && m instanceof Model).toBe(true);
    expect(m.parameters()).toHaveLength(4);
  });

  it('losses and containers too: criterion(pred, y), nn.Sequential(...)(x)', () => {
    expect(new nn.MSELoss()(torch.tensor([1, 3]), torch.tensor([0, 0])).item()).toBe(5);
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(seq(torch.ones(1, 2)).shape).toEqual([1, 2]);
  });

  it('a module may have fields named like a function\'s own properties (name, length)', () => {
    class Named extends nn.Module {
      name = 'encoder';
      length = 3;
      forward(): number { return this.length; }
    }
    const n = new Named();
    expect([n.name, n.length, n()]).toEqual(['encoder', 3, 3]);
  });

  it('a module without forward says so when called', () => {
    expect(() => new nn.Module()()).toThrow('Module [Module] is missing the required "forward" function');
  });
});

describe('JS operators on tensors throw a TypeError naming the method', () => {
  const x = torch.tensor([1, 2]);
  const message = 'JS operators do not apply to tensors: use the methods, x.add(y) for x + y';
  it('arithmetic, unary minus, compound assignment, Number()', () => {
    expect(() => (x as unknown as number) ** 2).toThrow(TypeError);
    expect(() => (x as unknown as number) ** 2).toThrow('x.pow(2) for x ** 2');
    expect(() => (x as unknown as number) + (x as unknown as number)).toThrow(message);
    expect(() => -(x as unknown as number)).toThrow(message);
    let b = x as unknown as number;
    expect(() => { b -= 0.1; }).toThrow(message);
    expect(() => Number(x)).toThrow(message);
  });
  it('a template string still prints it', () => {
    expect(`${torch.tensor([1, 2])}`).toBe('tensor([1., 2.])');
  });
});

describe('method variants exactly where PyTorch has them', () => {
  const x = torch.tensor([[-1.5, 0.25], [2.5, -0.75]]);
  it('round, floor, ceil, erf, expm1 as methods', () => {
    expect(x.round().tolist()).toEqual([[-2, 0], [2, -1]]); // round half to even, as PyTorch
    expect(x.floor().tolist()).toEqual([[-2, 0], [2, -1]]);
    expect(x.ceil().tolist()).toEqual([[-1, 1], [3, -0]]);
    expect(torch.tensor([0]).erf().item()).toBe(0);
    expect(torch.tensor([0]).expm1().item()).toBe(0);
  });
  it('x.where(condition, y), unbind, unflatten', () => {
    expect(x.where(x.gt(0), 0).tolist()).toEqual([[0, 0.25], [2.5, 0]]);
    expect(x.unbind(1).map((t) => t.tolist())).toEqual([[-1.5, 2.5], [0.25, -0.75]]);
    expect(torch.arange(6).unflatten(0, [2, 3]).shape).toEqual([2, 3]);
  });
  it('normal_ and uniform_ draw what nn.init draws after the same seed', () => {
    torch.manual_seed(3);
    const a = torch.empty(5).normal_(1, 2);
    torch.manual_seed(3);
    const b = nn.init.normal_(torch.empty(5), 1, 2);
    expect(a.tolist()).toEqual(b.tolist());
    torch.manual_seed(4);
    const u = torch.empty(1000).uniform_(-2, -1);
    expect(u.min().item()).toBeGreaterThanOrEqual(-2);
    expect(u.max().item()).toBeLessThan(-1);
  });
  it('multinomial as a method', () => {
    torch.manual_seed(0);
    expect(torch.tensor([0, 0, 1]).multinomial(2, true).tolist()).toEqual([2, 2]);
  });
  it('torch.rsub(input, other) = other - input; Tensor has no rsub, as in PyTorch', () => {
    expect(torch.rsub(torch.tensor([1, 2]), 10).tolist()).toEqual([9, 8]);
    expect(torch.rsub(torch.tensor([1, 2]), torch.tensor([5, 5]), { alpha: 2 }).tolist()).toEqual([3, 1]);
    expect((torch.tensor([1]) as unknown as Record<string, unknown>).rsub).toBeUndefined();
  });
});

describe('the one device', () => {
  it("model.to('cpu'), model.to(torch.device('cpu')), tensor.to(device) are no-ops that return their object", () => {
    const m = new nn.Linear(2, 1);
    expect(m.to('cpu')).toBe(m);
    expect(m.to(torch.device('cpu'))).toBe(m);
    expect(m.to({ device: 'cpu', dtype: torch.float32 })).toBe(m);
    expect(m.cpu()).toBe(m);
    const x = torch.ones(2);
    expect(x.to(torch.device('cpu'))).toBe(x);
    expect(String(torch.device('cpu'))).toBe('cpu');
    expect(String(torch.device('cuda', 1))).toBe('cuda:1');
    expect(torch.device('cpu') instanceof torch.device).toBe(true);
    expect(torch.cuda.is_available()).toBe(false);
    expect(String(torch.get_default_device())).toBe('cpu');
  });

  it('any other device is a clear error, never a silent no-op', () => {
    const cuda = 'Torch not compiled with CUDA enabled (wasmtorch runs on the CPU only: torch.cuda.is_available() is false)';
    expect(() => new nn.Linear(2, 1).to('cuda')).toThrow(cuda);
    expect(() => torch.ones(1).to(torch.device('cuda:0'))).toThrow(cuda);
    expect(() => new nn.Linear(2, 1).to('mps')).toThrow("wasmtorch runs on the CPU only: device 'mps' is not available");
    expect(() => torch.device('banana')).toThrow('device type at start of device string: banana');
  });
});

describe('smaller PyTorch behaviours', () => {
  it('a registered buffer is an attribute (and stays out of the parameters)', () => {
    class Masked extends nn.Module {
      constructor() {
        super();
        this.register_buffer('tril', torch.tensor([[1, 0, 0], [1, 1, 0], [1, 1, 1]]));
      }
      forward(x: torch.Tensor): torch.Tensor {
        return x.mul((this as unknown as { tril: torch.Tensor }).tril);
      }
    }
    const m = new Masked();
    expect((m as unknown as { tril: torch.Tensor }).tril.shape).toEqual([3, 3]);
    expect(m.parameters()).toHaveLength(0);
    expect(Object.keys(m.state_dict())).toEqual(['tril']);
    (m as unknown as { tril: torch.Tensor }).tril = torch.zeros(3, 3);
    expect(m.state_dict().tril.sum().item()).toBe(0);
  });

  it('item() of a bool tensor is a boolean; linspace(a, b, 1) is [a]', () => {
    expect(torch.tensor([true]).item()).toBe(true);
    expect(torch.tensor([1, 2]).gt(1).select(0, 1).item()).toBe(true);
    expect(torch.tensor([false]).item()).toBe(false);
    expect(torch.linspace(2, 5, 1).tolist()).toEqual([2]);
  });
});

describe('torch.save / torch.load with a path are synchronous (Node), and load_state_dict says what it got', () => {
  it("model.load_state_dict(torch.load('m.safetensors')) as in PyTorch", async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'wasmtorch-')), 'm.safetensors');
    const a = new nn.Linear(3, 2), b = new nn.Linear(3, 2);
    const bytes = torch.save(a.state_dict(), path);
    expect(bytes).toBeInstanceOf(Uint8Array);
    b.load_state_dict(torch.load(path));
    expect(b.weight.tolist()).toEqual(a.weight.tolist());
  });

  it('a Promise, null, a tensor or wrong values are refused with what they are', () => {
    const m = new nn.Linear(1, 1);
    expect(() => m.load_state_dict(Promise.resolve({}) as never)).toThrow(new TypeError(
      'Expected state_dict to be dict-like (name -> Tensor), got a Promise (torch.load is synchronous: pass its result, not a Promise).'));
    expect(() => m.load_state_dict(null as never)).toThrow('Expected state_dict to be dict-like (name -> Tensor), got null.');
    expect(() => m.load_state_dict(torch.ones(1) as never)).toThrow('got a Tensor.');
    expect(() => m.load_state_dict(new Map([['weight', 3]]) as never)).toThrow("Expected state_dict['weight'] to be a Tensor, got number.");
    expect(() => m.load_state_dict({ weight: [[1]] } as never)).toThrow("Expected state_dict['weight'] to be a Tensor, got an array.");
  });
});

describe('torch.normal with tensor mean and std', () => {
  it('draws standard normals of the result shape, then std * z + mean, as PyTorch (so seeded values equal its own)', () => {
    torch.manual_seed(0);
    const z = torch.randn(2).tolist() as number[]; // PyTorch's manual_seed(0) randn: 1.5410, -0.2934 (tensor.test.ts)
    torch.manual_seed(0);
    const n = torch.normal(torch.tensor([0, 10]), torch.tensor([1, 2])).tolist() as number[];
    expect(n[0]).toBeCloseTo(z[0], 6);
    expect(n[1]).toBeCloseTo(10 + 2 * z[1], 5);
    expect(n[0]).toBeCloseTo(1.541, 3);
    torch.manual_seed(0);
    expect(torch.normal(5, torch.tensor([1, 1, 1])).shape).toEqual([3]);
    expect(() => torch.normal(torch.zeros(2), -1)).toThrow('normal expects std >= 0.0, but found std -1');
  });
});
