// The library in a real browser: Debian's headless Chromium, driven by
// playwright-core, loads dist/src/index.js from a static server over the
// repository root (test/browser/index.html -> main.js -> seed-program.js) and
// runs lecture 05; the same seed program runs here in Node against src/. Same
// wasm, same float32 arithmetic: the two runs must agree bit for bit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import * as torch from '../../src/index.js';
import { runSeedProgram, type SeedResult } from './seed-program.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** PyTorch's prediction for x = 4 (../shared/fixtures/training.json, linear_regression, predict_4) */
const TORCH_PREDICT_4 = 7.996386528015137;
const ci = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A static server over `dir` on 127.0.0.1 at a free port. */
async function serveStatic(dir: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405).end();
          return;
        }
        const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
        let file = resolve(dir, '.' + pathname);
        if (file !== dir && !file.startsWith(dir + sep)) {
          res.writeHead(403).end();
          return;
        }
        if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
        const body = await readFile(file).catch(() => null);
        if (body === null) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
          return;
        }
        res.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-length': body.length,
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

interface PageResult extends SeedResult {
  userAgent: string;
}
interface PageGlobals {
  __result?: PageResult;
  __error?: string;
}

let skipReason: string | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let fromBrowser: PageResult;
let fromNode: SeedResult;
/** console errors, uncaught page errors, failed or >= 400 requests */
const problems: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    if (ci) {
      throw new Error(`${CHROMIUM} not found, and CI is set: CI must install Debian's chromium (apt-get install -y chromium) for the browser test`);
    }
    skipReason = `${CHROMIUM} not found (apt-get install -y chromium); the real-browser test is skipped outside CI`;
    console.warn(`test/browser: ${skipReason}`);
    return;
  }
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/src/index.js not found: run npm run build first (the page imports the built package)');
  }

  fromNode = runSeedProgram(torch);

  const served = await serveStatic(root);
  server = served.server;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });

  await page.goto(`${served.origin}/test/browser/index.html`, { timeout: 15_000 });
  try {
    await page.waitForFunction(
      () => {
        const g = globalThis as unknown as PageGlobals;
        return g.__result !== undefined || g.__error !== undefined;
      },
      undefined,
      { timeout: 20_000 },
    );
  } catch (e) {
    throw new Error(`the page never reported a result (${(e as Error).message.split('\n')[0]}); seen: ${problems.join(' | ') || 'nothing'}`);
  }
  const { result, error } = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return { result: g.__result, error: g.__error };
  });
  if (error !== undefined || result === undefined) {
    throw new Error(`the seed program failed in the browser: ${error}\nseen: ${problems.join(' | ') || 'nothing'}`);
  }
  fromBrowser = result;

  // kept for CI debugging (test/browser/artifacts/ is git-ignored)
  const artifacts = join(here, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'result.json'), JSON.stringify({ browser: fromBrowser, node: fromNode, problems }, null, 1));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
});

describe('browser: headless Chromium runs the built package', () => {
  it('loads dist/src/index.js without console errors, page errors or failed requests', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(fromBrowser.userAgent).toMatch(/Chrome\//);
    expect(problems).toEqual([]);
  });

  it('lecture 05: the 500 losses and the prediction equal Node\'s bit for bit', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(fromBrowser.losses).toHaveLength(500);
    const hint = 'browser (dist/) and Node (src/) disagree: is dist/ stale? run npm run build';
    expect(fromBrowser.losses, hint).toEqual(fromNode.losses);
    expect(fromBrowser.prediction, hint).toEqual(fromNode.prediction);
  });

  it('lecture 05: the prediction for x = 4 matches PyTorch to 1e-5', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(Math.abs(fromBrowser.prediction - TORCH_PREDICT_4)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(fromNode.prediction - TORCH_PREDICT_4)).toBeLessThanOrEqual(1e-5);
  });
});
