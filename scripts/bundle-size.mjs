// What a web page downloads for the README's tour (docs/tour/tour.mjs): a consumer project of its own (the
// package linked into node_modules, an index.html and the tour as main.js) built by Vite with no configuration.
// Prints each file of the build with its minified and gzipped size, and the total of those a page that is not
// cross-origin isolated (no threads) loads, with and without relaxed SIMD: the entry, its static imports and
// the kernel chunks of that branch. test/browser/bundles.test.ts loads the same build in Chromium.
//   node scripts/bundle-size.mjs [path to the package, default: this repository]
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The tour as a page's script: its printed result goes into the page instead. */
export function tourPageScript() {
  return readFileSync(join(root, 'docs', 'tour', 'tour.mjs'), 'utf8')
    .replace(/console\.log\((.*)\);.*\n$/, 'document.body.dataset.result = String($1);\n');
}

/** Builds the tour as a consumer app with Vite, no configuration; returns the folder (dist/ inside) to remove. */
export async function buildTourWithVite(pkg = root) {
  const { build } = await import('vite');
  const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(resolve(pkg), join(dir, 'node_modules', 'wasmtorch'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><head><link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body>');
  writeFileSync(join(dir, 'main.js'), tourPageScript());
  await build({ root: dir, logLevel: 'silent', configFile: false, build: { outDir: 'dist' } });
  return dir;
}

/** Which kernel build a file is the chunk of, if any. */
export const kernelChunk = (name) => /(release|threads-relaxed|relaxed|threads)\.generated/.exec(name)?.[1];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = await buildTourWithVite(process.argv[2]);
  try {
    const assets = join(dir, 'dist', 'assets');
    const rows = readdirSync(assets).map((name) => {
      const bytes = readFileSync(join(assets, name));
      return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const sum = (rs, k) => rs.reduce((s, r) => s + r[k], 0);
    const loads = (relaxed) => rows.filter((r) => !kernelChunk(r.name) || kernelChunk(r.name) === 'release' ||
      (relaxed && kernelChunk(r.name) === 'relaxed'));
    for (const r of rows) console.log(`${r.name.padEnd(44)} ${String(r.bytes).padStart(8)} B  ${String(r.gzip).padStart(7)} B gzipped`);
    console.log(`all files: ${sum(rows, 'bytes')} B, ${sum(rows, 'gzip')} B gzipped`);
    for (const relaxed of [true, false]) {
      const l = loads(relaxed);
      console.log(`a page loads (no threads, ${relaxed ? 'relaxed SIMD' : 'no relaxed SIMD'}): ${l.length} files, ` +
        `${sum(l, 'bytes')} B, ${sum(l, 'gzip')} B gzipped`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
