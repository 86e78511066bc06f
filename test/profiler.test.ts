// torch.profiler: per-kernel call counts and times, the table, and that the
// timing wrappers exist only while a profile is being taken.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { K, kernels, activeKernels } from '../src/backend/wasm.js';

const F = torch.nn.functional;
const { profile, record_function } = torch.profiler;

/** key -> count of a profile, for exact comparisons. */
function counts(prof: torch.profiler.Profile): Record<string, number> {
  return Object.fromEntries(prof.key_averages().map((r) => [r.key, r.count]));
}

/** The kernel functions currently in K that are not the active build's own. */
function wrapped(): string[] {
  const own = activeKernels().fn as unknown as Record<string, unknown>;
  const k = K as unknown as Record<string, unknown>;
  return Object.keys(k).filter((name) => k[name] !== own[name]);
}

/** Parses a table's body: [name, calls, total ms, avg ms, percent] per row. */
function parseTable(text: string): { name: string; calls: number; total: number; avg: number; percent: number }[] {
  const lines = text.split('\n');
  const rules = lines.flatMap((l, i) => (/^-+( +-+)+$/.test(l) ? [i] : []));
  expect(rules.length).toBe(3);
  const ms = (s: string) => {
    const m = /^([\d.]+)(us|ms|s)$/.exec(s)!;
    expect(m).not.toBeNull();
    return Number(m[1]) * { us: 1e-3, ms: 1, s: 1e3 }[m[2] as 'us' | 'ms' | 's'];
  };
  return lines.slice(rules[1] + 1, rules[2]).map((l) => {
    const cells = l.trim().split(/ {2,}/);
    expect(cells.length).toBe(5);
    return { name: cells[0], calls: Number(cells[1]), total: ms(cells[2]), avg: ms(cells[3]), percent: Number(cells[4].replace('%', '')) };
  });
}

