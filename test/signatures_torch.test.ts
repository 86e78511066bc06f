// The torch.* functions that are not ops (src/torch_functions.ts): PyTorch's signatures and PyTorch 2.13's words
// for what they refuse (printed by running the same calls there), never a JS engine error.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

type Loose = (...a: unknown[]) => unknown;
const loose = (f: unknown) => f as Loose;

describe('seeding', () => {
  it("manual_seed takes what Python's int() takes", () => {
    expect(() => loose(torch.manual_seed)('a')).toThrow('invalid literal for int() with base 10: \'a\'');
    expect(() => loose(torch.manual_seed)()).toThrow(new TypeError("manual_seed() missing 1 required positional argument: 'seed'"));
    expect(torch.manual_seed(1.5).initial_seed()).toBe(1);
    expect(torch.manual_seed('7').initial_seed()).toBe(7);
    // PyTorch: torch.manual_seed(1); torch.rand(2) -> [0.7576315999031067, 0.2793108820915222]
    torch.manual_seed(1);
    expect(torch.rand(2).tolist()).toEqual([0.7576315999031067, 0.2793108820915222]);
    expect(() => loose(torch.initial_seed)(1)).toThrow(new TypeError('initial_seed() takes 0 positional arguments but 1 was given'));
  });

  it("a Generator's device and seed are checked", () => {
    expect(() => new torch.Generator('cuda')).toThrow('Torch not compiled with CUDA enabled');
    expect(() => new torch.Generator().manual_seed('a' as never)).toThrow('manual_seed expected a long, but got str');
    expect(() => new torch.Generator().manual_seed(1.5)).toThrow('manual_seed expected a long, but got float');
    expect(new torch.Generator('cpu').manual_seed(3).initial_seed()).toBe(3);
  });
});

describe("torch's builtins: CPython's words", () => {
  it('set_num_threads and get_num_threads', () => {
    expect(() => loose(torch.set_num_threads)()).toThrow(new TypeError('torch.set_num_threads() takes exactly one argument (0 given)'));
    expect(() => torch.set_num_threads(1.5)).toThrow('set_num_threads expects an int, but got float');
    expect(() => torch.set_num_threads(0)).toThrow('set_num_threads expects a positive integer');
    expect(() => loose(torch.get_num_threads)(1)).toThrow(new TypeError('torch.get_num_threads() takes no arguments (1 given)'));
    expect(() => loose(torch.is_grad_enabled)(1)).toThrow(new TypeError('torch.is_grad_enabled() takes no arguments (1 given)'));
  });
});

describe('grad mode and determinism', () => {
  it('set_grad_enabled and use_deterministic_algorithms take a bool', () => {
    expect(() => loose(torch.set_grad_enabled)('x')).toThrow(new TypeError("set_grad_enabled(): argument 'mode' (position 1) must be bool, not str"));
    expect(() => loose(torch.use_deterministic_algorithms)('x'))
      .toThrow(new TypeError("use_deterministic_algorithms(): argument 'mode' (position 1) must be bool, not str"));
    expect(() => loose(torch.use_deterministic_algorithms)(true, { warn: true }))
      .toThrow(new TypeError("use_deterministic_algorithms() got an unexpected keyword argument 'warn'"));
    torch.set_grad_enabled(false);
    expect(torch.is_grad_enabled()).toBe(false);
    torch.set_grad_enabled({ mode: true });
    expect(torch.is_grad_enabled()).toBe(true);
  });

  it('no_grad and enable_grad take the block as a function', () => {
    expect(() => loose(torch.no_grad)(1)).toThrow(new TypeError('no_grad() takes the block to run as a function, not int: torch.no_grad(() => ...)'));
    const w = torch.ones(2, { requires_grad: true });
    expect(torch.no_grad(() => w.mul(2)).requires_grad).toBe(false);
    expect(torch.no_grad(() => torch.enable_grad(() => w.mul(2))).requires_grad).toBe(true);
  });
});

describe('type tests and conversions', () => {
  it('is_tensor, numel, is_floating_point, promote_types, from_numpy', () => {
    expect(() => loose(torch.is_tensor)()).toThrow(new TypeError("is_tensor() missing 1 required positional argument: 'obj'"));
    expect(torch.is_tensor(3)).toBe(false);
    expect(() => loose(torch.numel)(3)).toThrow(new TypeError("numel(): argument 'input' (position 1) must be Tensor, not int"));
    expect(torch.numel(torch.ones(2, 3))).toBe(6);
    expect(torch.is_floating_point(torch.ones(1))).toBe(true);
    expect(torch.is_floating_point(torch.ones(1, { dtype: torch.int64 }))).toBe(false);
    // PyTorch: torch.promote_types(torch.int64, torch.float32) -> torch.float32
    expect(torch.promote_types(torch.int64, torch.float32)).toBe('float32');
    expect(torch.promote_types(torch.int32, torch.int64)).toBe('int64');
    expect(() => loose(torch.from_numpy)(3)).toThrow(new TypeError('expected np.ndarray (got int): a Float32Array or an Int32Array'));
    expect(torch.from_numpy(new Int32Array([1, 2])).dtype).toBe('int64');
  });
});

describe('save and load', () => {
  it('say what they got when it is not theirs', () => {
    expect(() => loose(torch.save)()).toThrow(new TypeError("save() missing 1 required positional argument: 'obj'"));
    expect(() => loose(torch.save)({ w: torch.ones(1) }, 3)).toThrow(new TypeError('save(): f must be a path (str), or left out for the bytes, not int'));
    expect(() => loose(torch.load)()).toThrow(new TypeError("load() missing 1 required positional argument: 'f'"));
    expect(() => loose(torch.load)(3)).toThrow(new TypeError("load(): f must be a path (str) or the file's bytes (Uint8Array or ArrayBuffer), not int"));
    const bytes = torch.save({ w: torch.tensor([1, 2]) });
    expect((torch.load(bytes) as Record<string, torch.Tensor>).w.tolist()).toEqual([1, 2]);
    expect(torch.load(bytes, { with_metadata: true }).state_dict.w.tolist()).toEqual([1, 2]);
  });
});
