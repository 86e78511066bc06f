// Tensor.toString(): PyTorch's repr (4 decimals, aligned columns, scientific
// notation for wide ranges, summarised past 1000 elements).
import type { Tensor } from './tensor.js';
import { readElement } from './backend/memory.js';
import { elementKind } from './dtype.js';

const EDGE = 3;
const THRESHOLD = 1000;

function formatter(values: number[], dtype: string): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (dtype !== 'float32') return (v) => String(v); // int64 past 2^53 arrives as a BigInt: printed exactly
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  if (finite.every((v) => Number.isInteger(v))) {
    const big = finite.some((v) => Math.abs(v) >= 1e8);
    if (big) return (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
    return (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  }
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const maxA = abs.length ? Math.max(...abs) : 0, minA = abs.length ? Math.min(...abs) : 0;
  const sci = maxA / minA > 1000 || maxA > 1e8 || minA < 1e-4;
  if (sci) return (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
}

export function formatTensor(t: Tensor): string {
  const summarize = t.numel() > THRESHOLD;
  const kind = elementKind(t.dtype);
  // the indices shown along a dim of n: all, or (summarised) the first and last EDGE with null for the "..."
  const shownAlong = (n: number): (number | null)[] => {
    if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
    return [...Array.from({ length: EDGE }, (_, i) => i), null, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
  };
  const along = t.shape.map(shownAlong);
  // only the elements shown are read, through the tensor's strides: printing costs the same at any size
  const read = (off: number) => readElement(t.storage, off, kind) as number; // or an exact BigInt (int64)
  const shown: number[] = [];
  const collect = (d: number, off: number): void => {
    if (d === t.shape.length) { shown.push(read(off)); return; }
    for (const i of along[d]) if (i !== null) collect(d + 1, off + i * t._strides[d]);
  };
  if (t.numel() > 0) collect(0, t.offset);
  const fmt = formatter(shown, t.dtype);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const cell = (v: number) => fmt(v).padStart(width);
  const indent = 'tensor('.length;
  const render = (d: number, off: number): string => {
    if (d === t.shape.length) return cell(read(off));
    // PyTorch's elided run: ' ...' in a row, '...' on a line of its own
    const gap = d === t.shape.length - 1 ? ' ...' : '...';
    const items = along[d].map((i) => (i === null ? gap : render(d + 1, off + i * t._strides[d])));
    if (d === t.shape.length - 1) return `[${items.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.shape.length - 1 - d) + ' '.repeat(indent + d + 1);
    return `[${items.join(sep)}]`;
  };
  let body = t.shape.length === 0 ? fmt(read(t.offset)) : render(0, t.offset);
  if (t.numel() === 0) body = '[]';
  const extras: string[] = [];
  if (t.numel() === 0 && t.shape.length > 1) extras.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') extras.push(`dtype=torch.${t.dtype}`);
  if (t.grad_fn !== null) extras.push(`grad_fn=<${t.grad_fn.name()}>`);
  else if (t.requires_grad) extras.push('requires_grad=True');
  return `tensor(${body}${extras.map((e) => ', ' + e).join('')})`;
}