describe('torch.profiler', () => {
  const a = torch.randn([8, 5]);
  const b = torch.randn([5, 7]);
  const c = torch.randn([7, 3]);

  it('K is a plain mutable object holding the module\'s own functions when not profiling', () => {
    expect(Object.isFrozen(kernels.fn)).toBe(true);
    expect(Object.isFrozen(K)).toBe(false);
    const own = activeKernels().fn as unknown as Record<string, unknown>;
    const fns = Object.keys(own).filter((n) => typeof own[n] === 'function');
    expect(Object.keys(K).sort()).toEqual(fns.sort());
    expect(fns).toContain('gemm');
    expect(wrapped()).toEqual([]);
  });

  it('counts exactly: 3 matmuls are 3 gemm calls and nothing else', () => {
    let during: string[] = [];
    const prof = profile(() => {
      const x = a.matmul(b);
      x.matmul(c);
      torch.mm(a, b);
      during = wrapped();
    });
    expect(counts(prof)).toEqual({ gemm: 3 });
    expect(during.sort()).toEqual(Object.keys(K).sort()); // every kernel was wrapped while profiling
    expect(wrapped()).toEqual([]);
    const [row] = prof.key_averages();
    expect(row.cpu_time_total).toBeGreaterThan(0);
    expect(row.cpu_time_avg).toBeCloseTo(row.cpu_time_total / 3, 12);
    expect(row.cpu_time).toBe(row.cpu_time_avg);
    expect(row.self_cpu_time_total).toBe(row.cpu_time_total);
  });

  it('names op-coded kernels by their op: sigmoid, add, maximum, amax, argmax, softmax, log_softmax', () => {
    expect(counts(profile(() => a.sigmoid()))).toEqual({ sigmoid: 1 });
    const prof = profile(() => {
      a.add(a);
      a.add(1);
      torch.maximum(a, a);
      torch.amax(a, 1);
      torch.argmax(a, 1);
      torch.argmin(a, 1);
      torch.softmax(a, 1);
      torch.log_softmax(a, 1);
      a.exp();
    });
    expect(counts(prof)).toEqual({ add: 2, maximum: 1, amax: 1, argmax: 1, argmin: 1, softmax: 1, log_softmax: 1, exp: 1 });
  });

  it('marks kernels called by backward with " (backward)"', () => {
    const w = torch.randn([5, 7], { requires_grad: true });
    const x = torch.randn([8, 5], { requires_grad: true });
    const prof = profile(() => x.matmul(w).sum().backward());
    // forward: one gemm and the sum; the implicit ones_like gradient; backward: dX = g·Wᵀ and dW = Xᵀ·g
    expect(counts(prof)).toEqual({ gemm: 1, sum: 1, fill: 1, 'gemm (backward)': 2 });
    expect(x.grad!.shape).toEqual([8, 5]);
    expect(w.grad!.shape).toEqual([5, 7]);
  });

  it('leaves the backward mark off after a backward that throws', () => {
    const x = torch.randn([3], { requires_grad: true });
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time/);
    expect(counts(profile(() => x.detach().exp()))).toEqual({ exp: 1 });
  });

  it('counts a training step: one fused optimizer update per parameter', () => {
    torch.manual_seed(0);
    const model = new torch.nn.Linear(5, 2);
    const optimizer = new torch.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.5 });
    const target = torch.zeros([8, 2]);
    const step = () => {
      optimizer.zero_grad();
      F.mse_loss(model.forward(a), target).backward();
      optimizer.step();
    };
    step();
    const prof = profile(step);
    const n = counts(prof);
    expect(n.sgd_step).toBe(2);
    expect(n.gemm).toBe(1); // x·Wᵀ
    expect(n['gemm (backward)']).toBe(1); // dW only: the input needs no gradient
    expect(Object.keys(n).filter((k) => k.endsWith('(backward)')).length).toBeGreaterThan(2);
  });

  it('table: sorted by sort_by, row_limit respected, values match key_averages()', () => {
    const big = torch.randn([96, 96]);
    const prof = profile(() => {
      for (let i = 0; i < 3; i++) big.matmul(big);
      for (let i = 0; i < 10; i++) a.add(a);
      for (let i = 0; i < 5; i++) a.mul(a);
      a.sigmoid();
    });
    expect(counts(prof)).toEqual({ gemm: 3, add: 10, mul: 5, sigmoid: 1 });
    const rows = prof.key_averages();

    const byCount = parseTable(prof.key_averages().table({ sort_by: 'count' }));
    expect(byCount.map((r) => [r.name, r.calls])).toEqual([['add', 10], ['mul', 5], ['gemm', 3], ['sigmoid', 1]]);

    const byTotal = parseTable(rows.table({ sort_by: 'cpu_time_total' }));
    const expected = [...rows].sort((x, y) => y.cpu_time_total - x.cpu_time_total);
    expect(byTotal.map((r) => r.name)).toEqual(expected.map((r) => r.key));
    for (let i = 0; i < byTotal.length; i++) {
      expect(byTotal[i].calls).toBe(expected[i].count);
      expect(Math.abs(byTotal[i].total - expected[i].cpu_time_total)).toBeLessThan(1e-3 * Math.max(1, expected[i].cpu_time_total));
      expect(Math.abs(byTotal[i].avg - expected[i].cpu_time_avg)).toBeLessThan(1e-3 * Math.max(1, expected[i].cpu_time_avg));
      expect(byTotal[i].percent).toBeCloseTo(expected[i].self_cpu_percent, 2);
      if (i > 0) expect(byTotal[i].total).toBeLessThanOrEqual(byTotal[i - 1].total + 1e-6);
    }
    // the default order is cpu_time_total too
    expect(parseTable(rows.table()).map((r) => r.name)).toEqual(byTotal.map((r) => r.name));

    const byAvg = parseTable(rows.table({ sort_by: 'cpu_time_avg' }));
    expect(byAvg.map((r) => r.name)).toEqual([...rows].sort((x, y) => y.cpu_time_avg - x.cpu_time_avg).map((r) => r.key));
    expect(parseTable(rows.table({ sort_by: 'key' })).map((r) => r.name)).toEqual(['add', 'gemm', 'mul', 'sigmoid']);

    const limited = rows.table({ sort_by: 'count', row_limit: 2 });
    expect(parseTable(limited).map((r) => r.name)).toEqual(['add', 'mul']);
    expect(limited).toContain('(2 more rows not shown: row_limit 2)');
    expect(parseTable(rows.table({ row_limit: 0 })).length).toBe(4);
    expect(parseTable(rows.table({ row_limit: 4 })).length).toBe(4);

    const header = limited.split('\n')[1];
    expect(header.trim().split(/ {2,}/)).toEqual(['Name', '# of Calls', 'CPU total', 'CPU avg', '% of total']);
    // @ts-expect-error an unknown column
    expect(() => rows.table({ sort_by: 'cuda_time' })).toThrow(/sort_by must be one of 'cpu_time_total'.*got 'cuda_time'/);
  });

  it('totals add up: rows sum to the kernel time, kernel time <= wall time, the rest is JS overhead', () => {
    const big = torch.randn([128, 128]);
    const t0 = performance.now();
    const prof = profile(() => {
      for (let i = 0; i < 4; i++) big.matmul(big).relu().sum();
    });
    const outside = performance.now() - t0;
    const rows = prof.key_averages();
    expect(counts(prof)).toEqual({ gemm: 4, relu: 4, sum: 4 });
    const sum = rows.reduce((s, r) => s + r.cpu_time_total, 0);
    expect(prof.kernel_time).toBeGreaterThan(0);
    expect(sum).toBeCloseTo(prof.kernel_time, 9);
    expect(rows.kernel_time).toBe(prof.kernel_time);
    expect(rows.wall_time).toBe(prof.wall_time);
    expect(prof.kernel_time).toBeLessThanOrEqual(prof.wall_time);
    expect(prof.wall_time).toBeLessThanOrEqual(outside);
    expect(prof.overhead_time).toBeCloseTo(prof.wall_time - prof.kernel_time, 9);
    const percents = rows.reduce((s, r) => s + r.self_cpu_percent, 0) + (100 * prof.overhead_time) / prof.wall_time;
    expect(percents).toBeCloseTo(100, 9);

    const last = prof.table().trimEnd().split('\n').at(-1)!;
    const m = /^Profiled time: ([\d.]+)(us|ms) = kernels ([\d.]+)(us|ms) \(([\d.]+)%\) \+ JS overhead ([\d.]+)(us|ms) \(([\d.]+)%\)$/.exec(last);
    expect(m).not.toBeNull();
    const ms = (v: string, u: string) => Number(v) * (u === 'us' ? 1e-3 : 1);
    expect(ms(m![1], m![2])).toBeCloseTo(prof.wall_time, 2);
    expect(ms(m![3], m![4])).toBeCloseTo(prof.kernel_time, 2);
    expect(ms(m![6], m![7])).toBeCloseTo(prof.overhead_time, 2);
    expect(Number(m![5]) + Number(m![8])).toBeCloseTo(100, 1);
  });

  it('restores the original kernels after fn throws, and rethrows the same error', () => {
    const boom = new Error('boom');
    let during = 0;
    expect(() => profile(() => {
      a.sigmoid();
      during = wrapped().length;
      throw boom;
    })).toThrow(boom);
    expect(during).toBe(Object.keys(K).length);
    expect(wrapped()).toEqual([]);
    // a kernel that fails inside the wasm (a bad index) is booked, and the wrappers still go away
    expect(() => profile(() => torch.index_select(a, 0, torch.tensor([99], { dtype: torch.long })))).toThrow(/index/i);
    expect(wrapped()).toEqual([]);
    // and the next profile starts clean
    expect(counts(profile(() => a.exp()))).toEqual({ exp: 1 });
  });

  it('refuses to nest, with a clear error, and the outer profile is unharmed', () => {
    let inner: Error | undefined;
    const prof = profile(() => {
      a.sigmoid();
      try {
        profile(() => a.exp());
      } catch (e) {
        inner = e as Error;
      }
      a.neg();
    });
    expect(inner?.message).toBe('torch.profiler.profile: a profile is already being taken; profiles cannot be nested ' +
      '(use torch.profiler.record_function(name, fn) to label a part of the profiled code)');
    expect(counts(prof)).toEqual({ sigmoid: 1, neg: 1 });
    expect(() => profile(() => profile(() => 0))).toThrow(/profiles cannot be nested/);
    expect(wrapped()).toEqual([]);
  });

  it('record_function prefixes the kernels called inside it, nested and in backward', () => {
    const w = torch.randn([5, 7], { requires_grad: true });
    let returned: torch.Tensor | undefined;
    const prof = profile(() => {
      record_function('step', () => {
        returned = record_function('forward', () => a.matmul(w).sigmoid().sum());
        record_function('backward', () => returned!.backward());
      });
      a.exp();
    });
    expect(returned).toBeInstanceOf(torch.Tensor);
    expect(counts(prof)).toEqual({
      'step/forward/gemm': 1, 'step/forward/sigmoid': 1, 'step/forward/sum': 1,
      'step/backward/fill': 1, // the implicit ones_like gradient, made before the graph is walked
      'step/backward/sub (backward)': 1, 'step/backward/mul (backward)': 2, 'step/backward/gemm (backward)': 1,
      exp: 1,
    });
    // a label is removed when fn throws, and outside a profile record_function only runs fn
    expect(() => profile(() => record_function('bad', () => { throw new Error('x'); }))).toThrow('x');
    expect(counts(profile(() => a.exp()))).toEqual({ exp: 1 });
    expect(record_function('idle', () => 42)).toBe(42);
    expect(() => record_function('', () => 0)).toThrow(/non-empty string/);
  });

  it('accepts an async fn: a Promise<Profile> that times kernels until the promise settles', async () => {
    const pending = profile(async () => {
      a.sigmoid();
      await new Promise((r) => setTimeout(r, 5));
      await record_function('later', async () => {
        await Promise.resolve();
        a.exp();
      });
    });
    expect(pending).toBeInstanceOf(Promise);
    expect(wrapped().length).toBe(Object.keys(K).length); // still profiling while fn awaits
    const prof = await pending;
    expect(prof).toBeInstanceOf(torch.profiler.Profile);
    expect(counts(prof)).toEqual({ sigmoid: 1, 'later/exp': 1 });
    expect(prof.wall_time).toBeGreaterThanOrEqual(4);
    expect(wrapped()).toEqual([]);

    await expect(profile(async () => {
      a.exp();
      await Promise.resolve();
      throw new Error('async boom');
    })).rejects.toThrow('async boom');
    expect(wrapped()).toEqual([]);
    expect(counts(profile(() => a.neg()))).toEqual({ neg: 1 });
  });
});
