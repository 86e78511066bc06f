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

/** Python's repr() of a string, or of a tuple (array) of strings: ('a', "b's"). */
export function repr(x: string | string[]): string {
  if (Array.isArray(x)) return `(${x.map((s) => repr(s)).join(', ')}${x.length === 1 ? ',' : ''})`;
  const quote = x.includes("'") && !x.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of x) {
    const code = ch.charCodeAt(0);
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + quote;
}
