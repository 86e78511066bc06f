// Losses against plain JS references of PyTorch's documented formulas, and
// their gradients against central differences.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';
import { allclose } from './helpers/fixtures.js';

const { nn } = torch;
const F = torch.nn.functional;
const long = (v: number[]) => torch.tensor(v, { dtype: torch.long });
const rows = (t: torch.Tensor) => t.tolist() as number[][];

/** log_softmax of one row, in double precision. */
function logSoftmax(row: number[]): number[] {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
}

/** PyTorch's cross_entropy for class indices, per its documentation (weight, ignore_index, label_smoothing). */
function crossEntropyRef(x: number[][], t: number[], opts: { weight?: number[]; ignore?: number; eps?: number; reduction?: string } = {}): number | number[] {
  const C = x[0].length, eps = opts.eps ?? 0, ignore = opts.ignore ?? -100;
  const w = opts.weight ?? new Array(C).fill(1);
  const nll: number[] = [], smooth: number[] = [], weights: number[] = [];
  x.forEach((row, i) => {
    const lp = logSoftmax(row);
    const ignored = t[i] === ignore;
    nll.push(ignored ? 0 : -w[t[i]] * lp[t[i]]);
    smooth.push(ignored ? 0 : -lp.reduce((s, v, c) => s + w[c] * v, 0));
    weights.push(ignored ? 0 : w[t[i]]);
  });
  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);
  if (opts.reduction === 'none') return nll.map((v, i) => (1 - eps) * v + (eps / C) * smooth[i]);
  if (opts.reduction === 'sum') return (1 - eps) * sum(nll) + (eps / C) * sum(smooth);
  // mean: nll over the summed weights; the smoothing term too when weighted, else over all samples
  const smoothMean = opts.weight ? sum(smooth) / sum(weights) : sum(smooth) / x.length;
  return (1 - eps) * (sum(nll) / sum(weights)) + (eps / C) * smoothMean;
}

const x = sample([5, 4], 1);
const target = [2, 0, 3, 3, 1];
const weight = [0.5, 2, 1, 1.5];

