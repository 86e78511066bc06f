// torch.utils.data samplers. RandomSampler draws as PyTorch's does, so a
// shuffled DataLoader visits samples in PyTorch's order for the same seed.
import { randint, randperm } from '../ops/creation.js';
import { Generator, default_generator } from '../random.js';
import { lengthOf } from './dataset.js';
import { signature } from '../signature.js';
import { pyBind, pyBindNamed } from '../pyfunction.js';
import { type CallArgs } from '../signature.js';

const SEQUENTIAL = signature('SequentialSampler(Any data_source)');
const RANDOM = signature('RandomSampler(Any data_source, bool replacement=False, int? num_samples=None, Generator? generator=None)');
const SUBSET_RANDOM = signature('SubsetRandomSampler(Any indices, Generator? generator=None)');
const BATCH = signature('BatchSampler(Any sampler, int batch_size, bool drop_last)');

/** An iterable of indices; `len()` is needed for len(DataLoader) only. */
export abstract class Sampler<T = number> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
  len(): number {
    throw new TypeError(`object of type '${this.constructor.name}' has no len()`);
  }
}

/**
 * `torch.empty((), dtype=torch.int64).random_(generator=g).item()`: ATen's
 * random_() on int64 with no bounds is random64() % 2^63, random64() being
 * two 32-bit draws (high word first). A bigint, since it needs 63 bits.
 */
export function randomInt64(g: Generator = default_generator): bigint {
  const hi = g.nextUint32(), lo = g.nextUint32();
  return (BigInt(hi & 0x7fffffff) << 32n) | BigInt(lo);
}

function checkPositiveInt(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new Error(`${name} should be a positive integer value, but got ${name}=${v}`);
  }
}

export class SequentialSampler extends Sampler {
  static readonly signature = SEQUENTIAL;
  readonly data_source: unknown;
  constructor(...args: [data_source: unknown]) {
    super();
    [this.data_source] = pyBind(SEQUENTIAL, args);
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.data_source);
    for (let i = 0; i < n; i++) yield i;
  }
  len(): number {
    return lengthOf(this.data_source);
  }
}

export interface RandomSamplerOptions {
  replacement?: boolean;
  num_samples?: number | null;
  generator?: Generator | null;
}

/**
 * torch.utils.data.RandomSampler. Each pass, as PyTorch's __iter__: without a
 * generator, seed = random_() on an int64 from the default generator and
 * a fresh Generator().manual_seed(seed); then randperm(n, generator) per
 * len(data_source) samples (randint in blocks of 32 with replacement).
 */
export class RandomSampler extends Sampler {
  static readonly signature = RANDOM;
  readonly data_source: unknown;
  readonly replacement: boolean;
  readonly generator: Generator | null;
  private readonly _num_samples: number | null;
  constructor(data_source: unknown,
    ...args: CallArgs<[replacement: boolean, num_samples: number | null, generator: Generator | null], RandomSamplerOptions>) {
    super();
    const o = pyBindNamed(RANDOM, [data_source, ...args]);
    this.data_source = o.data_source;
    this.replacement = o.replacement as boolean;
    this._num_samples = o.num_samples as number | null;
    this.generator = o.generator as Generator | null;
    checkPositiveInt('num_samples', this.num_samples);
  }
  get num_samples(): number {
    return this._num_samples ?? lengthOf(this.data_source);
  }
  *[Symbol.iterator](): Iterator<number> {
    const n = lengthOf(this.data_source);
    const g = this.generator ?? new Generator().manual_seed(randomInt64());
    const total = this.num_samples;
    if (this.replacement) {
      const draw = (k: number) => randint(0, n, [k], { generator: g }).tolist() as number[];
      for (let b = 0; b < Math.floor(total / 32); b++) yield* draw(32);
      yield* draw(total % 32);
    } else {
      const perm = () => randperm(n, { generator: g }).tolist() as number[];
      for (let r = 0; r < Math.floor(total / n); r++) yield* perm();
      yield* perm().slice(0, total % n); // drawn even when empty, as PyTorch does
    }
  }
  len(): number {
    return this.num_samples;
  }
}

/** torch.utils.data.SubsetRandomSampler: the given indices in randperm order. */
export class SubsetRandomSampler extends Sampler {
  static readonly signature = SUBSET_RANDOM;
  readonly indices: number[];
  readonly generator: Generator | null;
  constructor(indices: number[], ...args: CallArgs<[generator: Generator | null], { generator?: Generator | null }>) {
    super();
    [this.indices, this.generator] = pyBind(SUBSET_RANDOM, [indices, ...args]) as [number[], Generator | null];
  }
  *[Symbol.iterator](): Iterator<number> {
    const order = randperm(this.indices.length, { generator: this.generator ?? default_generator }).tolist() as number[];
    for (const i of order) yield this.indices[i];
  }
  len(): number {
    return this.indices.length;
  }
}

/** torch.utils.data.BatchSampler: indices from `sampler` grouped into lists of batch_size. */
export class BatchSampler extends Sampler<number[]> {
  static readonly signature = BATCH;
  readonly sampler: Iterable<number>;
  readonly batch_size: number;
  readonly drop_last: boolean;
  constructor(sampler: Iterable<number>,
    ...args: CallArgs<[batch_size: number, drop_last: boolean], { batch_size?: number; drop_last?: boolean }>) {
    super();
    [this.sampler, this.batch_size, this.drop_last] = pyBind(BATCH, [sampler, ...args]) as [Iterable<number>, number, boolean];
    checkPositiveInt('batch_size', this.batch_size);
  }
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batch_size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.drop_last) yield batch;
  }
  len(): number {
    const n = lengthOf(this.sampler);
    return this.drop_last ? Math.floor(n / this.batch_size) : Math.ceil(n / this.batch_size);
  }
}
