// torch.utils.data datasets: Dataset, TensorDataset, Subset, ConcatDataset,
// random_split. Browser-safe (no node: imports).
import { Tensor } from '../tensor.js';
import { randperm } from '../ops/creation.js';
import { default_generator, type Generator } from '../random.js';
import { signature, bind, pyType, type CallArgs } from '../signature.js';
import { pyBind, asKeywords } from '../pyfunction.js';

/** PyTorch's default generator is torch.default_generator itself; None stands for it here. */
const RANDOM_SPLIT = signature('random_split(Any dataset, float[] lengths, Generator? generator=None)');
// indices is a list (or a Tensor) here, so that a last options object is keywords, not the indices
const SUBSET = signature('Subset(Any dataset, int[]|Tensor indices)');
const CONCAT = signature('ConcatDataset(Any datasets)');

/**
 * What a DataLoader or Subset can index: a Dataset subclass, any object with
 * PyTorch's `__getitem__`/`__len__` (a literal port of a Python class), one
 * with `getitem`/`len`, or a plain array.
 */
export type DatasetLike<T = any> =
  | { getitem(index: number): T; len?(): number }
  | { __getitem__(index: number): T; __len__?(): number }
  | ArrayLike<T>;

type AnyDataset = Record<string, unknown> & { length?: unknown };

/** dataset[index]: `__getitem__` if the object has it, else `getitem`, else array indexing. */
export function getItem<T>(dataset: DatasetLike<T>, index: number): T {
  const d = dataset as unknown as AnyDataset;
  if (typeof d.__getitem__ === 'function') return (d.__getitem__ as (i: number) => T).call(d, index);
  if (typeof d.getitem === 'function') return (d.getitem as (i: number) => T).call(d, index);
  if (typeof d.length === 'number') {
    const i = index < 0 ? index + d.length : index; // Python's list indexing, out of range an IndexError
    if (!(i >= 0 && i < d.length)) throw new RangeError('list index out of range');
    return (dataset as ArrayLike<T>)[i];
  }
  throw new TypeError(`'${pyType(dataset)}' object is not subscriptable`);
}

/** len(dataset): `__len__` if present, else `len`, else `.length`. */
export function lengthOf(dataset: unknown): number {
  const d = dataset as AnyDataset;
  if (d != null && typeof d.__len__ === 'function') return (d.__len__ as () => number).call(d);
  if (d != null && typeof d.len === 'function') return (d.len as () => number).call(d);
  if (d != null && typeof d.length === 'number') return d.length;
  throw new TypeError(`object of type '${pyType(dataset)}' has no len()`);
}


/**
 * torch.utils.data.Dataset. Subclasses implement PyTorch's `__getitem__` and
 * `__len__`, spelled in TypeScript as
 *
 *     class MyData extends Dataset<[Tensor, Tensor]> {
 *       len(): number { return this.n; }                 // __len__
 *       getitem(index: number) { return [this.x.select(0, index), this.y.select(0, index)]; } // __getitem__
 *     }
 *
 * A literal port that defines `__getitem__`/`__len__` instead works too: the
 * defaults here forward to them, and the DataLoader calls them when present.
 */
