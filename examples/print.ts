// Python-style printing for the course's programs: print() joins with spaces,
// and float() shows a float as Python does (1.0, not 1).
export function float(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}

/** Python's round(x, n) as printed (round half to even is close enough for display). */
export function round(x: number, n = 0): string {
  return float(Number(x.toFixed(n)));
}

export function print(...args: unknown[]): void {
  console.log(args.map((a) => String(a)).join(' '));
}
