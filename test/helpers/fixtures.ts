// Reading ../shared/fixtures (golden values from PyTorch 2.13) into tensors.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as torch from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared beside the repository (the layout of a session and of CI). */
const candidates = [join(here, '..', '..', '..', 'shared'), join(here, '..', '..', 'shared')];
export const sharedDir = candidates.find(existsSync) ?? (() => {
  throw new Error(`the PyTorch fixtures live in shared/ beside the repository; not found at ${candidates.join(' or ')}`);
})();

export interface FixtureTensor {
  shape: number[];
  dtype: 'float32' | 'int64' | 'bool';
  data?: (number | boolean)[];
  b64?: string;
}

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(sharedDir, 'fixtures', name), 'utf8')) as T;
}

export function readData(name: string): string {
  return gunzipSync(readFileSync(join(sharedDir, 'data', name))).toString('utf8');
}

export function fixtureValues(t: FixtureTensor): number[] {
  if (t.data) return t.data.map(Number);
  const bytes = Buffer.from(t.b64!, 'base64');
  const f = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return Array.from(f);
}

export function toTensor(t: FixtureTensor, requires_grad = false): torch.Tensor {
  const values = fixtureValues(t);
  const dtype = t.dtype === 'int64' ? torch.int64 : t.dtype === 'bool' ? torch.bool : torch.float32;
  const flat = torch.tensor(dtype === torch.float32 ? new Float32Array(values) : values, { dtype });
  const x = flat.reshape(t.shape).detach();
  if (requires_grad) x.requires_grad_(true);
  return x;
}

/** Elementwise |a - b| <= atol + rtol |b|; returns a description of the first failure. */
export function allclose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return `at ${i}: got ${a}, expected ${e}`;
  }
  return null;
}

export function expectClose(actual: torch.Tensor, expected: FixtureTensor, rtol = 1e-4, atol = 1e-5): void {
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((s, i) => s === expected.shape[i]);
  if (!shapeOk) throw new Error(`shape [${actual.shape}] != expected [${expected.shape}]`);
  const err = allclose(Array.from(actual.dataSync(), Number), fixtureValues(expected), rtol, atol);
  if (err) throw new Error(err);
}
