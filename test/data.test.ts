// torch.utils.data: datasets, DataLoader batching and PyTorch's shuffle
// order, default_collate, random_split, and the CSV helpers on examples/data.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import * as torch from '../src/index.js';
import * as data from '../src/data/index.js';
import { loadCsv, readText } from '../src/data/node.js';
import { dataDir, loadFixture, toTensor, allclose, type FixtureTensor } from './helpers/fixtures.js';

const { nn, optim } = torch;
const { DataLoader, TensorDataset, Subset, Dataset, random_split, default_collate } = data;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** all indices a loader over range(n) visits, in order */
const order = (loader: Iterable<torch.Tensor>) => [...loader].flatMap((b) => b.tolist() as number[]);

// PyTorch's shuffle orders, worked out from its source (torch/utils/data
// sampler.py and dataloader.py, ATen's random_/randperm on the CPU generator)
// and the MT19937 stream computed independently (numpy's legacy MT19937,
// which seeds as std::mt19937 does):
//   iter(loader) draws _base_seed = random64() % 2^63 from loader.generator or
//   the default generator; RandomSampler.__iter__ without a generator draws
//   seed the same way, then randperm(n) from Generator().manual_seed(seed);
//   randperm(n) swaps i with i + random() % (n - i).
const SEED0_EPOCH1 = [6, 7, 1, 4, 2, 0, 9, 8, 3, 5];
const SEED0_EPOCH2 = [2, 4, 7, 0, 8, 9, 5, 3, 6, 1];
const SEED0_SAMPLER_ONLY = [6, 9, 0, 7, 3, 5, 4, 2, 1, 8];
// mt19937(0) outputs 3, 4, 5 (the first two are 2357136044, 2546248239)
const MT0 = [2357136044, 2546248239, 3071714933, 3626093760, 2588848963];
// with generator=Generator().manual_seed(42): base seed, randperm, and the
// extra randperm RandomSampler draws when exhausted (n % n == 0 samples)
const GEN42_EPOCH1 = [6, 5, 4, 0, 8, 9, 2, 1, 3, 7];
const GEN42_EPOCH2 = [3, 6, 5, 8, 9, 4, 2, 0, 7, 1];
const GEN42_RANDPERM10 = [2, 6, 1, 8, 4, 5, 0, 9, 3, 7];

