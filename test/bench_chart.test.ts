// The benchmark's SVG chart (bench/chart.ts), rendered from synthetic rows.
import { describe, it, expect } from 'vitest';
import { renderSpeedChart, escapeXml, axisDomain, type ChartRow } from '../bench/chart.js';

const machine = { date: '2026-01-02T03:04:05.000Z', node: 'v20.0.0', cpu: 'Test CPU <8 & 9>', threads: 2, threadsPerLib: 1 };

const rows: ChartRow[] = [
  { name: 'half', ratios: { 'tfjs-wasm': 0.5, 'tfjs-cpu': 3 } },
  { name: 'double', ratios: { 'tfjs-wasm': 2, 'tfjs-cpu': 400 } },
  { name: 'a<b & c', ratios: { 'tfjs-wasm': 0.7 } },
  { name: 'big', ratios: { 'tfjs-wasm': 37.5, 'tfjs-cpu': 1 } },
  { name: 'broken', ratios: {}, failed: ['tfjs-wasm'] },
];

/** Attribute values of one tag, as a map. */
function attrs(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** Checks that every element is closed in order; returns the element names seen. */
function checkBalanced(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  const seen: string[] = [];
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (close) expect(stack.pop(), `</${name}>`).toBe(name);
    else {
      seen.push(name);
      if (!self) stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  // Nothing tag-like may be left over: strip the recognised tags and look for stray '<'.
  const text = body.replace(/<\/?[A-Za-z][\w:-]*(?:\s+[\w:-]+="[^"<]*")*\s*\/?>/g, '');
  expect(text).not.toMatch(/</);
  // Every '&' starts an entity.
  expect(body.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/&/);
  return seen;
}

describe('bench chart', () => {
  const svg = renderSpeedChart(rows, machine);
  const bars = [...svg.matchAll(/<rect\b[^>]*class="bar"[^>]*>/g)].map((m) => attrs(m[0]));

  it('is one balanced <svg> document', () => {
    expect(svg).toMatch(/^<\?xml[^>]*\?>\s*<svg\b[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>[\s\S]*<\/svg>\s*$/);
    expect(svg.match(/<svg\b/g)).toHaveLength(1);
    const seen = checkBalanced(svg);
    expect(seen[0]).toBe('svg');
  });

  it('draws one bar per ratio, with width growing with log(ratio)', () => {
    const given = rows.flatMap((r) => Object.values(r.ratios));
    expect(bars).toHaveLength(given.length);
    expect(bars.map((b) => Number(b['data-ratio'])).sort((a, b) => a - b)).toEqual([...given].sort((a, b) => a - b));
    const byRatio = bars.map((b) => ({ r: Number(b['data-ratio']), w: Number(b.width), x: Number(b.x) }))
      .sort((a, b) => a.r - b.r);
    for (const b of byRatio) expect(b.w).toBeGreaterThan(0);
    // All bars start at the same x, so the end of a bar is a log-scale position.
    expect(new Set(byRatio.map((b) => b.x)).size).toBe(1);
    for (let i = 1; i < byRatio.length; i++) expect(byRatio[i].w).toBeGreaterThan(byRatio[i - 1].w);
    // Log scale: equal ratio factors give equal width differences (2/1 and 1/0.5).
    const w = (r: number) => byRatio.find((b) => b.r === r)!.w;
    expect(w(2) - w(1)).toBeCloseTo(w(1) - w(0.5), 1);
    // Every ratio is printed at the end of its bar.
    for (const label of ['0.50x', '2.00x', '0.70x', '37.5x', '400x', '3.00x', '1.00x']) expect(svg).toContain(`>${label}</text>`);
  });

  it('puts the 1x line between the ends of the 0.5x and 2x bars', () => {
    const line = attrs(svg.match(/<line\b[^>]*class="same-speed"[^>]*>/)![0]);
    expect(line.x1).toBe(line.x2);
    const end = (r: number) => {
      const b = bars.find((a) => Number(a['data-ratio']) === r)!;
      return Number(b.x) + Number(b.width);
    };
    const x1 = Number(line.x1);
    expect(x1).toBeGreaterThan(end(0.5));
    expect(x1).toBeLessThan(end(2));
    expect(x1).toBeCloseTo(end(1), 1);
    expect(svg).toContain('same speed');
  });

  it("says 'not run' where a ratio is missing", () => {
    const notRun = [...svg.matchAll(/<text\b[^>]*class="not-run"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    // 'a<b & c' lacks tfjs-cpu; 'broken' lacks both (its tfjs-wasm run failed).
    expect(notRun).toHaveLength(3);
    for (const t of notRun) expect(t).toMatch(/^not run/);
    expect(notRun).toContain('not run (tfjs-wasm failed)');
  });

  it('escapes case names and machine text', () => {
    expect(svg).toContain('a&lt;b &amp; c');
    expect(svg).not.toContain('a<b');
    expect(svg).toContain('Test CPU &lt;8 &amp; 9&gt;');
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });

  it('titles the chart with date, Node version, CPU and threads, and has a two-colour legend', () => {
    expect(svg).toContain('2026-01-02 03:04 UTC');
    expect(svg).toContain('Node v20.0.0');
    expect(svg).toContain('2 hardware threads');
    expect(svg).toContain('>vs tfjs-wasm</text>');
    expect(svg).toContain('>vs tfjs-cpu</text>');
    const colours = new Set(bars.map((b) => b.fill));
    expect(colours.size).toBe(2);
  });

  it('covers the whole ratio range on the axis, and renders with no cases', () => {
    const d = axisDomain([0.7, 400]);
    expect(d.lo).toBe(0.5);
    expect(d.hi).toBe(500);
    expect(d.ticks).toEqual([0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500]);
    expect(axisDomain([0.5]).lo).toBe(0.2);
    const empty = renderSpeedChart([], machine);
    checkBalanced(empty);
    expect(empty).toContain('no cases run');
  });
});
