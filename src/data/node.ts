// Node-only data helpers (node:fs, node:zlib). Kept out of the browser-safe
// data module, so that one loads in a browser: Node programs import this file.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseCsv, type CsvOptions } from './csv.js';

/** A file's text, gunzipped when it starts with gzip's magic bytes (e.g. a .gz file). */
export function readText(path: string | URL): string {
  const bytes = readFileSync(path);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
}

/**
 * Rows of a CSV given as a path (plain or gzipped, e.g. 'diabetes.csv.gz')
 * or as the CSV text itself (anything with a line break, or no such file).
 * Fields are strings: `rows.map((r) => r.map(Number))` for numeric data.
 */
export function loadCsv(textOrPath: string | URL, options: CsvOptions = {}): string[][] {
  // one line that names no file but looks like a file name is a missing file, not CSV text
  if (typeof textOrPath === 'string' && !/[\r\n,]/.test(textOrPath) && /\.(csv|gz|tsv|txt)$/i.test(textOrPath) && !existsSync(textOrPath)) {
    throw new Error(`loadCsv: no such file: '${textOrPath}'`);
  }
  const isPath = textOrPath instanceof URL || (!/[\r\n]/.test(textOrPath) && existsSync(textOrPath));
  return parseCsv(isPath ? readText(textOrPath) : (textOrPath as string), options);
}
