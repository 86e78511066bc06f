// Lecture 11-1: a toy Inception network (1x1, 5x5, double 3x3 and average-pool
// branches concatenated) on MNIST (the seeded 8,000/2,000 split).
import { mkdirSync } from 'node:fs';
import * as torch from '../src/index.js';
import { print } from './print.js';
import { mnistLoaders } from './mnist.js';
import { ProgressBar } from './progress.js';
const { nn, optim } = torch;
const F = torch.nn.functional;

// Training settings
const batch_size = 64;
const epochs = Number(process.env.EPOCHS ?? 10); // 10 epochs of 8,000 digits reach about 94% test accuracy

const { train_loader, test_loader } = mnistLoaders(batch_size);

class InceptionA extends nn.Module {
  branch1x1: torch.nn.Conv2d;
  branch5x5_1: torch.nn.Conv2d;
  branch5x5_2: torch.nn.Conv2d;
  branch3x3dbl_1: torch.nn.Conv2d;
  branch3x3dbl_2: torch.nn.Conv2d;
  branch3x3dbl_3: torch.nn.Conv2d;
  branch_pool: torch.nn.Conv2d;

  constructor(in_channels: number) {
    super();
    this.branch1x1 = new nn.Conv2d(in_channels, 16, 1);
    this.branch5x5_1 = new nn.Conv2d(in_channels, 16, 1);
    this.branch5x5_2 = new nn.Conv2d(16, 24, 5, { padding: 2 });
    this.branch3x3dbl_1 = new nn.Conv2d(in_channels, 16, 1);
    this.branch3x3dbl_2 = new nn.Conv2d(16, 24, 3, { padding: 1 });
    this.branch3x3dbl_3 = new nn.Conv2d(24, 24, 3, { padding: 1 });
    this.branch_pool = new nn.Conv2d(in_channels, 24, 1);
  }

  forward(x: torch.Tensor): torch.Tensor {
    const branch1x1 = this.branch1x1.forward(x);

    let branch5x5 = this.branch5x5_1.forward(x);
    branch5x5 = this.branch5x5_2.forward(branch5x5);

    let branch3x3dbl = this.branch3x3dbl_1.forward(x);
    branch3x3dbl = this.branch3x3dbl_2.forward(branch3x3dbl);
    branch3x3dbl = this.branch3x3dbl_3.forward(branch3x3dbl);

    let branch_pool = F.avg_pool2d(x, 3, { stride: 1, padding: 1 });
    branch_pool = this.branch_pool.forward(branch_pool);

    const outputs = [branch1x1, branch5x5, branch3x3dbl, branch_pool];
    return torch.cat(outputs, 1);
  }
}

class Net extends nn.Module {
  conv1 = new nn.Conv2d(1, 10, 5);
  conv2 = new nn.Conv2d(88, 20, 5);
  incept1 = new InceptionA(10);
  incept2 = new InceptionA(20);
  mp = new nn.MaxPool2d(2);
  fc = new nn.Linear(1408, 10);

  forward(x: torch.Tensor): torch.Tensor {
    const in_size = x.size(0);
    x = F.relu(this.mp.forward(this.conv1.forward(x)) as torch.Tensor);
    x = this.incept1.forward(x);
    x = F.relu(this.mp.forward(this.conv2.forward(x)) as torch.Tensor);
    x = this.incept2.forward(x);
    x = x.view(in_size, -1); // flatten the tensor
    x = this.fc.forward(x);
    return F.log_softmax(x, 1);
  }
}

const model = new Net();
const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.5 });

function train(epoch: number): void {
  model.train();
  const bar = new ProgressBar(train_loader.length, `Train Epoch: ${epoch}`);
  let batch_idx = 0;
  for (const [data, target] of train_loader) {
    optimizer.zero_grad();
    const output = model.forward(data);
    const loss = F.nll_loss(output, target);
    loss.backward();
    optimizer.step();
    batch_idx++;
    if (batch_idx % 10 === 0 || batch_idx === train_loader.length) bar.update(batch_idx, `| Loss: ${loss.item().toFixed(6)}`);
  }
}

function test(): number {
  model.eval();
  let test_loss = 0;
  let correct = 0;
  torch.no_grad(() => {
    for (const [data, target] of test_loader) {
      const output = model.forward(data);
      // sum up batch loss
      test_loss += F.nll_loss(output, target, { size_average: false }).item();
      // get the index of the max log-probability
      const pred = output.data.max(1, true)[1];
      correct += pred.eq(target.data.view_as(pred)).sum().item();
    }
  });
  const n = torch.utils.data.lengthOf(test_loader.dataset);
  test_loss /= n;
  print(`\nTest set: Average loss: ${test_loss.toFixed(4)}, Accuracy: ${correct}/${n} (${((100 * correct) / n).toFixed(0)}%)\n`);
  return (100 * correct) / n;
}

const since = performance.now();
let accuracy = 0;
for (let epoch = 1; epoch <= epochs; epoch++) {
  const epoch_start = performance.now();
  train(epoch);
  print(`Training time: ${((performance.now() - epoch_start) / 1000).toFixed(1)}s`);
  accuracy = test();
}
print(`Total Time: ${((performance.now() - since) / 1000).toFixed(1)}s`);

mkdirSync('out', { recursive: true });
await torch.save(model.state_dict(), 'out/11_1_toy_inception_mnist.safetensors');
print(`Saved the model to out/11_1_toy_inception_mnist.safetensors (final test accuracy ${accuracy.toFixed(1)}%)`);
