// Lecture 11-1: a toy Inception network (1x1, 5x5, double 3x3 and average-pool
// branches concatenated) on MNIST (the seeded 8,000/2,000 split).
import * as torch from '../src/index.js';
import { runMnist } from './mnist.js';
const { nn, optim } = torch;
const F = torch.nn.functional;

// Training settings: batches of 64 from the seeded 8,000/2,000 split (./mnist.ts)
const epochs = Number(process.env.EPOCHS ?? 10); // 10 epochs of 8,000 digits reach about 94% test accuracy

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

// train(epoch) and test() as in the course, in ./mnist.ts
await runMnist({
  name: '11_1_toy_inception_mnist', model, optimizer, epochs,
  loss: (output, target, reduction) => F.nll_loss(output, target, { reduction }),
});
