// A failed call leaves no trace. The first defect found: a shape with NaN in
// it (computed from misread arguments) reached the allocator, whose bump
// pointer became NaN, so every later tensor shared memory with another
// (`a.sum()` wrote 21 into a[0][0]). Every new storage's shape now passes one
// check before anything is allocated; each case below is followed by a check
// that known computations are still exact.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { Storage } from '../src/backend/memory.js';
import { empty } from '../src/ops/core.js';
import { op } from '../src/signature.js';
import { expectIntact } from './helpers/intact.js';

const F = torch.nn.functional;

describe('no failed call corrupts what comes after', () => {
  const x = () => torch.arange(36, { dtype: torch.float32 }).reshape(1, 1, 6, 6);
  const calls: [string, () => unknown][] = [
    // the calls the issue found: misread arguments that made a NaN shape
    ['avg_pool2d(x, [3, 3], { padding: [1] })', () => F.avg_pool2d(x(), [3, 3], { padding: [1] })],
    ['max_pool2d(x, { kernel_size: 3, stride: 2 })', () => F.max_pool2d(x(), { kernel_size: 3, stride: 2 } as never)],
    ['zeros(9.45)', () => torch.zeros(9.45)],
    ['zeros(NaN)', () => torch.zeros(NaN)],
    ['zeros(-1)', () => torch.zeros(-1)],
    ['eye(-1)', () => torch.eye(-1)],
    ['zeros(2 ** 31)', () => torch.zeros(2 ** 31)],
    ['reshape(x, [NaN, 4])', () => x().reshape([NaN, 4])],
  ];
  for (const [name, call] of calls) {
    it(`${name}, then the state is intact`, () => {
      expectIntact();
      let result: unknown;
      try {
        result = call();
      } catch {
        result = undefined;
      }
      // a call may still succeed where PyTorch accepts it; it must never make a NaN shape
      if (result instanceof torch.Tensor) expect(result.shape.every((d) => Number.isInteger(d) && d >= 0)).toBe(true);
      expectIntact();
    });
  }

  it('many failed calls in a row, interleaved with work, leave every result exact', () => {
    for (let i = 0; i < 500; i++) {
      const [, call] = calls[i % calls.length];
      try { call(); } catch { /* refused */ }
      if (i % 50 === 0) expectIntact();
    }
    expectIntact();
  });
});

describe('the shape and size checks say what is wrong', () => {
  it('a size that is not an integer: PyTorch\'s TypeError', () => {
    expect(() => torch.zeros(9.45)).toThrow(new TypeError("zeros(): argument 'size' (position 1) must be tuple of ints, not float"));
    expect(() => torch.ones(2, NaN)).toThrow("ones(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 1");
  });

  it('a negative size: PyTorch\'s message with the shape', () => {
    expect(() => torch.zeros(2, -1)).toThrow('Trying to create tensor with negative dimension -1: [2, -1]');
  });

  it('eye with a negative size or a float', () => {
    expect(() => torch.eye(-1)).toThrow('n must be greater or equal to 0, got -1');
    expect(() => torch.eye(2, -3)).toThrow('m must be greater or equal to 0, got -3');
    expect(() => torch.eye(1.5)).toThrow(new TypeError("eye(): argument 'n' (position 1) must be int, not float"));
  });

  it('a tensor larger than WebAssembly memory can hold: out of memory, naming the size', () => {
    expect(() => torch.zeros(2 ** 31)).toThrow(
      'wasmtorch: out of memory: a tensor of 2147483648 elements needs 8589934592 bytes, more than WebAssembly memory can hold (4294901760 bytes)');
    expect(() => torch.empty(2 ** 20, 2 ** 12)).toThrow('wasmtorch: out of memory: a tensor of 4294967296 elements');
    expectIntact();
  });

  it('a bad output shape an op computes is refused before allocating', () => {
    // what the misread pooling call above used to compute, now read as PyTorch reads it
    expect((F.max_pool2d(torch.ones(1, 1, 6, 6), { kernel_size: 3, stride: 2 } as never) as torch.Tensor).shape).toEqual([1, 1, 2, 2]);
    expect(() => empty([1, NaN]))
      .toThrow('wasmtorch: invalid tensor shape [1, NaN]: sizes must be non-negative integers (the size at pos 1 is NaN); nothing was allocated');
    expect(() => empty([2, -3])).toThrow('wasmtorch: invalid tensor shape [2, -3]');
    expectIntact();
  });

  it('the storage itself refuses a size that is not a non-negative integer', () => {
    for (const n of [NaN, -4, 2.5, Infinity]) expect(() => new Storage(n)).toThrow(`wasmtorch: invalid storage size ${n}; nothing was allocated`);
    expectIntact();
  });
});

describe('a public call that fails after allocating frees what it made', () => {
  // a callable declared like every op, whose implementation allocates temporaries and then fails
  const failing = op<(x: torch.Tensor) => torch.Tensor>('failing(Tensor input) -> Tensor', (x: torch.Tensor) => {
    const a = x.mul(2), b = a.add(1).exp();
    if (b.numel() > 0) throw new Error('failing: as designed');
    return b;
  });

  it('resident blocks and bytes are as they were, after many failures', () => {
    const x = torch.ones(1000).add(0); // resident
    expect(() => failing(x)).toThrow('failing: as designed');
    const before = torch.memory();
    for (let i = 0; i < 200; i++) expect(() => failing(x)).toThrow('failing: as designed');
    const after = torch.memory();
    expect(after.resident_blocks).toBe(before.resident_blocks);
    expect(after.resident_bytes).toBe(before.resident_bytes);
    expectIntact();
  });

  it('a failed argument check allocates nothing at all', () => {
    const x = torch.ones(1, 1, 6, 6).add(0);
    const before = torch.memory();
    for (let i = 0; i < 100; i++) expect(() => F.max_pool2d(x, 2.5)).toThrow(TypeError);
    expect(torch.memory().resident_blocks).toBe(before.resident_blocks);
  });
});
