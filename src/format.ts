// Tensor.toString(): PyTorch's repr (4 decimals, aligned columns, scientific
// notation for wide ranges, summarised past 1000 elements).
import type { Tensor } from './tensor.js';

const EDGE = 3;
const THRESHOLD = 1000;

function formatter(values: number[], dtype: string): (v: number) => string {
  if (dtype === 'bool') return (v) => (v ? 'True' : 'False');
  if (dtype !== 'float32') return (v) => String(v);
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
  const data = Array.from(t.dataSync());
  const summarize = data.length > THRESHOLD;
  const shown = summarize ? summaryValues(data, t.shape) : data;
  const fmt = formatter(shown, t.dtype);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const cell = (v: number) => fmt(v).padStart(width);
  const indent = 'tensor('.length;
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const render = (d: number, off: number): string => {
    if (d === t.shape.length) return cell(data[off]);
    const n = t.shape[d];
    const items: string[] = [];
    const push = (i: number) => items.push(render(d + 1, off + i * strides[d]));
    if (summarize && n > 2 * EDGE) {
      for (let i = 0; i < EDGE; i++) push(i);
      items.push('...');
      for (let i = n - EDGE; i < n; i++) push(i);
    } else for (let i = 0; i < n; i++) push(i);
    if (d === t.shape.length - 1) return `[${items.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.shape.length - 1 - d) + ' '.repeat(indent + d + 1);
    return `[${items.join(sep)}]`;
  };
  let body = t.shape.length === 0 ? fmt(data[0]) : render(0, 0);
  if (t.numel() === 0) body = '[]';
  const extras: string[] = [];
  if (t.numel() === 0 && t.shape.length > 1) extras.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype !== 'float32' && t.dtype !== 'int64' && t.dtype !== 'bool') extras.push(`dtype=torch.${t.dtype}`);
  if (t.grad_fn !== null) extras.push(`grad_fn=<${t.grad_fn.name()}>`);
  else if (t.requires_grad) extras.push('requires_grad=True');
  return `tensor(${body}${extras.map((e) => ', ' + e).join('')})`;
}

function summaryValues(data: number[], shape: number[]): number[] {
  if (shape.length === 0) return data;
  const last = shape[shape.length - 1];
  const out: number[] = [];
  for (let r = 0; r < data.length; r += last) {
    const row = data.slice(r, r + last);
    out.push(...(row.length > 2 * EDGE ? [...row.slice(0, EDGE), ...row.slice(-EDGE)] : row));
  }
  return out;
}
