// The built package unchanged in two more browser settings, each running the
// seed program (lecture 05) whose result must equal Node's bit for bit:
// (a) a module Web Worker (worker.html -> new Worker('worker.js', { type: 'module' })
//     -> dist/src/index.js), and
// (c) an esbuild bundle (format esm, platform browser, code splitting) of a
//     small entry that imports dist/src/index.js, loaded by a page on its own,
// and (d) the README's tour built by Vite with no configuration as a consumer
//     app would (scripts/bundle-size.mjs): both pages fetch only the kernel
//     builds they run.
// (b), a plain <script type="module">, is browser.test.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
// @ts-expect-error: a plain .mjs script without declarations
import { buildTourWithVite, kernelChunk } from '../../scripts/bundle-size.mjs';
import type { Browser } from 'playwright-core';
import * as torch from '../../src/index.js';
import { runSeedProgram, type SeedResult } from './seed-program.js';
import { browserSkipReason, launchChromium, pageResult, root, serveStatic, watchPage, type StaticServer } from './chromium.js';

interface WorkerResult extends SeedResult {
  userAgent: string;
  inWorker: boolean;
}
interface BundleResult extends SeedResult {
  userAgent: string;
}

const HINT = 'browser (dist/) and Node (src/) disagree: is dist/ stale? run npm run build';

let skipReason: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let bundleDir: string | undefined;
let fromNode: SeedResult;

beforeAll(async () => {
  skipReason = browserSkipReason('the worker and bundle tests');
  if (skipReason) return;
  fromNode = runSeedProgram(torch);
  bundleDir = mkdtempSync(join(tmpdir(), 'wasmtorch-bundle-'));
  server = await serveStatic(root, { '/bundle': bundleDir });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

describe('browser: the package in a module Web Worker', () => {
  let result: WorkerResult;
  const problems: string[] = [];

  beforeAll(async () => {
    if (skipReason) return;
    const page = await browser!.newPage();
    watchPage(page, problems);
    result = await pageResult<WorkerResult>(page, `${server!.origin}/test/browser/worker.html`, problems);
    await page.close();
  }, 60_000);

  it('imports dist/src/index.js in the worker without errors or failed requests', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(result.inWorker).toBe(true);
    expect(result.userAgent).toMatch(/Chrome\//);
    expect(problems).toEqual([]);
  });

  it('lecture 05: the 500 losses and the prediction equal Node\'s bit for bit', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(result.losses).toHaveLength(500);
    expect(result.losses, HINT).toEqual(fromNode.losses);
    expect(result.prediction, HINT).toEqual(fromNode.prediction);
  });
});

/** The kernel builds a page that is not cross-origin isolated runs in Chromium, which has relaxed SIMD. */
const PAGE_BUILDS = ['relaxed', 'release'];
const kernelRequests = (paths: string[]) => paths.map((p) => kernelChunk(p)).filter((k) => k !== undefined).sort();

describe('browser: the package in an esbuild bundle (esm, platform browser, splitting)', () => {
  let result: BundleResult;
  let build: esbuild.BuildResult;
  let bundleText: string;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    if (skipReason) return;
    const dir = bundleDir!;
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, [
      `import * as torch from ${JSON.stringify(join(root, 'dist', 'src', 'index.js'))};`,
      `import { runSeedProgram } from ${JSON.stringify(join(root, 'test', 'browser', 'seed-program.js'))};`,
      'try {',
      '  window.__result = { ...runSeedProgram(torch), userAgent: navigator.userAgent };',
      '} catch (e) {',
      '  window.__error = String((e && e.stack) || e);',
      '}',
      '',
    ].join('\n'));
    build = await esbuild.build({
      entryPoints: [entry],
      outdir: join(dir, 'out'),
      entryNames: 'bundle',
      chunkNames: '[name]-[hash]',
      splitting: true,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      metafile: true,
    });
    bundleText = readFileSync(join(dir, 'out', 'bundle.js'), 'utf8');
    writeFileSync(join(dir, 'index.html'), [
      '<!doctype html>',
      '<html><head><meta charset="utf-8"><title>wasmtorch esbuild bundle</title><link rel="icon" href="data:,">',
      '<script>',
      "  window.addEventListener('error', (e) => { window.__error ??= String(e.error?.stack ?? e.message); });",
      "  window.addEventListener('unhandledrejection', (e) => { window.__error ??= String(e.reason?.stack ?? e.reason); });",
      '</script>',
      '<script type="module" src="./out/bundle.js" onerror="window.__error ??= \'failed to load bundle.js\'"></script>',
      '</head><body>wasmtorch esbuild bundle</body></html>',
      '',
    ].join('\n'));

    const page = await browser!.newPage();
    watchPage(page, problems);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    result = await pageResult<BundleResult>(page, `${server!.origin}/bundle/index.html`, problems);
    await page.close();
  }, 60_000);

  it('bundles without errors or warnings', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(build.errors).toEqual([]);
    expect(build.warnings.map((w) => w.text)).toEqual([]);
    // the entry and the seed program, the rest is the package
    expect(Object.keys(build.metafile!.inputs).some((f) => f.includes('dist/src/index.js'))).toBe(true);
    expect(bundleText.length).toBeGreaterThan(0);
  });

  it('the page loads the bundle and the chunks of the two kernel builds it runs, no others, no errors', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(problems).toEqual([]);
    expect(requested.slice(0, 2)).toEqual(['/bundle/index.html', '/bundle/out/bundle.js']);
    expect(requested.every((p) => p.startsWith('/bundle/out/') || p === '/bundle/index.html')).toBe(true);
    expect(kernelRequests(requested)).toEqual(PAGE_BUILDS);
    // all four builds were emitted: the page chose
    const emitted = Object.keys(build.metafile!.outputs).filter((f) => kernelChunk(f) && f.endsWith('.js'));
    expect(emitted).toHaveLength(4);
    expect(result.userAgent).toMatch(/Chrome\//);
  });

  it('lecture 05: the 500 losses and the prediction equal Node\'s bit for bit', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(result.losses).toHaveLength(500);
    expect(result.losses, HINT).toEqual(fromNode.losses);
    expect(result.prediction, HINT).toEqual(fromNode.prediction);
  });
});

describe('browser: the README tour as a Vite app with no configuration', () => {
  let consumer: string | undefined;
  let viteServer: StaticServer | undefined;
  let resultText: string | null = null;
  const problems: string[] = [];
  const requested: string[] = [];

  beforeAll(async () => {
    if (skipReason) return;
    consumer = await buildTourWithVite(root);
    viteServer = await serveStatic(join(consumer!, 'dist'));
    const page = await browser!.newPage();
    watchPage(page, problems);
    page.on('request', (r) => requested.push(new URL(r.url()).pathname));
    await page.goto(`${viteServer.origin}/index.html`);
    await page.waitForFunction(() => document.body.dataset.result !== undefined, undefined, { timeout: 30_000 });
    resultText = await page.evaluate(() => document.body.dataset.result ?? null);
    await page.close();
  }, 120_000);

  afterAll(async () => {
    await viteServer?.close();
    if (consumer) rmSync(consumer, { recursive: true, force: true });
  });

  it('trains the tour in the page (a prediction of about 8), without errors', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(problems).toEqual([]);
    expect(Math.abs(Number(resultText) - 8)).toBeLessThan(0.05);
  });

  it('downloads only the kernel builds it runs', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(kernelRequests(requested)).toEqual(PAGE_BUILDS);
  });
});
