// Python's subscript, x.get(...) for x[...] and x.set(..., v) for x[...] = v:
// every case of test/fixtures/indexing.json (PyTorch's results and gradients),
// the text spelling against the key spelling, views sharing storage,
// gradchecks, and PyTorch's errors with the library left intact after each.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture, toTensor, expectClose, type FixtureTensor } from './helpers/fixtures.js';
import { expectIntact } from './helpers/intact.js';
import { gradcheck } from './helpers/gradcheck.js';

type FixtureItem = { int?: number; slice?: (number | null)[]; none?: 1; ellipsis?: 1; bool?: boolean; list?: unknown[]; tensor?: FixtureTensor };
interface GetCase { name: string; key: FixtureItem[]; input: FixtureTensor; output: FixtureTensor; grad_output: FixtureTensor; grad: FixtureTensor }
interface SetCase extends GetCase { value: FixtureTensor | number; value_grad?: FixtureTensor }
const fixture = loadFixture<{ get: GetCase[]; set: SetCase[] }>('indexing.json');

function keyOf(item: FixtureItem): torch.IndexKey {
  if (item.int !== undefined) return item.int;
  if (item.slice) return torch.slice(...item.slice);
  if (item.none) return null;
  if (item.ellipsis) return '...';
  if (item.bool !== undefined) return item.bool;
  if (item.list) return item.list as torch.IndexKey;
  return toTensor(item.tensor!);
}

/** The same key as Python's text ('1:3, None, ...'), when every item is basic; else null. */
function textOf(key: FixtureItem[]): string | null {
  const parts: string[] = [];
  for (const item of key) {
    if (item.int !== undefined) parts.push(String(item.int));
    else if (item.slice) parts.push(item.slice.map((v) => (v === null ? '' : String(v))).join(':').replace(/:$/, ''));
    else if (item.none) parts.push('None');
    else if (item.ellipsis) parts.push('...');
    else return null;
  }
  return parts.join(', ');
}

