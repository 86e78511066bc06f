// sort, argsort, topk, one_hot, multinomial. The orders are decided in JS on
// the values (these are not hot loops); the values that carry gradients are
// then picked with gather, so autograd needs nothing new.
import { op } from '../signature.js';
import { Generator as GeneratorClass } from '../random.js';
import { Tensor, storedElements } from '../tensor.js';
import { normalizeDim, shapeStr } from './core.js';
import { tensor, zeros } from './creation.js';
import { gather } from './indexing.js';
import { default_generator, type Generator } from '../random.js';
import { isIntegral } from '../dtype.js';
import type { ValuesIndices } from './reduce.js';

function pairResult(values: Tensor, indices: Tensor): ValuesIndices {
  return Object.assign([values, indices], { values, indices }) as unknown as ValuesIndices;
}

/** Indices ordering each row along dim (stable; NaN sorts as the largest, as PyTorch). */
function orderAlong(x: Tensor, d: number, descending: boolean, k: number): Tensor {
  const moved = x.detach().transpose(d, -1).contiguous();
  const n = moved.shape[moved.dim() - 1] ?? 1;
  const data = storedElements(moved); // int64 as BigInts: ordered exactly past 2^53
  const rows = n === 0 ? 0 : data.length / n;
  const out = new Int32Array(rows * k);
  const compare = data instanceof BigInt64Array
    ? (va: bigint, vb: bigint) => (va < vb ? -1 : va > vb ? 1 : 0)
    : (va: number, vb: number) => (Number.isNaN(va) || Number.isNaN(vb) ? (Number.isNaN(va) ? 1 : 0) - (Number.isNaN(vb) ? 1 : 0) : va - vb);
  for (let r = 0; r < rows; r++) {
    const idx = Array.from({ length: n }, (_, i) => i);
    const base = r * n;
    idx.sort((a, b) => {
      const c = (compare as (x: number | bigint, y: number | bigint) => number)(data[base + a], data[base + b]);
      return (descending ? -c : c) || a - b;
    });
    for (let i = 0; i < k; i++) out[r * k + i] = idx[i];
  }
  const shape = moved.shape.slice();
  shape[shape.length - 1] = k;
  return tensor(out, { dtype: 'int64' }).reshape(shape).transpose(d, -1).contiguous();
}

type SortCall = (input: Tensor, dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean, stable?: boolean) => ValuesIndices;
// the order is stable whatever `stable` says (PyTorch allows a stable sort when not asked)
export const sort = op<SortCall>('sort(Tensor input, int dim=-1, bool descending=False, bool stable=False) -> (Tensor values, Tensor indices)', sortImpl);
function sortImpl(x: Tensor, dim: number, descending: boolean): ValuesIndices {
  const o = { dim, descending };
  const d = normalizeDim(o.dim, x.dim());
  if (x.dim() === 0) return pairResult(x.clone(), zeros([], { dtype: 'int64' }));
  const indices = orderAlong(x, d, o.descending, x.shape[d]);
  return pairResult(gather(x, d, indices), indices);
}

export const argsort = op<(input: Tensor, dim?: number | { dim?: number; descending?: boolean; stable?: boolean }, descending?: boolean, stable?: boolean) => Tensor>(
  'argsort(Tensor input, int dim=-1, bool descending=False, bool stable=False) -> Tensor', (x: Tensor, dim: number, descending: boolean) => sortImpl(x, dim, descending)[1]);

// sorted=False may return any order; the sorted one is such an order
export const topk = op<(input: Tensor, k: number, dim?: number | { dim?: number; largest?: boolean; sorted?: boolean }, largest?: boolean, sorted?: boolean) => ValuesIndices>(
  'topk(Tensor input, int k, int dim=-1, bool largest=True, bool sorted=True) -> (Tensor values, Tensor indices)', topkImpl);