export abstract class Dataset<T = any> {
  getitem(index: number): T {
    const f = (this as unknown as AnyDataset).__getitem__;
    if (typeof f === 'function') return (f as (i: number) => T).call(this, index);
    throw new Error(`${this.constructor.name} must implement getitem(index) (PyTorch's __getitem__)`);
  }
  len(): number {
    const f = (this as unknown as AnyDataset).__len__;
    if (typeof f === 'function') return (f as () => number).call(this);
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
}

const TENSOR_DATASET = signature('TensorDataset(Any... tensors)');

/** torch.utils.data.TensorDataset(*tensors): sample i is `[t.select(0, i) for t in tensors]`. */
export class TensorDataset extends Dataset<Tensor[]> {
  readonly tensors: Tensor[];
  constructor(...tensors: Tensor[]) {
    super();
    const [given] = bind(TENSOR_DATASET, tensors) as [unknown[]];
    // PyTorch's assert over tensor.size(0), in order (a non-tensor fails on its missing size attribute)
    for (const t of given) {
      if (!(t instanceof Tensor)) throw new TypeError(`'${pyType(t)}' object has no attribute 'size'`);
      if (t.size(0) !== (given[0] as Tensor).size(0)) throw new Error('Size mismatch between tensors');
    }
    this.tensors = given as Tensor[];
  }
  getitem(index: number): Tensor[] {
    return this.tensors.map((t) => t.select(0, index));
  }
  len(): number {
    if (this.tensors.length === 0) throw new RangeError('tuple index out of range');
    return this.tensors[0].size(0);
  }
}

/** torch.utils.data.Subset(dataset, indices): the dataset seen through a list of indices. */
export class Subset<T = any> extends Dataset<T> {
  readonly dataset: DatasetLike<T>;
  readonly indices: number[];
  constructor(...args: CallArgs<[dataset: DatasetLike<T>, indices: number[] | Tensor], { dataset?: DatasetLike<T>; indices?: number[] | Tensor }>) {
    super();
    const [dataset, indices] = bind(SUBSET, asKeywords(SUBSET, args)) as [DatasetLike<T>, number[] | Tensor];
    this.dataset = dataset;
    this.indices = indices instanceof Tensor ? (indices.tolist() as number[]) : indices;
  }
  getitem(idx: number): T {
    const i = idx < 0 ? idx + this.indices.length : idx; // Python list indexing
    if (!Number.isInteger(i) || i < 0 || i >= this.indices.length) throw new RangeError('list index out of range');
    return getItem(this.dataset, this.indices[i]);
  }
  len(): number {
    return this.indices.length;
  }
}

/** torch.utils.data.ConcatDataset(datasets): datasets one after another. */
export class ConcatDataset<T = any> extends Dataset<T> {
  readonly datasets: DatasetLike<T>[];
  readonly cumulative_sizes: number[] = [];
  constructor(...args: [datasets: Iterable<DatasetLike<T>>] | [options: { datasets: Iterable<DatasetLike<T>> }]) {
    super();
    const [datasets] = bind(CONCAT, asKeywords(CONCAT, args)) as [unknown];
    if (datasets === null || typeof (datasets as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError(`'${pyType(datasets)}' object is not iterable`);
    }
    this.datasets = [...(datasets as Iterable<DatasetLike<T>>)];
    if (this.datasets.length === 0) throw new Error('datasets should not be an empty iterable');
    let total = 0;
    for (const d of this.datasets) this.cumulative_sizes.push((total += lengthOf(d)));
  }
  getitem(idx: number): T {
    const n = this.len();
    if (idx < 0) {
      if (-idx > n) throw new RangeError('absolute value of index should not exceed dataset length');
      idx += n;
    }
    const k = this.cumulative_sizes.findIndex((c) => idx < c); // bisect_right
    if (k < 0) throw new RangeError(`index ${idx} is out of range`);
    return getItem(this.datasets[k], k === 0 ? idx : idx - this.cumulative_sizes[k - 1]);
  }
  len(): number {
    return this.cumulative_sizes[this.cumulative_sizes.length - 1];
  }
}

/**
 * torch.utils.data.random_split(dataset, lengths, generator): lengths are
 * counts, or fractions summing to 1 (floored, the remainder handed out one by
 * one from the first split on). The splits are consecutive slices of
 * `randperm(sum(lengths), generator)`, so they match PyTorch's for the same seed.
 */
export function random_split<T>(dataset: DatasetLike<T>,
  ...args: [lengths: number[], generator?: Generator | null] | [lengths: number[], options: { generator?: Generator | null }] |
    [options: { lengths: number[]; generator?: Generator | null }]): Subset<T>[] {
  const [, lengths, g] = pyBind(RANDOM_SPLIT, [dataset, ...args]) as [DatasetLike<T>, number[], Generator | null];
  const generator = g ?? default_generator;
  const n = lengthOf(dataset);
  let sizes = lengths.slice();
  const total = sizes.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) <= 1e-9 * Math.max(Math.abs(total), 1) && total <= 1) {
    sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) throw new Error(`Fraction at index ${i} is not between 0 and 1`);
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length] += 1;
    sizes.forEach((s, i) => {
      if (s === 0) console.warn(`Length of split at index ${i} is 0. This might result in an empty dataset.`);
    });
  }
  if (sizes.reduce((a, b) => a + b, 0) !== n) throw new Error('Sum of input lengths does not equal the length of the input dataset!');
  const indices = randperm(n, { generator }).tolist() as number[];
  let offset = 0;
  return sizes.map((s) => new Subset(dataset, indices.slice(offset, (offset += s))));
}