describe('TensorDataset', () => {
  it('indexes every tensor along the first dimension', () => {
    const x = torch.tensor([[0, 1], [2, 3], [4, 5]]);
    const y = torch.tensor([7, 8, 9], { dtype: torch.int64 });
    const ds = new TensorDataset(x, y);
    expect(ds.len()).toBe(3);
    const [xi, yi] = ds.getitem(1);
    expect(xi.tolist()).toEqual([2, 3]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(8);
    expect(ds.getitem(-1)[0].tolist()).toEqual([4, 5]);
    expect(ds.tensors.length).toBe(2);
  });

  it('rejects tensors of different first sizes with PyTorch\'s message', () => {
    expect(() => new TensorDataset(torch.zeros(3, 2), torch.zeros(4))).toThrow('Size mismatch between tensors');
    expect(() => new TensorDataset(torch.zeros(3, 2)).getitem(3)).toThrow();
  });
});

describe('DataLoader batching', () => {
  const ds = new TensorDataset(torch.arange(10).reshape(10, 1).to(torch.float32), torch.arange(10));

  it('batches in order, the last batch smaller; len counts batches', () => {
    const loader = new DataLoader(ds, { batch_size: 4 });
    const batches = [...loader];
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 1], [4, 1], [2, 1]]);
    expect(batches.map(([, y]) => y.tolist())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[2][1].dtype).toBe('int64');
    expect(loader.len()).toBe(3);
    expect(loader.length).toBe(3);
  });

  it('drop_last drops the incomplete batch', () => {
    const loader = new DataLoader(ds, { batch_size: 4, drop_last: true });
    expect([...loader].map(([, y]) => y.tolist())).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(loader.len()).toBe(2);
    expect(new DataLoader(ds, { batch_size: 5, drop_last: true }).len()).toBe(2);
  });

  it('takes batch_size and shuffle positionally; batch_size 1 by default', () => {
    expect(new DataLoader(ds).len()).toBe(10);
    expect(new DataLoader(ds, 3).len()).toBe(4);
    expect(new DataLoader(ds, 3, false, { drop_last: true }).len()).toBe(3);
    expect([...new DataLoader(ds)][0][0].shape).toEqual([1, 1]);
  });

  it('batch_size null yields samples; custom sampler and batch_sampler', () => {
    const single = [...new DataLoader(range(3), { batch_size: null })];
    expect(single).toEqual([0, 1, 2]);
    expect(order(new DataLoader(range(5), { batch_size: 2, sampler: [4, 0, 3] }))).toEqual([4, 0, 3]);
    const bs = new DataLoader(range(5), { batch_sampler: [[1, 2], [0]] });
    expect([...bs].map((b) => b.tolist())).toEqual([[1, 2], [0]]);
    expect(() => new DataLoader(range(5), { sampler: [0], shuffle: true })).toThrow('sampler option is mutually exclusive with shuffle');
    expect(() => new DataLoader(range(5), { batch_sampler: [[0]], batch_size: 2 })).toThrow('mutually exclusive');
    expect(() => new DataLoader(range(5), { batch_size: 0 })).toThrow('batch_size should be a positive integer value, but got batch_size=0');
  });
});

