// Renders the benchmark's speed ratios as a self-contained SVG bar chart (no
// dependencies): one group of bars per case, one bar per baseline library, on a
// logarithmic axis, with a marker at 1x. run.ts writes it to bench/results.svg.

export type Baseline = 'tfjs-wasm' | 'tfjs-cpu';

export interface ChartRow {
  name: string;
  /** Speed ratio per baseline: its median / wasmtorch's median (> 1: wasmtorch faster). Absent: not run or failed. */
  ratios: Partial<Record<Baseline, number>>;
  /** Libraries that were attempted but failed: a missing ratio then says which one. */
  failed?: (Baseline | 'wasmtorch')[];
}

export interface ChartMachine {
  date: string; // ISO 8601
  node: string;
  cpu?: string;
  /** Logical CPUs (hardware threads) of the machine. */
  threads: number;
  /** Threads each library was allowed to use, if known. */
  threadsPerLib?: number;
}

const SERIES: { key: Baseline; label: string; colour: string }[] = [
  { key: 'tfjs-wasm', label: 'vs tfjs-wasm', colour: '#2f6db5' },
  { key: 'tfjs-cpu', label: 'vs tfjs-cpu', colour: '#e3892b' },
];

// Geometry, in SVG user units (px).
const FONT = 'Helvetica, Arial, sans-serif';
const CHAR_W = 7.4; // generous advance of one 12 px character (DejaVu/Helvetica), for sizing text columns
const MAX_NAME_CHARS = 48;
const BAR_H = 14;
const BAR_GAP = 3;
const GROUP_GAP = 14;
const PLOT_W = 560;
const VALUE_ROOM = 90; // right of the plot, for the value printed after the longest bar
const TOP = 92; // title, subtitle, legend
const AXIS_ROOM = 50; // tick labels and the footnote under the plot

/** Escapes text for use in XML content and in double-quoted attributes. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const usable = (r: number | undefined): r is number => r !== undefined && Number.isFinite(r) && r > 0;

/** 1-2-5 steps: ..., 0.1, 0.2, 0.5, 1, 2, 5, 10, ... */
function niceSteps(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)) - 1; e <= Math.ceil(Math.log10(max)) + 1; e++) {
    for (const m of [1, 2, 5]) out.push(Number((m * 10 ** e).toPrecision(12)));
  }
  return out;
}

/**
 * Axis range: from the largest 1-2-5 step strictly below every ratio (and at most
 * 0.5x), so every bar has some length and 1x is never at the edge, to the smallest
 * step at or above every ratio (and at least 2x).
 */
export function axisDomain(ratios: number[]): { lo: number; hi: number; ticks: number[] } {
  const min = Math.min(0.5 + 1e-9, ...ratios);
  const max = Math.max(2, ...ratios);
  const steps = niceSteps(min, max);
  const lo = steps.filter((s) => s < min).pop()!;
  const hi = steps.find((s) => s >= max)!;
  return { lo, hi, ticks: steps.filter((s) => s >= lo && s <= hi) };
}

export function formatRatio(r: number): string {
  const digits = r < 10 ? 2 : r < 100 ? 1 : 0;
  return `${r.toFixed(digits)}x`;
}

