// nn modules' constructors and Module's methods take PyTorch's signatures: every parameter by position or by name,
// PyTorch's reprs, and PyTorch's words for what it refuses. Expected strings and values are PyTorch 2.13's
// (printed by running the same calls there); the generic bad-call suite is test/signature_table.test.ts.
import { describe, it, expect, vi } from 'vitest';
import * as torch from '../src/index.js';

const nn = torch.nn;

describe('module constructors', () => {
  it('take each parameter by position, by name, or mixed, with the same result', () => {
    const forms = [
      new nn.Linear(3, 2, false),
      new nn.Linear(3, { out_features: 2, bias: false }),
      new nn.Linear({ in_features: 3, out_features: 2, bias: false }),
    ];
    for (const l of forms) {
      expect([l.in_features, l.out_features, l.bias]).toEqual([3, 2, null]);
      expect(l.weight.shape).toEqual([2, 3]);
    }
    expect(new nn.BatchNorm1d(4, 1e-3, { affine: false }).affine).toBe(false);
    expect(new nn.BatchNorm2d({ num_features: 4, bias: false }).bias).toBeNull();
    expect(new nn.LayerNorm({ normalized_shape: 5 }).normalized_shape).toEqual([5]);
    expect(new nn.GroupNorm(2, { num_channels: 4, bias: false }).bias).toBeNull();
    expect(new nn.Unflatten({ dim: 1, unflattened_size: [2, 3] }).unflattened_size).toEqual([2, 3]);
    expect(new nn.Dropout({ p: 0.2 }).p).toBe(0.2);
  });

  it("print PyTorch's reprs", () => {
    expect(String(new nn.LeakyReLU(0.2, true))).toBe('LeakyReLU(negative_slope=0.2, inplace=True)');
    expect(String(new nn.Softplus())).toBe('Softplus(beta=1.0, threshold=20.0)');
    expect(String(new nn.Softmax(1))).toBe('Softmax(dim=1)');
    expect(String(new nn.LogSoftmax())).toBe('LogSoftmax(dim=None)');
    expect(String(new nn.Flatten(0, 2))).toBe('Flatten(start_dim=0, end_dim=2)');
    expect(String(new nn.GELU('tanh'))).toBe("GELU(approximate='tanh')");
    expect(String(new nn.Dropout2d(0.25, true))).toBe('Dropout2d(p=0.25, inplace=True)');
    expect(String(new nn.ReLU(true))).toBe('ReLU(inplace=True)');
  });

  it('inplace activations write into their input and return it', () => {
    const x = torch.tensor([-1, 2]);
    expect(new nn.ReLU(true).forward(x)).toBe(x);
    expect(x.tolist()).toEqual([0, 2]);
    const y = torch.tensor([-1, 2]);
    expect(new nn.LeakyReLU(0.5, true).forward(y)).toBe(y);
    expect(y.tolist()).toEqual([-0.5, 2]);
    const z = torch.tensor([-1, 2]);
    new nn.ReLU().forward(z);
    expect(z.tolist()).toEqual([-1, 2]);
  });

  it("Softmax and LogSoftmax without dim take PyTorch's legacy choice, with its warning", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const s = new nn.Softmax().forward(torch.tensor([[1, 2], [3, 5]]));
      // 2-D: dim 1 (PyTorch: [[0.2689, 0.7311], [0.1192, 0.8808]])
      expect((s.tolist() as number[][]).flat().map((v: number) => +v.toFixed(4))).toEqual([0.2689, 0.7311, 0.1192, 0.8808]);
      // 1-D and 3-D: dim 0
      const l = new nn.LogSoftmax().forward(torch.tensor([1, 2, 3]));
      expect((l.tolist() as number[]).map((v: number) => +v.toFixed(4))).toEqual([-2.4076, -1.4076, -0.4076]);
      expect(new nn.Softmax().forward(torch.ones(2, 2, 3)).sum(0).tolist()).toEqual([[1, 1, 1], [1, 1, 1]]);
      expect(warn).toHaveBeenCalledWith('Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.');
    } finally {
      warn.mockRestore();
    }
  });

  it("refuse what PyTorch refuses, in its words", () => {
    expect(() => new nn.Linear(2, 2, { dtype: 'banana' as never })).toThrow("empty(): argument 'dtype' must be torch.dtype, not str");
    expect(() => new nn.Linear(2, 2, { dtype: torch.float64 })).toThrow("dtype 'float64' is not supported (float32, int64, int32, bool)");
    expect(() => new nn.Linear(2, 2, { device: 'cuda' })).toThrow('Torch not compiled with CUDA enabled');
    expect(new nn.Linear(2, 2, { device: 'cpu', dtype: torch.float32 }).weight.dtype).toBe('float32');
    expect(() => new nn.Dropout(1.5)).toThrow('dropout probability has to be between 0 and 1, but got 1.5');
    expect(() => new nn.GroupNorm(0, 6)).toThrow('integer modulo by zero');
    expect(() => new nn.GroupNorm(4, 6)).toThrow('num_channels (6) must be divisible by num_groups (4)');
    expect(() => new (nn.Sigmoid as unknown as new (a: number) => unknown)(1)).toThrow('Sigmoid.__init__() takes 1 positional argument but 2 were given');
    expect(() => new nn.Dropout(0.5, false, true as never)).toThrow('_DropoutNd.__init__() takes from 1 to 3 positional arguments but 4 were given');
    expect(() => new nn.BatchNorm1d()).toThrow("_BatchNorm.__init__() missing 1 required positional argument: 'num_features'");
    expect(() => new nn.LayerNorm(5, { epsilon: 1 } as never)).toThrow("LayerNorm.__init__() got an unexpected keyword argument 'epsilon'");
  });

  it('nn.Identity takes any arguments and ignores them', () => {
    expect(new nn.Identity(54, { unused_argument1: 0.1 }).forward(torch.ones(2)).tolist()).toEqual([1, 1]);
  });
});

