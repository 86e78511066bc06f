// torch.utils.data datasets: Dataset, TensorDataset, Subset, ConcatDataset,
// random_split. Browser-safe (no node: imports).
import { Tensor } from '../tensor.js';
import { Slice, type IndexKey } from '../ops/subscript.js';
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
    if (typeof index !== 'number') throw new TypeError(`list indices must be integers or slices, not ${pyType(index)}`);
    return (dataset as ArrayLike<T>)[listIndex(index, d.length)];
  }
  throw new TypeError(`'${pyType(dataset)}' object is not subscriptable`);
}

/** Python's list index: negative counts from the end; outside the list an IndexError. */
function listIndex(idx: number, n: number): number {
  if (!Number.isInteger(idx)) throw new TypeError(`list indices must be integers or slices, not ${pyType(idx)}`);
  const i = idx < 0 ? idx + n : idx;
  if (i < 0 || i >= n) throw new RangeError('list index out of range');
  return i;
}

/** The positions a Python slice takes from a list of n (slice.indices: any step but 0, clipped as Python clips). */
export function sliceIndices(s: Slice, n: number): number[] {
  const step = s.step ?? 1;
  if (step === 0) throw new Error('slice step cannot be zero');
  const clip = (v: number | null, dflt: number, lo: number, hi: number) =>
    v === null ? dflt : v < 0 ? Math.max(v + n, lo) : Math.min(v, hi);
  const start = step > 0 ? clip(s.start, 0, 0, n) : clip(s.start, n - 1, -1, n - 1);
  const stop = step > 0 ? clip(s.stop, n, 0, n) : clip(s.stop, -1, -1, n - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
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
  /** tuple(tensor[index] for tensor in tensors): an integer, or any key of Tensor.get (a slice, a list, a mask). */
  getitem(index: number | IndexKey): Tensor[] {
    if (typeof index === 'number' && Number.isInteger(index)) {
      return this.tensors.map((t) => {
        const n = t.size(0);
        if (index < -n || index >= n) throw new RangeError(`index ${index} is out of bounds for dimension 0 with size ${n}`);
        return t.select(0, index);
      });
    }
    return this.tensors.map((t) => t.get(index));
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
  /** dataset[indices[idx]]; a slice or a list of positions gives dataset[[indices[i] for i in ...]], as PyTorch's. */
  getitem(idx: number): T;
  getitem(idx: Slice | number[]): unknown;
  getitem(idx: number | Slice | number[]): unknown {
    if (idx instanceof Slice || Array.isArray(idx)) {
      const positions = idx instanceof Slice ? sliceIndices(idx, this.indices.length) : idx;
      return getItem(this.dataset as DatasetLike<unknown>, positions.map((p) => this.indices[listIndex(p, this.indices.length)]) as unknown as number);
    }
    return getItem(this.dataset, this.indices[listIndex(idx, this.indices.length)]);
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
