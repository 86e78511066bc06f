// Reading the golden values from PyTorch (test/fixtures/*.json, written by
// scripts/fixtures/generate.py) and the course's data (examples/data) into tensors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as torch from '../../src/index.js';
import * as shared from '../fixtures/compare.js';
import type { FixtureTensor } from '../fixtures/compare.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root: everything the tests read lives below it. */
export const repoRoot = resolve(here, '..', '..');
/** The golden-value files. */
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
/** The course's data files (gzipped CSV and text). */
export const dataDir = join(repoRoot, 'examples', 'data');

export type { FixtureTensor };

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixturesDir, name), 'utf8')) as T;
}

export function readData(name: string): string {
  return gunzipSync(readFileSync(join(dataDir, name))).toString('utf8');
}

// the conversions and comparisons are test/fixtures/compare.js, shared with the browser runner
export const fixtureValues: (t: FixtureTensor) => number[] = shared.fixtureValues;

export function toTensor(t: FixtureTensor, requires_grad = false): torch.Tensor {
  return shared.toTensor(torch, t, requires_grad);
}

/** Elementwise |a - b| <= atol + rtol |b|; returns a description of the first failure. */
export const allclose: (actual: ArrayLike<number>, expected: ArrayLike<number>, rtol?: number, atol?: number) => string | null = shared.allclose;

/** Throws unless `actual` has the fixture's shape and allclose values. */
export function expectClose(actual: torch.Tensor, expected: FixtureTensor, rtol = 1e-4, atol = 1e-5): void {
  shared.checkClose(actual, expected, rtol, atol);
}
