// Reading ../shared/fixtures (golden values from PyTorch 2.13) into tensors.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as torch from '../../src/index.js';
import * as shared from '../fixtures/compare.js';
import type { FixtureTensor } from '../fixtures/compare.js';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared beside the repository (the layout of a session and of CI). */
const candidates = [join(here, '..', '..', '..', 'shared'), join(here, '..', '..', 'shared')];
export const sharedDir = candidates.find(existsSync) ?? (() => {
  throw new Error(`the PyTorch fixtures live in shared/ beside the repository; not found at ${candidates.join(' or ')}`);
})();

export type { FixtureTensor };

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(sharedDir, 'fixtures', name), 'utf8')) as T;
}

export function readData(name: string): string {
  return gunzipSync(readFileSync(join(sharedDir, 'data', name))).toString('utf8');
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
