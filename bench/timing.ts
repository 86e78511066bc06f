// Timing helpers: warm up, then time many samples and keep the median.
import { performance } from 'node:perf_hooks';

export interface Stats {
  median: number; // seconds per run
  min: number;
  samples: number;
  inner: number; // runs per sample (batched when one run is shorter than ~1 ms)
}

export interface MeasureOptions {
  minSamples?: number; // at least this many samples (5 when one run takes over 1 s)
  minTime?: number; // and at least this many seconds in total
  maxTime?: number; // stop after this many seconds once 5 samples are in
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Lets the event loop turn (FinalizationRegistry callbacks, timers); never timed. */
export const yieldLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function measure(run: () => void, opts: MeasureOptions = {}): Promise<Stats> {
  const { minSamples = 15, minTime = 0.5, maxTime = 20 } = opts;
  // Warm-up: at least 3 runs and 0.2 s (capped at 10 runs once past 0.2 s).
  let t0 = performance.now();
  let warm = 0;
  let one = Infinity;
  while (warm < 3 || (performance.now() - t0 < 200 && warm < 1000)) {
    const s = performance.now();
    run();
    one = Math.min(one, (performance.now() - s) / 1000);
    warm++;
    if (warm >= 10 && performance.now() - t0 >= 200) break;
  }
  const inner = one < 1e-3 ? Math.ceil(1e-3 / Math.max(one, 1e-7)) : 1;
  const need = one > 1 ? 5 : minSamples;
  const times: number[] = [];
  t0 = performance.now();
  for (;;) {
    await yieldLoop();
    const s = performance.now();
    for (let i = 0; i < inner; i++) run();
    times.push((performance.now() - s) / 1000 / inner);
    const elapsed = (performance.now() - t0) / 1000;
    if ((times.length >= need && elapsed >= minTime) || (times.length >= 5 && elapsed >= maxTime)) break;
    if (times.length >= 5000) break;
  }
  return { median: median(times), min: Math.min(...times), samples: times.length, inner };
}

export function fmtTime(s: number): string {
  if (s < 1e-3) return `${(s * 1e6).toFixed(1)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}
