// Threads in the browser: served cross-origin isolated (COOP/COEP), the
// library runs its shared-memory kernels and set_num_threads(2) starts a Web
// Worker that takes half of each large GEMM, on a page's main thread and in a
// module worker alike; results equal one thread's bit for bit. Served without
// those headers, the page gets the plain kernels and one thread.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { root, browserSkipReason, launchChromium, serveStatic, watchPage, pageResult, type StaticServer } from './chromium.js';

const skip = browserSkipReason('the browser threads test');
const ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

interface Check { isolated: boolean; threads: number; workerJobs: number; same: boolean }

describe.skipIf(skip !== undefined)('threads in the browser', () => {
  let browser: Browser;
  let isolated: StaticServer, plain: StaticServer;
  beforeAll(async () => {
    browser = await launchChromium();
    isolated = await serveStatic(root, {}, ISOLATED);
    plain = await serveStatic(root);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
  });

  it('cross-origin isolated: a second thread runs part of each large GEMM, with the one-thread bits', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    const r = await pageResult<{ page: Check; worker: Check }>(page, `${isolated.origin}/test/browser/threads.html`, problems, 30_000);
    for (const where of ['page', 'worker'] as const) {
      expect(r[where], where).toEqual({ isolated: true, threads: 2, workerJobs: 1, same: true });
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('not isolated: one thread, the plain kernels', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    const r = await pageResult<{ page: Check; worker: Check }>(page, `${plain.origin}/test/browser/threads.html`, problems, 30_000);
    for (const where of ['page', 'worker'] as const) {
      expect(r[where], where).toEqual({ isolated: false, threads: 1, workerJobs: 0, same: true });
    }
    await page.close();
  }, 60_000);
});