describe('cross_entropy and nll_loss', () => {
  const cases: [string, torch.nn.functional.CrossEntropyOptions, Parameters<typeof crossEntropyRef>[2]][] = [
    ['mean', {}, {}],
    ['sum', { reduction: 'sum' }, { reduction: 'sum' }],
    ['none', { reduction: 'none' }, { reduction: 'none' }],
    ['weight', { weight: torch.tensor(weight) }, { weight }],
    ['ignore_index', { ignore_index: 3 }, { ignore: 3 }],
    ['label_smoothing', { label_smoothing: 0.1 }, { eps: 0.1 }],
    ['weight + label_smoothing + ignore_index', { weight: torch.tensor(weight), label_smoothing: 0.2, ignore_index: 0 }, { weight, eps: 0.2, ignore: 0 }],
    ['none + weight', { weight: torch.tensor(weight), reduction: 'none' }, { weight, reduction: 'none' }],
  ];
  for (const [name, opts, ref] of cases) {
    it(name, () => {
      const out = F.cross_entropy(x, long(target), opts);
      const expected = crossEntropyRef(rows(x), target, ref);
      expect(allclose(Array.from(out.dataSync()), Array.isArray(expected) ? expected : [expected], 1e-5, 1e-6)).toBeNull();
      expect(gradcheck((a) => F.cross_entropy(a, long(target), opts), [x])).toBeNull();
    });
  }

  it('class-probability targets, with label smoothing and weights', () => {
    const p = torch.softmax(sample([5, 4], 2), 1);
    const pr = rows(p);
    for (const [eps, w] of [[0, null], [0.1, weight]] as const) {
      const out = F.cross_entropy(x, p, { label_smoothing: eps, weight: w ? torch.tensor(w) : null });
      let total = 0;
      rows(x).forEach((row, i) => {
        const lp = logSoftmax(row);
        lp.forEach((v, c) => (total -= (w ? w[c] : 1) * (pr[i][c] * (1 - eps) + eps / 4) * v));
      });
      expect(out.item()).toBeCloseTo(total / 5, 5);
    }
    expect(gradcheck((a, b) => F.cross_entropy(a, b), [x, p])).toBeNull();
  });

  it('spatial targets [N, C, d] and the 1-d single-sample form', () => {
    const x3 = sample([2, 3, 4], 3);
    const t3 = long([0, 1, 2, 1, 2, 2, 0, 0]).reshape(2, 4);
    const moved = x3.permute(0, 2, 1).reshape(8, 3);
    expect(F.cross_entropy(x3, t3).item()).toBeCloseTo(F.cross_entropy(moved, t3.reshape(-1)).item(), 6);
    expect(F.cross_entropy(x.select(0, 0), long([2]).reshape([])).item()).toBeCloseTo(-logSoftmax(rows(x)[0])[2], 5);
  });

  it('nll_loss with weights and ignore_index', () => {
    const lp = x.log_softmax(1);
    const out = F.nll_loss(lp, long([2, 0, -100, 3, 1]), { weight: torch.tensor(weight) });
    const expected = crossEntropyRef(rows(x), [2, 0, -100, 3, 1], { weight });
    expect(out.item()).toBeCloseTo(expected as number, 5);
    expect(new nn.NLLLoss({ ignore_index: 1 }).forward(lp, long(target)).item())
      .toBeCloseTo(crossEntropyRef(rows(x), target, { ignore: 1 }) as number, 5);
  });

  it('CrossEntropyLoss module passes its options', () => {
    const loss = new nn.CrossEntropyLoss({ label_smoothing: 0.1, reduction: 'sum' });
    expect(loss.forward(x, long(target)).item()).toBeCloseTo(crossEntropyRef(rows(x), target, { eps: 0.1, reduction: 'sum' }) as number, 4);
  });

  it('targets out of range are errors, not reads of other memory', () => {
    expect(() => F.cross_entropy(x, long([0, 1, 2, 3, 10]))).toThrow('Target 10 is out of bounds.');
    expect(() => F.cross_entropy(x, long([0, 1, 2, -1, 0]))).toThrow('Target -1 is out of bounds.');
    expect(() => F.nll_loss(x, long([0, 1, 2, 4, 0]))).toThrow('Target 4 is out of bounds.');
    expect(() => F.cross_entropy(x, torch.tensor([0, 1, 2, 3, 0]))).toThrow('expected scalar type Long but found Float');
    expect(() => F.cross_entropy(x, long([0, 1]))).toThrow('Expected input batch_size (5) to match target batch_size (2).');
    expect(() => F.cross_entropy(x, long(target), { label_smoothing: 1.5 })).toThrow('label_smoothing must be between 0.0 and 1.0. Got: 1.5');
  });
});

