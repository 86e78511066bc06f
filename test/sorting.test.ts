// sort, argsort, topk, one_hot, multinomial against plain JS and their gradients.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { gradcheck, sample } from './helpers/gradcheck.js';

const F = torch.nn.functional;

describe('sorting and selection', () => {
  it('sort: values and indices along a dim, ascending and descending, stable', () => {
    const x = torch.tensor([[3, 1, 2, 1], [0, -1, 5, 4]]);
    const [v, i] = torch.sort(x, 1);
    expect(v.tolist()).toEqual([[1, 1, 2, 3], [-1, 0, 4, 5]]);
    expect(i.tolist()).toEqual([[1, 3, 2, 0], [1, 0, 3, 2]]);
    const d = x.sort({ dim: 0, descending: true });
    expect(d.values.tolist()).toEqual([[3, 1, 5, 4], [0, -1, 2, 1]]);
    expect(d.indices.dtype).toBe('int64');
    expect(torch.argsort(x, 1, true).tolist()).toEqual([[0, 2, 1, 3], [2, 3, 0, 1]]);
  });

  it('topk: the k largest (or smallest) with their indices', () => {
    const x = torch.tensor([1, 9, 3, 7, 5]);
    const [v, i] = torch.topk(x, 3);
    expect(v.tolist()).toEqual([9, 7, 5]);
    expect(i.tolist()).toEqual([1, 3, 4]);
    expect(x.topk(2, { largest: false }).values.tolist()).toEqual([1, 3]);
    expect(() => x.topk(6)).toThrow('selected index k out of range');
  });

  it('gradients flow to the picked elements', () => {
    expect(gradcheck((x) => torch.sort(x, 1)[0].mul(sample([3, 4], 2)), [sample([3, 4], 1)])).toBeNull();
    expect(gradcheck((x) => torch.topk(x, 2, 0)[0], [sample([5, 3], 3)])).toBeNull();
  });

  it('one_hot', () => {
    expect(F.one_hot(torch.tensor([0, 2, 1], { dtype: torch.long })).tolist()).toEqual([[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
    expect(F.one_hot(torch.tensor([1], { dtype: torch.long }), 4).shape).toEqual([1, 4]);
    expect(() => F.one_hot(torch.tensor([3], { dtype: torch.long }), 3)).toThrow('Class values must be smaller than num_classes.');
    expect(() => F.one_hot(torch.tensor([1.5]))).toThrow('one_hot is only applicable to index tensor of type LongTensor.');
  });

  it('multinomial: seeded, follows the probabilities, no repeats without replacement', () => {
    torch.manual_seed(11);
    const a = torch.multinomial(torch.tensor([0.1, 0.0, 0.9]), 1000, true).tolist() as number[];
    torch.manual_seed(11);
    expect(torch.multinomial(torch.tensor([0.1, 0.0, 0.9]), 1000, true).tolist()).toEqual(a);
    expect(a.includes(1)).toBe(false);
    const frac2 = a.filter((v) => v === 2).length / 1000;
    expect(frac2).toBeGreaterThan(0.85);
    expect(frac2).toBeLessThan(0.95);
    const noRep = torch.multinomial(torch.tensor([[1, 1, 1, 1]]), 4).tolist() as number[][];
    expect([...noRep[0]].sort()).toEqual([0, 1, 2, 3]);
    expect(() => torch.multinomial(torch.tensor([1, 1]), 3)).toThrow('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  });
});
