// int64 is 64-bit: stored as i64, read and written exactly (numbers where exact, BigInts past 2^53), and drawn,
// converted and refused as PyTorch does. Expected values: PyTorch 2.13 (randint), BigInt arithmetic, PyTorch's messages.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';

const F = torch.nn.functional;

describe('int64 storage', () => {
  it('holds values past int32 and past 2^53 exactly: tolist() and item() give BigInts only where numbers are not exact', () => {
    const big = [2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n];
    const t = torch.tensor([4294967296, ...big]);
    expect(t.dtype).toBe('int64'); // BigInts are integers
    expect(t.tolist()).toEqual([4294967296, ...big]);
    expect(t.select(0, 1).item()).toBe(2n ** 53n + 1n);
    expect(t.select(0, 0).item()).toBe(4294967296);
    expect(torch.tensor([65536], { dtype: torch.long }).item()).toBe(65536);
    expect(torch.tensor([2 ** 40, -(2 ** 52)], { dtype: torch.long }).tolist()).toEqual([2 ** 40, -(2 ** 52)]);
    expect(Array.from(t.dataSync())).toEqual([4294967296, ...big.map(Number)]); // numbers: exact to 2^53
  });

  it('views, copies and transposes move 8-byte elements', () => {
    const x = torch.tensor([[1n, 2n ** 40n, 3n], [-(2n ** 50n), 5n, 2n ** 62n]]);
    expect(x.t().contiguous().tolist()).toEqual([[1, -(2 ** 50)], [2 ** 40, 5], [3, 2n ** 62n]]);
    expect(x.narrow(1, 1, 2).clone().tolist()).toEqual([[2 ** 40, 3], [5, 2n ** 62n]]);
    expect(x.select(1, 2).tolist()).toEqual([3, 2n ** 62n]);
    const y = torch.zeros([2, 3], { dtype: torch.long });
    y.copy_(x);
    expect(y.tolist()).toEqual(x.tolist());
    expect(torch.full([2], 2 ** 45, { dtype: torch.long }).tolist()).toEqual([2 ** 45, 2 ** 45]);
    const f = torch.zeros([3], { dtype: torch.long });
    f.fill_(-(2 ** 41));
    expect(f.tolist()).toEqual([-(2 ** 41), -(2 ** 41), -(2 ** 41)]);
  });

  it('converts to and from the other dtypes as PyTorch: float truncates toward zero, int32 wraps', () => {
    expect(torch.tensor([1.7, -1.7, 2 ** 60], { dtype: torch.long }).tolist()).toEqual([1, -1, 2n ** 60n]);
    expect(torch.tensor([2n ** 32n + 5n, -1n]).to(torch.int32).tolist()).toEqual([5, -1]);
    expect(torch.tensor([2 ** 40, 3]).to(torch.long).to(torch.float32).tolist()).toEqual([2 ** 40, 3]);
    expect(torch.tensor([7, -8], { dtype: torch.int32 }).long().tolist()).toEqual([7, -8]);
    expect(torch.tensor([true, false]).long().tolist()).toEqual([1, 0]);
  });

  it('prints past 2^53 exactly, aligned as PyTorch aligns', () => {
    expect(torch.tensor([1n, -1n, 2n ** 60n]).toString()).toBe('tensor([                  1,                  -1, 1152921504606846976])');
  });

  it("refuses what int64 or int32 cannot hold, in PyTorch's words", () => {
    expect(() => torch.tensor([2n ** 63n])).toThrow('Overflow when unpacking long long');
    expect(() => torch.tensor([1e19], { dtype: torch.long })).toThrow('value cannot be converted to type int64 without overflow');
    expect(() => torch.tensor([NaN], { dtype: torch.long })).toThrow('value cannot be converted to type int64 without overflow');
    expect(() => torch.tensor([2 ** 31], { dtype: torch.int32 })).toThrow('value cannot be converted to type int32 without overflow');
  });

  it('randint over a range of 2^32 or more draws 64 bits a value, as PyTorch (same seed, same numbers)', () => {
    // torch.randint(0, 10**10, [3], generator=torch.Generator().manual_seed(0)) in PyTorch 2.13
    const g = new torch.Generator().manual_seed(0);
    expect(torch.randint(0, 1e10, [3], { generator: g }).tolist()).toEqual([3749065263, 3495924928, 4053362427]);
    expect(torch.randint(0, 1e10, [1000]).dataSync().every((v) => v >= 0 && v < 1e10)).toBe(true);
  });

  it('integer arithmetic, comparisons, sums and extrema are exact in int64 (float32 rounds past 2^24)', () => {
    const L = { dtype: torch.long };
    expect(torch.arange(0, 1e5, L).sum().item()).toBe((1e5 * (1e5 - 1)) / 2); // 4999950000 (was 2147483647)
    expect(torch.tensor([65536], L).mul(torch.tensor([65536], L)).item()).toBe(2 ** 32);
    expect(torch.tensor([16777217], L).add(1).item()).toBe(16777218);
    expect(torch.tensor([2n ** 62n, 5n]).add(torch.tensor([1n, -5n])).tolist()).toEqual([2n ** 62n + 1n, 0]);
    expect(torch.tensor([2n ** 62n]).mul(4).item()).toBe(0); // wraps, as PyTorch's int64
    expect(torch.tensor([2n ** 62n, 5n]).amax().item()).toBe(2n ** 62n);
    expect(torch.tensor([2n ** 53n + 1n]).eq(torch.tensor([2n ** 53n])).item()).toBe(false);
    expect(torch.tensor([[1, 2], [3, 4]], L).sum(0).tolist()).toEqual([4, 6]);
    expect(torch.tensor([5], L).sub(7).item()).toBe(-2);
    expect(torch.tensor([3], L).add(0.5).tolist()).toEqual([3.5]); // a float operand promotes to float32
    // int32 wraps as int32; bools sum into int64
    expect(torch.tensor([1, 2], { dtype: torch.int32 }).add(2147483647).tolist()).toEqual([-2147483648, -2147483647]);
    const s = torch.tensor([true, true, false]).sum();
    expect([s.item(), s.dtype]).toEqual([2, 'int64']);
    expect(torch.arange(0, 20000000, L).sum().item()).toBe(20000000 * 19999999 / 2);
  });

  it('ops that move, pick or negate int64 elements keep every bit (they went through float32 before)', () => {
    const L = { dtype: torch.long };
    const big = torch.tensor([[1n, 2n ** 60n + 1n], [-(2n ** 55n) - 3n, 7n]]);
    expect(big.index_select(0, torch.tensor([1, 0], L)).tolist()).toEqual([[-(2n ** 55n) - 3n, 7], [1, 2n ** 60n + 1n]]);
    expect(torch.gather(big, 1, torch.tensor([[1, 1], [0, 1]], L)).tolist()).toEqual([[2n ** 60n + 1n, 2n ** 60n + 1n], [-(2n ** 55n) - 3n, 7]]);
    expect(torch.where(torch.tensor([true, false]), torch.tensor([2n ** 60n + 1n, 1n]), 5).tolist()).toEqual([2n ** 60n + 1n, 5]);
    expect(torch.index_copy(big, 0, torch.tensor([1], L), torch.tensor([[9n, 2n ** 61n + 3n]])).tolist())
      .toEqual([[1, 2n ** 60n + 1n], [9, 2n ** 61n + 3n]]);
    expect(torch.cat([big.select(0, 0), big.select(0, 1)]).tolist()).toEqual([1, 2n ** 60n + 1n, -(2n ** 55n) - 3n, 7]);
    const a = torch.tensor([2n ** 60n + 1n, 3n, 2n ** 60n + 2n]);
    expect(a.neg().tolist()).toEqual([-(2n ** 60n) - 1n, -3, -(2n ** 60n) - 2n]);
    expect(a.neg().abs().tolist()).toEqual(a.tolist());
    expect([a.argmax().item(), a.argmin().item()]).toEqual([2, 1]); // 2^60 + 1 and 2^60 + 2 are one float32
    const m = torch.max(a.view(1, 3), 1);
    expect([m[0].tolist(), m[1].tolist()]).toEqual([[2n ** 60n + 2n], [2]]);
    expect(torch.tensor([[3, 1], [1, 3]], L).argmax(1).tolist()).toEqual([0, 1]);
    expect(a.clamp(4, 2 ** 61).tolist()).toEqual([2n ** 60n + 1n, 4, 2n ** 60n + 2n]);
    // index_add of integers keeps the dtype and every bit (it had returned float32)
    const x = torch.tensor([2n ** 60n, 1n, 2n]);
    const added = x.index_add(0, torch.tensor([0, 0, 2], L), torch.tensor([1n, 2n, 5n]));
    expect([added.dtype, added.tolist()]).toEqual(['int64', [2n ** 60n + 3n, 1, 7]]);
    expect(torch.index_put(x, [torch.tensor([0], L)], torch.tensor([1n]), true).tolist()).toEqual([2n ** 60n + 1n, 1, 2]);
    expect(x.index_add(0, torch.tensor([1], L), torch.tensor([3n]), { alpha: 2 }).tolist()).toEqual([2n ** 60n, 7, 2]);
    expect(torch.tensor([1, 2], { dtype: torch.int32 }).index_add(0, torch.tensor([1], L), torch.tensor([3], { dtype: torch.int32 })).dtype).toBe('int32');
  });

  it("division rounded toward zero or -inf is exact for integers (PyTorch 2.13's values, MIN / -1 wrapping)", () => {
    const a = torch.tensor([7n, -7n, 2n ** 60n + 1n, -(2n ** 63n)]);
    expect(a.div(2, { rounding_mode: 'floor' }).tolist()).toEqual([3, -4, 576460752303423488n, -4611686018427387904n]);
    expect(a.div(2, { rounding_mode: 'trunc' }).tolist()).toEqual([3, -3, 576460752303423488n, -4611686018427387904n]);
    expect(a.div(-1, { rounding_mode: 'floor' }).tolist()).toEqual([-7, 7, -1152921504606846977n, -9223372036854775808n]);
    const L = { dtype: torch.long };
    expect(torch.tensor([7, -7], L).div(torch.tensor([-2, 2], L), { rounding_mode: 'floor' }).tolist()).toEqual([-4, -4]);
  });

  it("integer powers are exact and wrap, as PyTorch 2.13's; sorting orders int64 past 2^53 exactly", () => {
    const L = { dtype: torch.long };
    expect(torch.tensor([3, -2, 7], L).pow(2).tolist()).toEqual([9, 4, 49]);
    expect(torch.tensor([3], L).pow(41).item()).toBe(-420491770248316829n);
    expect(torch.tensor([2], L).pow(torch.tensor([0, 1, 62, 63, 64], L)).tolist()).toEqual([1, 2, 2n ** 62n, -(2n ** 63n), 0]);
    expect(torch.tensor([1, -1, 3, -1, 2], L).pow(torch.tensor([-1, -1, -1, -2, -3], L)).tolist()).toEqual([1, -1, 0, 1, 0]);
    expect(() => torch.tensor([3], L).pow(-1)).toThrow('Integers to negative integer powers are not allowed.');
    expect(torch.tensor([3], L).pow(2.5).dtype).toBe('float32');
    const s = torch.sort(torch.tensor([2n ** 60n + 2n, 2n ** 60n + 1n, -3n]));
    expect([s[0].tolist(), s[1].tolist()]).toEqual([[-3, 2n ** 60n + 1n, 2n ** 60n + 2n], [2, 1, 0]]);
  });

  it('indices past int32 are out of range, not wrapped into it', () => {
    const w = torch.randn(4, 2);
    expect(() => F.embedding(torch.tensor([2n ** 32n + 1n]), w)).toThrow(/index out of range in self/);
    expect(() => torch.gather(torch.randn(3), 0, torch.tensor([-(2n ** 32n)]))).toThrow(/out of bounds/);
    expect(() => F.nll_loss(torch.randn(1, 3), torch.tensor([2n ** 32n]))).toThrow();
    expect(F.embedding(torch.tensor([3, 0], { dtype: torch.int32 }), w).tolist()).toEqual([w.select(0, 3).tolist(), w.select(0, 0).tolist()]);
  });
});
