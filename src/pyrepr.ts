// Python's reprs of plain values, as PyTorch's module reprs and messages print them.

/** A float as Python prints it: 1.0, 0.01, 1e-05, inf, nan. */
export function pyFloat(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : pyRepr(x);
}

/** A value as Python prints the one it was given (wasmtorch cannot tell 1 from 1.0): -1, 0.5, 1e-05, inf, True, None. */
export function pyRepr(x: unknown): string {
  if (typeof x !== 'number') return typeof x === 'boolean' ? pyBool(x) : x === null || x === undefined ? 'None' : String(x);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x);
  const [mantissa, exponent] = x.toExponential().split('e');
  const e = Number(exponent);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(x);
}

export const pyBool = (b: boolean): string => (b ? 'True' : 'False');

/** Python's tuple repr: (3,), (2, 5). */
export function pyTuple(xs: readonly unknown[]): string {
  return xs.length === 1 ? `(${pyRepr(xs[0])},)` : `(${xs.map(pyRepr).join(', ')})`;
}
