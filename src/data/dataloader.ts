// torch.utils.data.DataLoader, single process (num_workers is accepted and
// ignored: batches are made in the calling thread).
import { default_generator, type Generator } from '../random.js';
import { getItem, lengthOf, type DatasetLike } from './dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler, randomInt64 } from './sampler.js';
import { default_collate, default_convert } from './collate.js';

export interface DataLoaderOptions<T = any, B = any> {
  /** samples per batch (default 1); null turns automatic batching off */
  batch_size?: number | null;
  shuffle?: boolean;
  /** an iterable of indices (with len() for len(loader)); excludes shuffle */
  sampler?: Iterable<number> | null;
  /** an iterable of index lists; excludes batch_size, shuffle, sampler, drop_last */
  batch_sampler?: Iterable<number[]> | null;
  collate_fn?: ((batch: T[]) => B) | null;
  drop_last?: boolean;
  /** used by the RandomSampler and for the per-iterator base seed, as in PyTorch */
  generator?: Generator | null;
  num_workers?: number;
  pin_memory?: boolean;
}

/**
 * torch.utils.data.DataLoader(dataset, { batch_size, shuffle, sampler,
 * batch_sampler, collate_fn, drop_last, generator }); batch_size and shuffle
 * may also be given positionally: `new DataLoader(ds, 32, true)`.
 *
 *     for (const [x, y] of loader) { ... }     // len(loader): loader.len() or loader.length
 *
 * Every `for ... of` starts a pass and, as PyTorch's iterator does, first
 * draws a 64-bit base seed from `generator` (or the default generator); with
 * shuffle the RandomSampler then seeds its own permutation, so the batches
 * come in PyTorch's order after the same torch.manual_seed.
 */
export class DataLoader<T = any, B = any> implements Iterable<B> {
  readonly dataset: DatasetLike<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Iterable<number>;
  readonly batch_sampler: Iterable<number[]> | null;
  readonly generator: Generator | null;
  readonly collate_fn: (batch: any) => B;
  readonly num_workers: number;

  constructor(dataset: DatasetLike<T>, options?: DataLoaderOptions<T, B>);
  constructor(dataset: DatasetLike<T>, batch_size: number | null, options?: DataLoaderOptions<T, B>);
  constructor(dataset: DatasetLike<T>, batch_size: number | null, shuffle: boolean, options?: DataLoaderOptions<T, B>);
  constructor(dataset: DatasetLike<T>, ...args: (number | boolean | null | DataLoaderOptions<T, B> | undefined)[]) {
    let opts: DataLoaderOptions<T, B> = {};
    const positional: Pick<DataLoaderOptions, 'batch_size' | 'shuffle'> = {};
    args.forEach((a, i) => {
      if (a !== null && typeof a === 'object') opts = a;
      else if (i === 0) positional.batch_size = a as number | null;
      else if (i === 1) positional.shuffle = a as boolean;
    });
    opts = { ...positional, ...opts };
    let batch_size = opts.batch_size === undefined ? 1 : opts.batch_size;
    let drop_last = opts.drop_last ?? false;
    const shuffle = opts.shuffle ?? false;
    let sampler = opts.sampler ?? null;
    const batch_sampler = opts.batch_sampler ?? null;
    if (sampler !== null && shuffle) throw new Error('sampler option is mutually exclusive with shuffle');
    if (batch_sampler !== null) {
      if (batch_size !== 1 || shuffle || sampler !== null || drop_last) {
        throw new Error('batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last');
      }
      batch_size = null;
      drop_last = false;
    } else if (batch_size === null && drop_last) {
      throw new Error('batch_size=None option disables auto-batching and is mutually exclusive with drop_last');
    }
    const generator = opts.generator ?? null;
    sampler ??= shuffle ? new RandomSampler(dataset, { generator }) : new SequentialSampler(dataset);
    this.dataset = dataset;
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    this.sampler = sampler;
    this.batch_sampler = batch_sampler ?? (batch_size !== null ? new BatchSampler(sampler, batch_size, drop_last) : null);
    this.generator = generator;
    this.collate_fn = opts.collate_fn ?? (this.batch_sampler !== null ? default_collate : default_convert);
    this.num_workers = opts.num_workers ?? 0;
  }

  /** A new pass over the data (PyTorch's iter(loader)). */
  [Symbol.iterator](): Iterator<B> {
    randomInt64(this.generator ?? default_generator); // _BaseDataLoaderIter._base_seed, drawn on every iter()
    return this.batches();
  }

  private *batches(): IterableIterator<B> {
    if (this.batch_sampler === null) {
      for (const i of this.sampler) yield this.collate_fn(getItem(this.dataset, i));
      return;
    }
    const d = this.dataset as { __getitems__?: (idx: number[]) => T[] };
    for (const indices of this.batch_sampler) {
      const samples = typeof d.__getitems__ === 'function' ? d.__getitems__(indices) : indices.map((i) => getItem(this.dataset, i));
      yield this.collate_fn(samples);
    }
  }

  /** len(loader): the number of batches (of samples when batch_size is null). */
  len(): number {
    return lengthOf(this.batch_sampler ?? this.sampler);
  }
  get length(): number {
    return this.len();
  }
}
