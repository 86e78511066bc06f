// default_collate: a list of samples -> one batch, as torch.utils.data's.
import { Tensor } from '../tensor.js';
import { tensor } from '../ops/creation.js';
import { stack } from '../ops/shape.js';
import { signature, pyType } from '../signature.js';
import { pyBind, asKeywords } from '../pyfunction.js';

// Python functions in PyTorch: Python's words for a bad call
const COLLATE = signature('default_collate(Any batch)');
const CONVERT = signature('default_convert(Any data)');

function fromTypedArray(a: ArrayBufferView): Tensor {
  if (a instanceof Float32Array || a instanceof Int32Array) return tensor(a);
  return tensor(Array.from(a as unknown as ArrayLike<number>));
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * torch.utils.data.default_collate, by the type of the first sample:
 * - Tensor: torch.stack(batch) (a new leading batch dimension);
 * - typed array (PyTorch's numpy array): made a tensor, then stacked;
 * - number: a 1-d tensor. JavaScript cannot tell 1 from 1.0, so where PyTorch
 *   gives int64 for Python ints and float64 for floats, this gives int64 when
 *   every value is an integer and float32 otherwise;
 * - boolean: a bool tensor; string: the array of strings as it is;
 * - array (PyTorch's tuple/list): collated position by position, giving an
 *   array (samples must have equal lengths);
 * - plain object (PyTorch's dict): collated key by key.
 */
export function default_collate(...args: [batch: unknown[]] | [options: { batch: unknown[] }]): any {
  // the DataLoader's call, once a batch: no parsing
  const batch = args.length === 1 && Array.isArray(args[0]) ? args[0] : pyBind(COLLATE, asKeywords(COLLATE, args))[0];
  if (!Array.isArray(batch)) throw new TypeError(`'${pyType(batch)}' object is not subscriptable`);
  return collate(batch);
}

function collate(batch: unknown[]): any {
  if (batch.length === 0) throw new RangeError('list index out of range');
  const elem = batch[0];
  if (elem instanceof Tensor) return stack(batch as Tensor[], 0);
  if (ArrayBuffer.isView(elem) && !(elem instanceof DataView)) return stack(batch.map((a) => fromTypedArray(a as ArrayBufferView)), 0);
  if (typeof elem === 'number') {
    const nums = batch as number[];
    return tensor(nums, { dtype: nums.every(Number.isInteger) ? 'int64' : 'float32' });
  }
  if (typeof elem === 'boolean') return tensor(batch as boolean[], { dtype: 'bool' });
  if (typeof elem === 'string') return batch;
  if (Array.isArray(elem)) {
    if (!batch.every((s) => Array.isArray(s) && s.length === elem.length)) {
      throw new Error('each element in list of batch should be of equal size');
    }
    return elem.map((_, i) => collate(batch.map((s) => (s as unknown[])[i])));
  }
  if (isPlainObject(elem)) {
    return Object.fromEntries(Object.keys(elem).map((k) => [k, collate(batch.map((s) => (s as Record<string, unknown>)[k]))]));
  }
  throw new TypeError(`default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class '${pyType(elem)}'>`);
}

/** torch.utils.data.default_convert(data) (the DataLoader's with batch_size=None): typed arrays become tensors, the rest is kept. */
export function default_convert(...args: [data: unknown]): any {
  // one argument is the data, a plain object too (a dict sample)
  return convert(args.length === 1 ? args[0] : pyBind(CONVERT, args)[0]);
}

function convert(data: unknown): any {
  if (data instanceof Tensor || typeof data !== 'object' || data === null) return data;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) return fromTypedArray(data);
  if (Array.isArray(data)) return data.map((v) => convert(v));
  if (isPlainObject(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, convert(v)]));
  return data;
}