describe('x.get(...) is x[...] (indexing.json, PyTorch 2.13)', () => {
  for (const c of fixture.get) {
    it(c.name, () => {
      const x = toTensor(c.input, true);
      const y = x.get(...c.key.map(keyOf));
      expectClose(y, c.output, 0, 0);
      y.mul(toTensor(c.grad_output)).sum().backward();
      expectClose(x.grad!, c.grad, 1e-6, 1e-7);
      const text = textOf(c.key);
      if (text !== null) expect(x.get(text).tolist()).toEqual(y.tolist());
    });
  }

  it('covers the tutorials\' spellings and every kind of key', () => {
    expect(fixture.get.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(fixture.get.flatMap((c) => c.key.map((i) => Object.keys(i)[0])));
    expect([...kinds].sort()).toEqual(['bool', 'ellipsis', 'int', 'list', 'none', 'slice', 'tensor']);
  });
});

describe('x.set(..., v) is x[...] = v (indexing.json, PyTorch 2.13)', () => {
  for (const c of fixture.set) {
    it(c.name, () => {
      const x = toTensor(c.input, true);
      const v = typeof c.value === 'number' ? c.value : toTensor(c.value, true);
      const y = x.mul(1); // a non-leaf: the assignment is recorded, as CopySlices
      const returned = y.set(...c.key.map(keyOf), v);
      expect(returned).toBe(y);
      expectClose(y, c.output, 0, 0);
      y.mul(toTensor(c.grad_output)).sum().backward();
      expectClose(x.grad!, c.grad, 1e-6, 1e-7);
      if (c.value_grad) expectClose((v as torch.Tensor).grad!, c.value_grad, 1e-6, 1e-7);
    });
  }
});

describe('subscript semantics', () => {
  it('basic keys give views sharing storage: writing through one changes x', () => {
    const x = torch.zeros(3, 4);
    const col = x.get(':', 1);
    col.fill_(7);
    expect(x.get(':', 1).tolist()).toEqual([7, 7, 7]);
    const stepped = x.get('::2', '1::2');
    expect(stepped.shape).toEqual([2, 2]);
    expect(stepped.stride()).toEqual([8, 2]);
    stepped.add_(1);
    expect(x.tolist()).toEqual([[0, 8, 0, 1], [0, 7, 0, 0], [0, 8, 0, 1]]);
  });

  it('advanced keys copy: writing into the result leaves x alone', () => {
    const x = torch.zeros(3);
    x.get([0, 1]).fill_(5);
    expect(x.tolist()).toEqual([0, 0, 0]);
  });

  it('torch.slice is Python\'s slice: slice(stop), slice(start, stop), slice(start, stop, step)', () => {
    const x = torch.arange(10);
    expect(x.get(torch.slice(3)).tolist()).toEqual([0, 1, 2]);
    expect(x.get(torch.slice(-3, null)).tolist()).toEqual([7, 8, 9]);
    expect(x.get(torch.slice(1, 8, 3)).tolist()).toEqual([1, 4, 7]);
    expect(x.get(torch.slice(null, null, 4)).tolist()).toEqual([0, 4, 8]);
    expect(String(torch.slice(1, null))).toBe('slice(1, None, None)');
  });

  it('a template string reads as Python: idx[:, -block_size:]', () => {
    const block = 3;
    const idx = torch.arange(12).reshape(2, 6);
    expect(idx.get(`:, -${block}:`).tolist()).toEqual([[3, 4, 5], [9, 10, 11]]);
    expect(idx.get('-1').tolist()).toEqual([6, 7, 8, 9, 10, 11]);
    expect(idx.get(' : , ::-0 '.replace('-0', '5')).tolist()).toEqual([[0, 5], [6, 11]]);
  });

  it('int64 values move exactly; masks and lists index int64 and bool tensors', () => {
    const big = torch.tensor([2n ** 60n + 1n, 5n, -(2n ** 62n)]);
    expect(big.get([2, 0]).tolist()).toEqual([-(2n ** 62n), 2n ** 60n + 1n]);
    expect(big.get(big.gt(0)).tolist()).toEqual([2n ** 60n + 1n, 5]);
    big.set(1, 7);
    expect(big.tolist()).toEqual([2n ** 60n + 1n, 7, -(2n ** 62n)]);
    const b = torch.tensor([true, false, true]);
    expect(b.get([2, 1]).tolist()).toEqual([true, false]);
  });

  it('an index of tensors: x[range(n), target] picks one entry a row (the NLL pattern)', () => {
    const logp = torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]);
    const target = torch.tensor([2, 0], { dtype: torch.long });
    expect(logp.get(torch.arange(2), target).tolist()).toEqual([logp.get(0, 2).item(), logp.get(1, 0).item()]);
  });

  it('gradients through get and set pass gradcheck', () => {
    const x = torch.randn([4, 5], { generator: new torch.Generator().manual_seed(3) });
    expect(gradcheck((t) => t.get('1:', [0, 3, 3]).mul(t.get(':-1', [1, 2, 4])), [x])).toBeNull();
    const v = torch.randn([3], { generator: new torch.Generator().manual_seed(4) });
    expect(gradcheck((t, val) => {
      const y = t.mul(2);
      y.set(':3', 1, val);
      y.set([0, 2], [4, 0], val.get(':2').mul(val.get('1:')));
      return y;
    }, [x, v])).toBeNull();
  });
});

