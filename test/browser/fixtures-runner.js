// The PyTorch fixture suites in the page: every case of ops.json and the
// training.json trajectories and optimizer trajectories, against the built
// package (dist/), with the comparison logic the Node suites use
// (test/fixtures/*.js). fixtures.test.ts serves the repository root.
import * as torch from '/dist/src/index.js';
import { runOpCase } from '../fixtures/ops_cases.js';
import { trajectoryCases, optimizerCaseName, runOptimizerCase } from '../fixtures/training_cases.js';

/** @param {string} url */
async function fetchOk(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res;
}

/** The text of a gzip file, decompressed by the browser. @param {string} url */
async function gunzipText(url) {
  const res = await fetchOk(url);
  // read the whole body first: piping it straight into the decompressor lets the gzip end cancel the
  // request before the last bytes arrive, which Chromium reports as a failed (aborted) request
  const bytes = await res.arrayBuffer();
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

/**
 * Runs every case; never throws for a mismatch, collects it.
 * @param {string} fixtures URL of test/fixtures
 * @param {string} data URL of examples/data
 * @returns {Promise<{ passed: number, failed: { name: string, error: string }[], names: string[], ms: number }>}
 */
export async function runFixtures(fixtures = '/test/fixtures', data = '/examples/data') {
  const started = performance.now();
  const [ops, training] = await Promise.all([
    fetchOk(`${fixtures}/ops.json`).then((r) => r.json()),
    fetchOk(`${fixtures}/training.json`).then((r) => r.json()),
  ]);
  const files = {};
  if (trajectoryCases.some((c) => c.needs?.includes('diabetes.csv.gz'))) {
    files.diabetesCsv = await gunzipText(`${data}/diabetes.csv.gz`);
  }

  /** @type {[string, () => void][]} */
  const cases = [
    ...ops.cases.map((c) => [`ops: ${c.name}`, () => runOpCase(torch, c)]),
    ...trajectoryCases.map((c) => [`training: ${c.name}`, () => c.run(torch, training, files)]),
    ...training.optimizers.map((c) => [`optimizer: ${optimizerCaseName(c)}`, () => runOptimizerCase(torch, c)]),
  ];
  let passed = 0;
  const failed = [];
  for (const [name, run] of cases) {
    try {
      run();
      passed++;
    } catch (e) {
      failed.push({ name, error: String((e && e.stack) || e).split('\n').slice(0, 4).join('\n') });
    }
  }
  return { passed, failed, names: cases.map(([name]) => name), ms: Math.round(performance.now() - started) };
}

if (typeof window !== 'undefined' && window.location.pathname.endsWith('/fixtures.html')) {
  runFixtures().then(
    (summary) => { window.__result = { ...summary, userAgent: navigator.userAgent }; },
    (e) => { window.__error = String((e && e.stack) || e); },
  );
}
