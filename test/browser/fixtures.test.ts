// The PyTorch golden-value suites in a real browser: headless Chromium loads
// test/browser/fixtures.html, whose runner (fixtures-runner.js) imports the
// built package (dist/src/index.js) and runs every case of
// test/fixtures/ops.json and the trajectories and optimizer trajectories
// of training.json with the Node suites' own per-case logic
// (test/fixtures/*.js) and tolerances. The repository root is served.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadFixture } from '../helpers/fixtures.js';
import type { OpCase } from '../fixtures/ops_cases.js';
import { trajectoryCases, optimizerCaseName, type TrainingFixture } from '../fixtures/training_cases.js';
import { browserSkipReason, launchChromium, pageResult, root, serveStatic, watchPage, type StaticServer } from './chromium.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Summary {
  passed: number;
  failed: { name: string; error: string }[];
  names: string[];
  ms: number;
  userAgent: string;
}

/** The case names the page must run, in its order. */
function expectedNames(): string[] {
  const ops = loadFixture<{ cases: OpCase[] }>('ops.json').cases;
  const training = loadFixture<TrainingFixture>('training.json');
  return [
    ...ops.map((c) => `ops: ${c.name}`),
    ...trajectoryCases.map((c) => `training: ${c.name}`),
    ...training.optimizers.map((c) => `optimizer: ${optimizerCaseName(c)}`),
  ];
}

let skipReason: string | undefined;
let server: StaticServer | undefined;
let browser: Browser | undefined;
let summary: Summary;
const problems: string[] = [];

beforeAll(async () => {
  skipReason = browserSkipReason('the browser fixture suites');
  if (skipReason) return;
  server = await serveStatic(root);
  browser = await launchChromium();
  const page = await browser.newPage();
  watchPage(page, problems);
  summary = await pageResult<Summary>(page, `${server.origin}/test/browser/fixtures.html`, problems, 90_000);

  // kept for CI debugging (test/browser/artifacts/ is git-ignored)
  const artifacts = join(here, 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'fixtures.json'), JSON.stringify({ summary, problems }, null, 1));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('browser: the PyTorch fixture suites in headless Chromium (dist/)', () => {
  it('runs without console errors, page errors or failed requests', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(summary.userAgent).toMatch(/Chrome\//);
    expect(problems).toEqual([]);
  });

  it('runs every case of ops.json and the trajectories and optimizer cases of training.json', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const names = expectedNames();
    expect(names.length).toBeGreaterThanOrEqual(184 + 9 + 11);
    expect(summary.names).toEqual(names);
  });

  it('every case matches PyTorch within the Node suites\' tolerances', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    expect(summary.failed).toEqual([]);
    expect(summary.passed).toBe(expectedNames().length);
  });
});
