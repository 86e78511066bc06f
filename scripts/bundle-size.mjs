// What a web page downloads for the README's tour: a consumer project of its own (the package linked in
// node_modules, an index.html and the tour as main.js) built by Vite with no configuration. Prints each file
// of the build with its minified and gzipped size, and the total of those a page loads on the engine that runs
// a page that is not cross-origin isolated (no threads), with and without relaxed SIMD (current Chromium, Firefox
// and Safari have it): the entry, its static imports and the kernel chunks of that branch.
//   node scripts/bundle-size.mjs [path to the package, default: this repository]
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = resolve(process.argv[2] ?? root);
export const TOUR = `import * as torch from 'wasmtorch';
const { nn, optim } = torch;
const x = torch.tensor([[1.0], [2.0], [3.0]]);
const y = torch.tensor([[2.0], [4.0], [6.0]]);
class Model extends nn.Module {
  constructor() { super(); this.linear = new nn.Linear(1, 1); }
  forward(x) { return this.linear.forward(x); }
}
const model = new Model();
const criterion = new nn.MSELoss({ reduction: 'sum' });
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });
for (let epoch = 0; epoch < 500; epoch++) {
  const loss = criterion.forward(model.forward(x), y);
  optimizer.zero_grad();
  loss.backward();
  optimizer.step();
}
document.body.textContent = String(model.forward(torch.tensor([[4.0]])).item());
`;

const dir = mkdtempSync(join(tmpdir(), 'wasmtorch-consumer-'));
try {
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(pkg, join(dir, 'node_modules', 'wasmtorch'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><body><script type="module" src="./main.js"></script></body>');
  writeFileSync(join(dir, 'main.js'), TOUR);
  await build({ root: dir, logLevel: 'silent', configFile: false, build: { outDir: 'dist' } });
  const assets = join(dir, 'dist', 'assets');
  const rows = readdirSync(assets).map((name) => {
    const bytes = readFileSync(join(assets, name));
    return { name, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const kernelChunk = (n) => /(release|threads-relaxed|relaxed|threads)\.generated/.exec(n)?.[1];
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