describe('shuffle order', () => {
  it('after torch.manual_seed(0) a shuffled DataLoader visits range(10) in PyTorch\'s order, epoch after epoch', () => {
    torch.manual_seed(0);
    const loader = new DataLoader(range(10), { batch_size: 3, shuffle: true });
    expect(order(loader)).toEqual(SEED0_EPOCH1);
    expect(order(loader)).toEqual(SEED0_EPOCH2);
    torch.manual_seed(0);
    expect(order(new DataLoader(range(10), { batch_size: 10, shuffle: true }))).toEqual(SEED0_EPOCH1);
  });

  it('a pass takes four 32-bit draws from the default generator (two without shuffle)', () => {
    torch.manual_seed(0);
    order(new DataLoader(range(10), { batch_size: 4, shuffle: true }));
    expect(torch.randint(0, 1000, [1]).tolist()).toEqual([MT0[4] % 1000]);
    torch.manual_seed(0);
    order(new DataLoader(range(10), { batch_size: 4 }));
    expect(torch.randint(0, 1000, [1]).tolist()).toEqual([MT0[2] % 1000]);
  });

  it('RandomSampler alone after manual_seed(0)', () => {
    torch.manual_seed(0);
    expect([...new data.RandomSampler(range(10))]).toEqual(SEED0_SAMPLER_ONLY);
  });

  it('the seed is random64() % 2^63: high word first, top bit cleared', () => {
    const g = new torch.Generator().manual_seed(0);
    expect(data.randomInt64(g)).toBe((BigInt(MT0[0] & 0x7fffffff) << 32n) | BigInt(MT0[1]));
  });

  it('a generator makes the order reproducible and leaves the default generator alone', () => {
    torch.manual_seed(0);
    const loader = new DataLoader(range(10), { batch_size: 5, shuffle: true, generator: new torch.Generator().manual_seed(42) });
    expect(order(loader)).toEqual(GEN42_EPOCH1);
    expect(order(loader)).toEqual(GEN42_EPOCH2);
    expect(torch.randint(0, 1000, [1]).tolist()).toEqual([MT0[0] % 1000]);
    const again = new DataLoader(range(10), { batch_size: 5, shuffle: true, generator: new torch.Generator().manual_seed(42) });
    expect(order(again)).toEqual(GEN42_EPOCH1);
  });

  it('every index once per epoch, with a smaller last batch', () => {
    torch.manual_seed(3);
    const loader = new DataLoader(range(23), { batch_size: 5, shuffle: true });
    const batches = [...loader].map((b) => b.tolist() as number[]);
    expect(batches.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(range(23));
  });
});

describe('default_collate', () => {
  it('stacks tensors', () => {
    const b = default_collate([torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([5, 6])]);
    expect(b.shape).toEqual([3, 2]);
    expect(b.tolist()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('numbers: int64 when all are integers, else float32; booleans; strings kept', () => {
    const ints = default_collate([1, 2, 3]);
    expect(ints.dtype).toBe('int64');
    expect(ints.tolist()).toEqual([1, 2, 3]);
    const floats = default_collate([1, 2.5]);
    expect(floats.dtype).toBe('float32');
    expect(floats.tolist()).toEqual([1, 2.5]);
    expect(default_collate([true, false]).dtype).toBe('bool');
    expect(default_collate(['a', 'b'])).toEqual(['a', 'b']);
    expect(default_collate([new Float32Array([1, 2]), new Float32Array([3, 4])]).tolist()).toEqual([[1, 2], [3, 4]]);
  });

  it('collates arrays position by position and objects key by key, nested', () => {
    const [x, y, name] = default_collate([[torch.tensor([1, 2]), 0, 'a'], [torch.tensor([3, 4]), 1, 'b']]);
    expect(x.tolist()).toEqual([[1, 2], [3, 4]]);
    expect(y.tolist()).toEqual([0, 1]);
    expect(name).toEqual(['a', 'b']);
    const obj = default_collate([{ img: torch.zeros(2), meta: { id: 3, tags: ['u', 'v'] } }, { img: torch.ones(2), meta: { id: 4, tags: ['w', 'x'] } }]);
    expect(obj.img.tolist()).toEqual([[0, 0], [1, 1]]);
    expect(obj.meta.id.tolist()).toEqual([3, 4]);
    expect(obj.meta.tags).toEqual([['u', 'w'], ['v', 'x']]);
  });

  it('errors as PyTorch does', () => {
    expect(() => default_collate([[1, 2], [3]])).toThrow('each element in list of batch should be of equal size');
    expect(() => default_collate([null, null])).toThrow("default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'NoneType'>");
  });

  it('a collate_fn replaces it', () => {
    const loader = new DataLoader(['ab', 'c', 'def'], { batch_size: 2, collate_fn: (b: string[]) => b.join('+') });
    expect([...loader]).toEqual(['ab+c', 'def']);
  });
});

describe('random_split and Subset', () => {
  it('integer lengths: consecutive slices of randperm(n, generator)', () => {
    const [a, b] = random_split(range(10), [3, 7], new torch.Generator().manual_seed(42));
    expect(a.indices).toEqual(GEN42_RANDPERM10.slice(0, 3));
    expect(b.indices).toEqual(GEN42_RANDPERM10.slice(3));
    expect(a.len()).toBe(3);
    expect(b.getitem(0)).toBe(GEN42_RANDPERM10[3]);
  });

  it('fractions: floor, then the remainder one by one from the first split', () => {
    const sizes = (n: number, fr: number[]) => random_split(range(n), fr).map((s) => s.len());
    expect(sizes(11, [0.5, 0.3, 0.2])).toEqual([6, 3, 2]); // 5 + 3 + 2 = 10, one left
    expect(sizes(10, [0.33, 0.33, 0.34])).toEqual([4, 3, 3]); // 3 + 3 + 3, one left
    expect(sizes(10, [0.25, 0.75])).toEqual([3, 7]); // 2 + 7, one left
    const parts = random_split(range(11), [0.5, 0.5]);
    expect([...parts[0].indices, ...parts[1].indices].sort((x, y) => x - y)).toEqual(range(11));
  });

  it('rejects lengths that do not add up', () => {
    expect(() => random_split(range(10), [3, 5])).toThrow('Sum of input lengths does not equal the length of the input dataset!');
    expect(() => random_split(range(10), [1.5, -0.5])).toThrow('Fraction at index 0 is not between 0 and 1');
  });

  it('Subset indexes through its indices, nests, and feeds a DataLoader', () => {
    const s = new Subset(['a', 'b', 'c', 'd'], [3, 1]);
    expect(s.len()).toBe(2);
    expect(s.getitem(0)).toBe('d');
    expect(s.getitem(-1)).toBe('b');
    expect(() => s.getitem(2)).toThrow('list index out of range');
    expect(new Subset(s, [1]).getitem(0)).toBe('b');
    expect([...new DataLoader(s, { batch_size: 2 })]).toEqual([['d', 'b']]);
    const c = new data.ConcatDataset([['a', 'b'], s]);
    expect([c.len(), c.getitem(1), c.getitem(2), c.getitem(-1)]).toEqual([4, 'b', 'd', 'b']);
  });
});

describe('user datasets', () => {
  class Squares extends Dataset<[number, number]> {
    len(): number { return 5; }
    getitem(index: number): [number, number] { return [index, index * index]; }
  }

  it('a Dataset subclass with len/getitem', () => {
    const loader = new DataLoader(new Squares(), { batch_size: 2 });
    const batches = [...loader].map(([x, y]) => [x.tolist(), y.tolist()]);
    expect(batches).toEqual([[[0, 1], [0, 1]], [[2, 3], [4, 9]], [[4], [16]]]);
    expect(loader.len()).toBe(3);
  });

  it('a literal port with __getitem__/__len__, plain object or Dataset subclass', () => {
    const literal = { __len__: () => 3, __getitem__: (i: number) => ({ x: i * 0.5, label: `n${i}` }) };
    const loader = new DataLoader(literal, { batch_size: 3 });
    const [batch] = [...loader];
    expect(batch.x.tolist()).toEqual([0, 0.5, 1]);
    expect(batch.label).toEqual(['n0', 'n1', 'n2']);
    expect(loader.len()).toBe(1);

    class Port extends Dataset<number> {
      __len__(): number { return 4; }
      __getitem__(index: number): number { return 10 + index; }
    }
    const p = new Port();
    expect([p.len(), p.getitem(2)]).toEqual([4, 12]);
    expect(order(new DataLoader(p, { batch_size: 4 }))).toEqual([10, 11, 12, 13]);
  });

  it('a Dataset without getitem or len says so', () => {
    class Empty extends Dataset<number> {}
    expect(() => new Empty().getitem(0)).toThrow('must implement getitem');
    expect(() => new DataLoader(new Empty()).len()).toThrow("object of type 'Empty' has no len()");
  });
});

describe('CSV helpers', () => {
  it('parses quoted fields with commas, doubled quotes, CRLF and blank lines', () => {
    const text = '\ufeffname,lang\r\n"Jevolojnov,","Russian"\r\n"say ""hi""",x\r\n\r\n"multi\nline",\n1,2';
    expect(data.parseCsv(text)).toEqual([
      ['name', 'lang'],
      ['Jevolojnov,', 'Russian'],
      ['say "hi"', 'x'],
      ['multi\nline', ''],
      ['1', '2'],
    ]);
    expect(data.parseCsv('a;b\n', { delimiter: ';' })).toEqual([['a', 'b']]);
    expect(loadCsv('a,"b,c"\n')).toEqual([['a', 'b,c']]);
    expect(() => data.parseCsv('"open')).toThrow('unterminated');
  });

  it('reads names_train.csv.gz: 13374 name,language rows, commas inside quotes kept', () => {
    const rows = loadCsv(join(dataDir, 'names_train.csv.gz'));
    expect(rows.length).toBe(13374);
    expect(rows.every((r) => r.length === 2)).toBe(true);
    expect(rows[0]).toEqual(['Adsit', 'Czech']);
    expect(rows[5976]).toEqual(['Jevolojnov,', 'Russian']); // line 5977 of the file
    expect(rows.filter((r) => r[1] === 'Russian').length).toBe(6272);
  });

  it('reads diabetes.csv.gz: 759 rows of 8 inputs and a label', () => {
    const rows = loadCsv(join(dataDir, 'diabetes.csv.gz')).map((r) => r.map(Number));
    expect(rows.length).toBe(759);
    expect(rows.every((r) => r.length === 9)).toBe(true);
    expect(rows[0]).toEqual([-0.294118, 0.487437, 0.180328, -0.292929, 0, 0.00149028, -0.53117, -0.0333333, 0]);
    expect(rows.reduce((s, r) => s + r[8], 0)).toBe(496);
    expect(readText(join(dataDir, 'diabetes.csv.gz')).split('\n')[1]).toBe('-0.882353,-0.145729,0.0819672,-0.414141,0,-0.207153,-0.766866,-0.666667,1');
  });

  it('diabetes through TensorDataset and DataLoader(batch_size=32): 24 batches, the last of 23', () => {
    const xy = torch.tensor(loadCsv(join(dataDir, 'diabetes.csv.gz')).map((r) => r.map(Number)));
    const ds = new TensorDataset(xy.narrow(1, 0, 8), xy.narrow(1, 8, 1));
    const loader = new DataLoader(ds, { batch_size: 32, shuffle: true });
    expect(loader.len()).toBe(24);
    const sizes = [...loader].map(([x, y]) => [x.shape[0], x.shape[1], y.shape[1]]);
    expect(sizes.length).toBe(24);
    expect(sizes[23]).toEqual([23, 8, 1]);
  });
});

describe('lecture 08 (training.json diabetes_minibatch) through the DataLoader', () => {
  it('reproduces PyTorch\'s 48 minibatch losses', () => {
    interface T { name: string; init_state_dict: Record<string, FixtureTensor>; hyper: Record<string, number>; losses: number[] }
    const t = loadFixture<{ trajectories: T[] }>('training.json').trajectories.find((x) => x.name === 'diabetes_minibatch')!;
    class Model extends nn.Module {
      l1 = new nn.Linear(8, 6);
      l2 = new nn.Linear(6, 4);
      l3 = new nn.Linear(4, 1);
      forward(x: torch.Tensor): torch.Tensor {
        return this.l3.forward(this.l2.forward(this.l1.forward(x).sigmoid()).sigmoid()).sigmoid();
      }
    }
    const model = new Model();
    model.load_state_dict(Object.fromEntries(Object.entries(t.init_state_dict).map(([k, v]) => [k, toTensor(v)])));
    const xy = torch.tensor(loadCsv(join(dataDir, 'diabetes.csv.gz')).map((r) => r.map(Number)));
    const loader = new DataLoader(new TensorDataset(xy.narrow(1, 0, 8), xy.narrow(1, 8, 1)), { batch_size: t.hyper.batch_size, shuffle: false });
    const criterion = new nn.BCELoss();
    const optimizer = new optim.SGD(model.parameters(), { lr: t.hyper.lr });
    const losses: number[] = [];
    for (let epoch = 0; epoch < t.hyper.epochs; epoch++) {
      for (const [inputs, labels] of loader) {
        const loss = criterion.forward(model.forward(inputs), labels);
        losses.push(loss.item());
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
      }
    }
    expect(allclose(losses, t.losses, 1e-4, 1e-6)).toBeNull();
  });
});

describe('loadCsv errors', () => {
  it('a missing file is an error, not one row of text', () => {
    expect(() => loadCsv('no-such-file.csv.gz')).toThrow("loadCsv: no such file: 'no-such-file.csv.gz'");
  });
});