describe('Module methods', () => {
  it("register_buffer, register_parameter and add_module check the name and value as PyTorch does", () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.register_buffer(3 as never, torch.ones(1))).toThrow('buffer name should be a string. Got int');
    expect(() => m.register_buffer('a.b', torch.ones(1))).toThrow('buffer name can\'t contain "."');
    expect(() => m.register_buffer('', torch.ones(1))).toThrow('buffer name can\'t be empty string ""');
    expect(() => m.register_buffer('weight', torch.ones(1))).toThrow("attribute 'weight' already exists");
    expect(() => m.register_buffer('q', 3 as never)).toThrow("cannot assign 'int' object to buffer 'q' (torch Tensor or None required)");
    expect(() => m.register_parameter('q', torch.ones(1) as never))
      .toThrow("cannot assign 'torch.FloatTensor' object to parameter 'q' (torch.nn.Parameter or None required)");
    expect(() => m.register_parameter('a.b', null)).toThrow('parameter name can\'t contain "."');
    expect(() => m.add_module('x', 3 as never)).toThrow('int is not a Module subclass');
    expect(() => m.add_module('a.b', new nn.ReLU())).toThrow('module name can\'t contain ".", got: a.b');
    expect(() => m.add_module('weight', new nn.ReLU())).toThrow("attribute 'weight' already exists");
    expect(Object.keys(m.state_dict())).toEqual(['weight', 'bias']);
  });

  it('a non-persistent buffer is an attribute left out of state_dict', () => {
    const m = new nn.Linear(2, 2);
    m.register_buffer('nb', torch.ones(1), false);
    m.register_buffer('kept', torch.zeros(1), { persistent: true });
    expect((m as unknown as { nb: torch.Tensor }).nb.tolist()).toEqual([1]);
    expect(Object.keys(m.state_dict())).toEqual(['weight', 'bias', 'kept']);
  });

  it("the other methods' checks", () => {
    const m = new nn.Linear(2, 2);
    expect(() => m.train('yes' as never)).toThrow('training mode is expected to be boolean');
    expect(() => m.apply(3 as never)).toThrow("'int' object is not callable");
    expect(() => m.state_dict({ destination: 3 as never })).toThrow("'int' object does not support item assignment");
    expect(() => m.requires_grad_('x' as never)).toThrow("requires_grad_(): argument 'requires_grad' (position 1) must be bool, not str");
    expect(() => m.parameters({ recursive: true } as never)).toThrow("Module.parameters() got an unexpected keyword argument 'recursive'");
    expect(m.train(false).training).toBe(false);
  });

  it("named_modules / named_parameters / state_dict treat shared modules as PyTorch does", () => {
    const r = new nn.ReLU();
    const s = new nn.Sequential(r, r, new nn.Linear(2, 2));
    expect(s.named_modules().map(([n]) => n)).toEqual(['', '0', '2']);
    expect(s.named_modules({ remove_duplicate: false }).map(([n]) => n)).toEqual(['', '0', '1', '2']);
    const l = new nn.Linear(2, 2);
    const s2 = new nn.Sequential(l, l);
    expect(s2.named_parameters().map(([n]) => n)).toEqual(['0.weight', '0.bias']);
    expect(s2.named_parameters({ remove_duplicate: false }).map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(s2.named_parameters('net', false).map(([n]) => n)).toEqual([]);
    expect(s2.named_parameters({ prefix: 'net' }).map(([n]) => n)).toEqual(['net.0.weight', 'net.0.bias']);
    const d = {};
    s2.state_dict(d, 'pre.');
    expect(Object.keys(d)).toEqual(['pre.0.weight', 'pre.0.bias', 'pre.1.weight', 'pre.1.bias']);
  });

  it('load_state_dict(assign=True) makes the given tensors the parameters', () => {
    const a = new nn.Linear(2, 2);
    const w = torch.ones(2, 2);
    a.load_state_dict({ weight: w, bias: torch.zeros(2) }, { assign: true });
    expect(a.weight).toBeInstanceOf(nn.Parameter);
    expect(a.weight.requires_grad).toBe(true);
    expect(a.weight.storage).toBe(w.storage);
    expect(a.forward(torch.tensor([[1, 2]])).tolist()).toEqual([[3, 3]]);
  });
});