function topkImpl(x: Tensor, k: number, dim: number, largest: boolean): ValuesIndices {
  const o = { dim, largest };
  const d = normalizeDim(o.dim, x.dim());
  const size = x.dim() === 0 ? 1 : x.shape[d];
  if (!(k >= 0 && k <= size)) throw new Error('selected index k out of range');
  if (x.dim() === 0) {
    // a scalar's top-1 is itself at index 0 (0-dim results, as PyTorch's)
    const at = zerosIndex(k);
    return pairResult(gather(x.reshape(1), 0, at).reshape(k === 1 ? [] : [0]), k === 1 ? at.reshape([]) : at);
  }
  const indices = orderAlong(x, d, o.largest, k);
  return pairResult(gather(x, d, indices), indices);
}

/** k (0 or 1) int64 zeros: the indices of a scalar's top-k. */
function zerosIndex(k: number): Tensor {
  return tensor(new Int32Array(k), { dtype: 'int64' });
}

/** F.one_hot(tensor, num_classes = max + 1): int64 of shape [..., num_classes]. */
export const one_hot = op<(tensor: Tensor, num_classes?: number | { num_classes?: number }) => Tensor>(
  'one_hot(Tensor tensor, int num_classes=-1) -> Tensor', oneHot);

function oneHot(t: Tensor, num_classes: number): Tensor {
  if (!isIntegral(t.dtype)) throw new Error('one_hot is only applicable to index tensor of type LongTensor.');
  const values = Array.from(t.dataSync());
  if (values.some((v) => v < 0)) throw new Error('Class values must be non-negative.');
  const classes = num_classes === -1 ? (values.length ? Math.max(...values) + 1 : 0) : num_classes;
  if (values.some((v) => v >= classes)) throw new Error('Class values must be smaller than num_classes.');
  const out = new Int32Array(values.length * classes);
  values.forEach((v, i) => (out[i * classes + v] = 1));
  return tensor(out, { dtype: 'int64' }).reshape([...t.shape, classes]);
}

/** torch.multinomial(probs [C] or [N, C], num_samples, replacement): seeded by the default generator. */
export const multinomial = op<(input: Tensor, num_samples: number, replacement?: boolean | { replacement?: boolean; generator?: Generator }, options?: { generator?: Generator }) => Tensor>(
  'multinomial(Tensor input, int num_samples, bool replacement=False, *, Generator? generator=None) -> Tensor', multinomialImpl);
function multinomialImpl(probs: Tensor, num_samples: number, replacement: boolean, generator: Generator | null): Tensor {
  if (generator !== null && !(generator instanceof GeneratorClass)) throw new TypeError(`multinomial(): argument 'generator' must be torch.Generator, not ${typeof generator}`);
  const o = { replacement };
  const g = generator ?? default_generator;
  if (probs.dim() < 1 || probs.dim() > 2) throw new Error(`prob_dist must be 1 or 2 dim, got ${shapeStr(probs.shape)}`);
  const rows = probs.dim() === 1 ? 1 : probs.shape[0], C = probs.shape[probs.dim() - 1];
  if (!o.replacement && num_samples > C) throw new Error('cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const p = Array.from(probs.dataSync());
  if (p.some((v) => v < 0 || !Number.isFinite(v))) throw new Error('probability tensor contains either `inf`, `nan` or element < 0');
  const out = new Int32Array(rows * num_samples);
  for (let r = 0; r < rows; r++) {
    const w = p.slice(r * C, r * C + C);
    for (let s = 0; s < num_samples; s++) {
      const total = w.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw new Error('invalid multinomial distribution (sum of probabilities <= 0)');
      let u = g.nextDouble() * total, pick = C - 1;
      for (let c = 0; c < C; c++) {
        if (u < w[c]) { pick = c; break; }
        u -= w[c];
      }
      out[r * num_samples + s] = pick;
      if (!o.replacement) w[pick] = 0;
    }
  }
  const result = tensor(out, { dtype: 'int64' });
  return probs.dim() === 1 ? result : result.reshape(rows, num_samples);
}