function tickLabel(t: number): string {
  return `${t < 1 ? String(t) : t.toFixed(0)}x`;
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

const n = (v: number) => Number(v.toFixed(2)); // coordinates with at most two decimals

/** The SVG document (a string) for the given cases, in their order. */
export function renderSpeedChart(rows: ChartRow[], machine: ChartMachine): string {
  const ratios = rows.flatMap((r) => SERIES.map((s) => r.ratios[s.key]).filter(usable));
  const { lo, hi, ticks } = axisDomain(ratios);
  const longest = Math.min(MAX_NAME_CHARS, Math.max(8, ...rows.map((r) => r.name.length)));
  const x0 = 16 + Math.ceil(longest * CHAR_W) + 10; // left edge of the plot; names end 10 px before it
  const xOf = (r: number) => x0 + ((Math.log(r) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * PLOT_W;
  const groupH = SERIES.length * BAR_H + (SERIES.length - 1) * BAR_GAP;
  const plotH = Math.max(1, rows.length) * (groupH + GROUP_GAP) + GROUP_GAP;
  const threads = `${machine.threads} hardware thread${machine.threads === 1 ? '' : 's'}` +
    (machine.threadsPerLib ? ` (each library on ${machine.threadsPerLib})` : '');
  const sub = [formatDate(machine.date), `Node ${machine.node}`, machine.cpu ?? 'unknown CPU', threads].join(' · ');
  const width = Math.max(x0 + PLOT_W + VALUE_ROOM, Math.ceil(32 + sub.length * CHAR_W));
  const height = TOP + plotH + AXIS_ROOM;
  const plotBottom = TOP + plotH;

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);

  // Title and machine line.
  out.push(`<text x="16" y="26" font-size="16" font-weight="bold">${escapeXml('wasmtorch speed relative to tfjs (higher is better for wasmtorch)')}</text>`);
  out.push(`<text x="16" y="46" fill="#444444">${escapeXml(sub)}</text>`);

  // Legend.
  let lx = x0;
  for (const s of SERIES) {
    out.push(`<rect x="${lx}" y="60" width="14" height="14" fill="${s.colour}"/>`);
    out.push(`<text x="${lx + 20}" y="71">${escapeXml(s.label)}</text>`);
    lx += 20 + Math.ceil(s.label.length * CHAR_W) + 28;
  }

  // Grid and tick labels.
  for (const t of ticks) {
    const x = n(xOf(t));
    if (t !== 1) out.push(`<line x1="${x}" y1="${TOP}" x2="${x}" y2="${plotBottom}" stroke="#e2e2e2" stroke-width="1"/>`);
    out.push(`<text x="${x}" y="${plotBottom + 16}" text-anchor="middle" fill="#555555">${tickLabel(t)}</text>`);
  }
  out.push(`<line x1="${x0}" y1="${plotBottom}" x2="${x0 + PLOT_W}" y2="${plotBottom}" stroke="#999999" stroke-width="1"/>`);

  // Bars, then the 1x marker over them, then the labels over both (with a white
  // halo, so the marker does not run through them).
  const labels: string[] = [];
  const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';
  rows.forEach((row, i) => {
    const gy = TOP + GROUP_GAP + i * (groupH + GROUP_GAP);
    const name = row.name.length > MAX_NAME_CHARS ? row.name.slice(0, MAX_NAME_CHARS - 1) + '…' : row.name;
    out.push(`<text class="case" x="${x0 - 10}" y="${n(gy + groupH / 2 + 4)}" text-anchor="end"><title>${escapeXml(row.name)}</title>${escapeXml(name)}</text>`);
    SERIES.forEach((s, j) => {
      const y = gy + j * (BAR_H + BAR_GAP);
      const r = row.ratios[s.key];
      if (usable(r)) {
        const w = n(xOf(r) - x0);
        out.push(`<rect class="bar" data-series="${s.key}" data-ratio="${r}" x="${x0}" y="${y}" width="${w}" height="${BAR_H}" fill="${s.colour}"><title>${escapeXml(`${row.name} ${s.label}: ${formatRatio(r)}`)}</title></rect>`);
        labels.push(`<text class="value" x="${n(x0 + w + 5)}" y="${y + BAR_H - 3}" ${HALO}>${formatRatio(r)}</text>`);
      } else {
        const culprit = row.failed?.includes('wasmtorch') ? 'wasmtorch' : row.failed?.includes(s.key) ? s.key : undefined;
        const why = culprit ? `not run (${culprit} failed)` : `not run (${s.key})`;
        labels.push(`<text class="not-run" data-series="${s.key}" x="${x0 + 6}" y="${y + BAR_H - 3}" fill="#808080" font-style="italic" ${HALO}>${escapeXml(why)}</text>`);
      }
    });
  });
  if (rows.length === 0) {
    out.push(`<text x="${x0 + PLOT_W / 2}" y="${TOP + plotH / 2 + 4}" text-anchor="middle" fill="#888888">no cases run</text>`);
  }

  const x1 = n(xOf(1));
  out.push(`<line class="same-speed" x1="${x1}" y1="${TOP - 6}" x2="${x1}" y2="${plotBottom}" stroke="#222222" stroke-width="1.5" stroke-dasharray="5 3"/>`);
  out.push(`<text x="${x1 + 4}" y="${TOP - 8}" fill="#222222" font-size="11">same speed</text>`);
  out.push(...labels);

  out.push(`<text x="16" y="${plotBottom + 38}" fill="#666666" font-size="11">${escapeXml(
    'ratio = library median time / wasmtorch median time, log scale; > 1x: wasmtorch faster')}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