describe('subscript errors (PyTorch\'s words), the library intact after each', () => {
  const x = torch.arange(24).float().reshape(2, 3, 4);
  const cases: [string, () => unknown, RegExp | string][] = [
    ['an integer past the end', () => x.get(5), 'index 5 is out of bounds for dimension 0 with size 2'],
    ['an integer past the end of the second dim', () => x.get(0, 5), 'index 5 is out of bounds for dimension 1 with size 3'],
    ['the dimension counts None', () => x.get(null, 0, 7), 'index 7 is out of bounds for dimension 2 with size 3'],
    ['too many indices', () => x.get(0, 0, 0, 0), 'too many indices for tensor of dimension 3'],
    ['a zero step', () => x.get('::0'), 'slice step cannot be zero'],
    ['a negative step', () => x.get(torch.slice(null, null, -1)), 'step must be greater than zero'],
    ['a float', () => x.get(1.5), 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)'],
    ['a float tensor', () => x.get(torch.tensor([1])), 'tensors used as indices must be long, int, byte or bool tensors'],
    ['a list of floats', () => x.get([0.5]), 'tensors used as indices must be long, int, byte or bool tensors'],
    ['a mask of the wrong shape', () => x.get(torch.tensor([true, false, true])),
      'The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3, 4] at index 0'],
    ['a mask of the wrong shape after None', () => x.get(null, torch.tensor([true, false, true, false])),
      'The shape of the mask [4] at index 0 does not match the shape of the indexed tensor [1, 2, 3, 4] at index 1'],
    ['index tensors that do not broadcast', () => x.get([0, 1], [0, 1, 2]), 'shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]'],
    ['an advanced index past the end', () => x.get(':', [5]), 'index 5 is out of bounds for dimension 0 with size 3'],
    ['the second advanced index past the end', () => x.get([1], ':', [7]), 'index 7 is out of bounds for dimension 1 with size 4'],
    ['a negative advanced index past the start', () => x.get(':', ':', [-5]), 'index -5 is out of bounds for dimension 0 with size 4'],
    ['an integer into a 0-dim tensor', () => torch.tensor(5).get(0), 'invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number'],
    ['unreadable text', () => x.get('a:b'), /cannot read the index 'a:b'/],
    ['an object', () => x.get({} as unknown as torch.IndexKey), 'only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got Object)'],
    ['a value that does not broadcast (basic)', () => x.clone().set(':', 0, torch.ones(3)),
      'The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]'],
    ['a value that does not broadcast (advanced)', () => x.clone().set(torch.tensor([0, 1], { dtype: torch.long }), torch.ones(3)),
      'shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 3, 4]'],
    ['a value that does not broadcast (mask)', () => x.clone().set(x.gt(3), torch.ones(5)),
      'shape mismatch: value tensor of shape [5] cannot be broadcast to indexing result of shape [20]'],
    ['a string value', () => x.clone().set(0, 'a' as unknown as number), "can't assign a str to a torch.FloatTensor"],
    ['a leaf that requires grad', () => torch.zeros(3, { requires_grad: true }).set(0, 1), 'a view of a leaf Variable that requires grad is being used in an in-place operation.'],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => {
      const before = x.tolist();
      expect(call).toThrow(message);
      expect(x.tolist()).toEqual(before);
      expectIntact();
    });
  }

  it('PyTorch\'s error classes: IndexError as RangeError, TypeError as TypeError', () => {
    expect(() => x.get(5)).toThrow(RangeError);
    expect(() => x.clone().set(0, 'a' as unknown as number)).toThrow(TypeError);
  });
});

describe('datasets indexed by a slice or a list, as PyTorch\'s', () => {
  const D = torch.utils.data;
  const xs = torch.arange(10).reshape(5, 2), ys = torch.arange(5);
  const ds = new D.TensorDataset(xs, ys);

  it('TensorDataset[start:end] is (x[start:end], y[start:end]); a list or mask indexes each tensor', () => {
    const [x, y] = ds.getitem(torch.slice(1, 3));
    expect(x.tolist()).toEqual([[2, 3], [4, 5]]);
    expect(y.tolist()).toEqual([1, 2]);
    expect(ds.getitem([4, 0])[1].tolist()).toEqual([4, 0]);
    expect(ds.getitem(ys.gt(2))[0].tolist()).toEqual([[6, 7], [8, 9]]);
    expect(() => ds.getitem(5)).toThrow(new RangeError('index 5 is out of bounds for dimension 0 with size 5'));
  });

  it('Subset[slice] is dataset[[indices[i] for i in range(...)]], negative steps as Python\'s lists', () => {
    const sub = new D.Subset(ds, [4, 2, 0, 1]);
    expect((sub.getitem(torch.slice(1, null)) as torch.Tensor[])[1].tolist()).toEqual([2, 0, 1]);
    expect((sub.getitem(torch.slice(null, null, -2)) as torch.Tensor[])[1].tolist()).toEqual([1, 2]);
    expect((sub.getitem([0, -1]) as torch.Tensor[])[1].tolist()).toEqual([4, 1]);
    expect(() => sub.getitem(1.5)).toThrow(new TypeError('list indices must be integers or slices, not float'));
    expect(() => new D.Subset([1, 2, 3], [0]).getitem(torch.slice(2))).toThrow(new TypeError('list indices must be integers or slices, not list'));
  });
});