describe('regression and binary losses', () => {
  const a = sample([4, 3], 4), b = sample([4, 3], 5);
  const pairs = () => rows(a).flat().map((v, i) => [v, rows(b).flat()[i]]);

  it('HuberLoss and SmoothL1Loss(beta)', () => {
    const huber = (d: number, delta: number) => (Math.abs(d) < delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta));
    const smooth = (d: number, beta: number) => (Math.abs(d) < beta ? (0.5 * d * d) / beta : Math.abs(d) - 0.5 * beta);
    const mean = (f: (d: number) => number) => pairs().reduce((s, [u, v]) => s + f(u - v), 0) / 12;
    expect(new nn.HuberLoss({ delta: 0.7 }).forward(a, b).item()).toBeCloseTo(mean((d) => huber(d, 0.7)), 5);
    expect(new nn.SmoothL1Loss({ beta: 0.5 }).forward(a, b).item()).toBeCloseTo(mean((d) => smooth(d, 0.5)), 5);
    expect(gradcheck((u, v) => F.huber_loss(u, v, { delta: 0.7 }), [a, b])).toBeNull();
  });

  it('BCEWithLogitsLoss(pos_weight) and BCELoss(weight)', () => {
    const t = torch.tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]);
    const pw = [2, 0.5, 1];
    const tr = rows(t);
    let total = 0;
    rows(a).forEach((row, i) => row.forEach((v, c) => {
      const s = 1 / (1 + Math.exp(-v));
      total -= pw[c] * tr[i][c] * Math.log(s) + (1 - tr[i][c]) * Math.log(1 - s);
    }));
    expect(new nn.BCEWithLogitsLoss({ pos_weight: torch.tensor(pw) }).forward(a, t).item()).toBeCloseTo(total / 12, 5);
    const w = torch.tensor([1, 2, 3]);
    let wb = 0;
    rows(a).forEach((row, i) => row.forEach((v, c) => {
      const s = 1 / (1 + Math.exp(-v));
      wb -= (c + 1) * (tr[i][c] * Math.log(s) + (1 - tr[i][c]) * Math.log(1 - s));
    }));
    expect(new nn.BCELoss({ weight: w, reduction: 'sum' }).forward(a.sigmoid(), t).item()).toBeCloseTo(wb, 4);
    expect(gradcheck((u) => F.binary_cross_entropy_with_logits(u, t, { pos_weight: torch.tensor(pw) }), [a])).toBeNull();
  });
});

describe('review regressions', () => {
  it('fused cross_entropy: survives tidy, detects an in-place change of the target, differentiates twice', () => {
    const x = sample([2, 3], 20).requires_grad_();
    const t = torch.tensor([0, 2], { dtype: torch.long });
    const loss = torch.tidy(() => F.cross_entropy(x, t));
    loss.backward();
    expect(x.grad!.shape).toEqual([2, 3]);
    const t2 = torch.tensor([0, 2], { dtype: torch.long });
    const l2 = F.cross_entropy(x, t2);
    t2.fill_(1);
    expect(() => l2.backward()).toThrow('modified by an inplace operation');
    expect(gradcheck((z) => {
      const [g] = torch.autograd.grad(F.cross_entropy(z, t), z, null, { create_graph: true });
      return g.mul(g).sum();
    }, [sample([2, 3], 21)])).toBeNull();
  });

  it('binary_cross_entropy_with_logits: gradient sigmoid(x) - t at x = 0', () => {
    const x = torch.zeros([2], { requires_grad: true });
    F.binary_cross_entropy_with_logits(x, torch.tensor([1, 0]), { reduction: 'sum' }).backward();
    expect(x.grad!.tolist()).toEqual([-0.5, 0.5]);
  });

  it('label smoothing with ignore_index averages over the targets not ignored', () => {
    const x = torch.tensor([[1, 2, 3], [1, 0, -1], [0.5, 0.5, 0]]);
    const out = F.cross_entropy(x, torch.tensor([2, -100, 0], { dtype: torch.long }), { label_smoothing: 0.1 });
    const rows = [[1, 2, 3], [0.5, 0.5, 0]].map(logSoftmax);
    const nll = (-rows[0][2] - rows[1][0]) / 2;
    const smooth = (-rows[0].reduce((a, b) => a + b) - rows[1].reduce((a, b) => a + b)) / 2;
    expect(out.item()).toBeCloseTo(0.9 * nll + (0.1 / 3) * smooth, 5);
  });

  it('bad loss arguments', () => {
    const a = torch.zeros(3), b = torch.zeros(3);
    expect(() => F.smooth_l1_loss(a, b, { beta: -1 })).toThrow('smooth_l1_loss does not support negative values for beta.');
    expect(() => F.huber_loss(a, b, { delta: 0 })).toThrow('huber_loss does not support non-positive values for delta.');
  });
});
