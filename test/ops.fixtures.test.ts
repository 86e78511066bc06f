// Every case of test/fixtures/ops.json through the public API: outputs,
// and the input gradients of sum(outputs * grad_outputs). The per-case logic
// lives in test/fixtures/ops_cases.js, which the browser runner
// (test/browser/fixtures-runner.js) shares.
import { describe, it, expect } from 'vitest';
import * as torch from '../src/index.js';
import { loadFixture } from './helpers/fixtures.js';
import { lookup, runOpCase, type OpCase } from './fixtures/ops_cases.js';

const cases = loadFixture<{ cases: OpCase[] }>('ops.json').cases;
// the ops of later issues: recurrent layers (issue 5)
const MISSING: string[] = [];
const runnable = cases.filter((c) => lookup(torch, c) !== null);

describe('ops.json fixtures (PyTorch 2.13)', () => {
  it('covers the ops this version implements', () => {
    const missing = [...new Set(cases.filter((c) => lookup(torch, c) === null).map((c) => c.op))].sort();
    expect(missing).toEqual(MISSING);
    expect(runnable.length).toBeGreaterThanOrEqual(160);
  });

  for (const c of runnable) {
    it(c.name, () => runOpCase(torch, c));
  }
});
