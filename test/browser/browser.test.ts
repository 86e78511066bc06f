// The library in a real browser: Debian's headless Chromium, driven by
// playwright-core, loads dist/src/index.js from a static server over the
// repository root (test/browser/index.html -> main.js -> seed-program.js) and
// runs lecture 05; the same seed program runs here in Node against src/. Same
// wasm, same float32 arithmetic: the two runs must agree bit for bit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import * as torch from '../../src/index.js';
import { runSeedProgram, type SeedResult } from './seed-program.js';
import { browserSkipReason, launchChromium, pageResult, root, serveStatic, watchPage, type StaticServer } from './chromium.js';

const here = dirname(fileURLToPath(import.meta.url));
/** PyTorch's prediction for x = 4 (test/fixtures/training.json, linear_regression, predict_4) */
const TORCH_PREDICT_4 = 7.996386528015137;

interface PageResult extends SeedResult {
  userAgent: string;
}
let skipReason: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let fromBrowser: PageResult;
let fromNode: SeedResult;
/** console errors, uncaught page errors, failed or >= 400 requests */
const problems: string[] = [];

beforeAll(async () => {
  skipReason = browserSkipReason();
  if (skipReason) return;

  fromNode = runSeedProgram(torch);

  server = await serveStatic(root);
  browser = await launchChromium();
  const page = await browser.newPage();
  watchPage(page, problems);
  fromBrowser = await pageResult<PageResult>(page, `${server.origin}/test/browser/index.html`, problems);

  // kept for CI debugging (test/browser/artifacts/ is git-ignored)
  const artifacts = join(here, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'result.json'), JSON.stringify({ browser: fromBrowser, node: fromNode, problems }, null, 1));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
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
