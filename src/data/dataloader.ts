// torch.utils.data.DataLoader, single process (num_workers is accepted and
// ignored: batches are made in the calling thread).
import { default_generator, type Generator } from '../random.js';
import { getItem, lengthOf, type DatasetLike } from './dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler, randomInt64 } from './sampler.js';
import { default_collate, default_convert } from './collate.js';
import { signature } from '../signature.js';
import { pyBindNamed } from '../pyfunction.js';
import { type CallArgs } from '../signature.js';

export interface DataLoaderOptions<T = any, B = any> {
  /** samples per batch (default 1); null turns automatic batching off */
  batch_size?: number | null;
  shuffle?: boolean | null;
  /** an iterable of indices (with len() for len(loader)); excludes shuffle */
  sampler?: Iterable<number> | null;
  /** an iterable of index lists; excludes batch_size, shuffle, sampler, drop_last */
  batch_sampler?: Iterable<number[]> | null;
  /** accepted: batches are always made in the calling thread */
  num_workers?: number;
  collate_fn?: ((batch: T[]) => B) | null;
  /** accepted (there is no accelerator memory to pin) */
  pin_memory?: boolean;
  drop_last?: boolean;
  timeout?: number;
  worker_init_fn?: ((worker_id: number) => void) | null;
  multiprocessing_context?: unknown;
  /** used by the RandomSampler and for the per-iterator base seed, as in PyTorch */
  generator?: Generator | null;
  prefetch_factor?: number | null;
  persistent_workers?: boolean;
  pin_memory_device?: string;
  in_order?: boolean;
}

const DATALOADER = signature('DataLoader(Any dataset, int? batch_size=1, bool? shuffle=None, Any sampler=None, Any batch_sampler=None, ' +
  'int num_workers=0, Any collate_fn=None, bool pin_memory=False, bool drop_last=False, float timeout=0, Any worker_init_fn=None, ' +
  "Any multiprocessing_context=None, Generator? generator=None, *, int? prefetch_factor=None, bool persistent_workers=False, " +
  "str pin_memory_device='', bool in_order=True)");

type LoaderArgs<T, B> = CallArgs<[batch_size: number | null, shuffle: boolean | null, sampler: Iterable<number> | null,
  batch_sampler: Iterable<number[]> | null, num_workers: number, collate_fn: ((batch: T[]) => B) | null, pin_memory: boolean,
  drop_last: boolean, timeout: number, worker_init_fn: ((worker_id: number) => void) | null, multiprocessing_context: unknown,
  generator: Generator | null], DataLoaderOptions<T, B>>;

/**
 * torch.utils.data.DataLoader(dataset, batch_size=1, shuffle=None, sampler=None, ...), PyTorch's
 * parameters in PyTorch's order: `new DataLoader(ds, 32, true)` or `new DataLoader(ds, { batch_size: 32, shuffle: true })`.
 * Single process: num_workers and the worker options are accepted and batches are made in the calling thread.
 *
 *     for (const [x, y] of loader) { ... }     // len(loader): loader.len() or loader.length
 *
 * Every `for ... of` starts a pass and, as PyTorch's iterator does, first
 * draws a 64-bit base seed from `generator` (or the default generator); with
 * shuffle the RandomSampler then seeds its own permutation, so the batches
 * come in PyTorch's order after the same torch.manual_seed.
 */
export class DataLoader<T = any, B = any> implements Iterable<B> {
  static readonly signature = DATALOADER;
  readonly dataset: DatasetLike<T>;
  readonly batch_size: number | null;
  readonly drop_last: boolean;
  readonly sampler: Iterable<number>;
  readonly batch_sampler: Iterable<number[]> | null;
  readonly generator: Generator | null;
  readonly collate_fn: (batch: any) => B;
  readonly num_workers: number;
  readonly pin_memory: boolean;
  readonly timeout: number;
  readonly worker_init_fn: ((worker_id: number) => void) | null;
  readonly multiprocessing_context: unknown;
  readonly prefetch_factor: number | null;
  readonly persistent_workers: boolean;
  readonly pin_memory_device: string;
  readonly in_order: boolean;

  constructor(dataset: DatasetLike<T>, ...args: LoaderArgs<T, B>) {
    const o = pyBindNamed(DATALOADER, [dataset, ...args]) as Required<DataLoaderOptions<T, B>>;
    // PyTorch's checks, in its order
    if (o.num_workers < 0) throw new Error('num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.');
    if (o.timeout < 0) throw new Error('timeout option should be non-negative');
    let prefetch_factor = o.prefetch_factor;
    if (o.num_workers === 0 && prefetch_factor !== null) {
      throw new Error('prefetch_factor option could only be specified in multiprocessing.' +
        'let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.');
    } else if (o.num_workers > 0 && prefetch_factor === null) prefetch_factor = 2;
    else if (prefetch_factor !== null && prefetch_factor < 0) throw new Error('prefetch_factor option should be non-negative');
    if (o.persistent_workers && o.num_workers === 0) throw new Error('persistent_workers option needs num_workers > 0');
    let batch_size = o.batch_size;
    let drop_last = o.drop_last;
    const shuffle = Boolean(o.shuffle);
    let sampler = o.sampler;
    const batch_sampler = o.batch_sampler;
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
    const generator = o.generator;
    sampler ??= shuffle ? new RandomSampler(dataset, { generator }) : new SequentialSampler(dataset);
    this.dataset = dataset;
    this.batch_size = batch_size;
    this.drop_last = drop_last;
    this.sampler = sampler;
    this.batch_sampler = batch_sampler ?? (batch_size !== null ? new BatchSampler(sampler, batch_size, drop_last) : null);
    this.generator = generator;
    this.collate_fn = o.collate_fn ?? (this.batch_sampler !== null ? default_collate : default_convert);
    this.num_workers = o.num_workers;
    this.pin_memory = o.pin_memory;
    this.timeout = o.timeout;
    this.worker_init_fn = o.worker_init_fn;
    this.multiprocessing_context = o.multiprocessing_context;
    this.prefetch_factor = prefetch_factor;
    this.persistent_workers = o.persistent_workers;
    this.pin_memory_device = o.pin_memory_device;
    this.in_order = o.in_order;
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
